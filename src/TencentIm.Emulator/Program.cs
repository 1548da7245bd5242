using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace TencentIm.Emulator;

/// <summary>
/// The command line: options → start → one "listening on" line on stdout → serve until Ctrl+C, SIGTERM or (with
/// --exit-on-stdin-close) the end of standard input.
/// </summary>
internal static class Program
{
    /// <summary>The environment variable that can carry the secret key instead of --secret-key.</summary>
    private const string SecretKeyVariable = "TENCENTIM_EMULATOR_SECRET_KEY";

    private static async Task<int> Main(string[] args)
    {
        if (Array.IndexOf(args, "--help") >= 0 || Array.IndexOf(args, "-h") >= 0)
        {
            Console.Out.WriteLine(EmulatorOptions.Usage);
            return 0;
        }

        EmulatorOptions options;
        try
        {
            options = EmulatorOptions.Parse(args);

            // Start-TencentImEmulator hands the key over here, not on the command line, which others can read.
            string? key = Environment.GetEnvironmentVariable(SecretKeyVariable);
            if (!string.IsNullOrEmpty(key) && Array.FindIndex(args, a => a.StartsWith("--secret-key", StringComparison.Ordinal)) < 0)
            {
                options.SecretKey = key;
            }
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

        RunningEmulator emulator;
        try
        {
            emulator = await EmulatorServer.StartAsync(options);
        }
        catch (Exception e) when (e is ArgumentException or IOException)
        {
            // Messages name the bad option or file, never the secret key.
            Console.Error.WriteLine("TencentIm.Emulator cannot start: " + e.Message);
            return 1;
        }

        await using (emulator)
        {
            // Scripts read the port from this line: exactly one line, flushed at once.
            Console.Out.WriteLine("TencentIm.Emulator listening on " + emulator.BaseUri);
            Console.Out.Flush();

            if (options.ExitOnStdinClose)
            {
                _ = WaitForStdinCloseAsync().ContinueWith(_ => stop.TrySetResult(), TaskScheduler.Default);
            }

            await stop.Task;
        }

        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.TrySetResult();
        }
    }

    // Reads and discards standard input until it ends: a test harness that dies closes its end of the pipe.
    private static async Task WaitForStdinCloseAsync()
    {
        using Stream stdin = Console.OpenStandardInput();
        var buffer = new byte[1024];
        while (await stdin.ReadAsync(buffer, CancellationToken.None) > 0)
        {
        }
    }
}
