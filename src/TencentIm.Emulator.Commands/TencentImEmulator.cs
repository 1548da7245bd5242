using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using System.Net.Http;
using System.Security;
using System.Threading;

namespace TencentIm.Emulator.Commands;

/// <summary>
/// A running local emulator of the Tencent IM REST API, as Start-TencentImEmulator returns it: where it listens
/// (Endpoint), the app it hosts (SdkAppId), its admin (Identifier) and the app's secret key (SecretKey, a
/// SecureString), and its process's Id, StartTime and HasExited. Pass it to Connect-TencentIm -Emulator, to the other *-TencentImEmulator cmdlets,
/// and to Stop-TencentImEmulator. The emulator also stops when this PowerShell process exits.
/// </summary>
public sealed class TencentImEmulator
{
    private readonly TextTail _standardError;
    private readonly object _stopLock = new object();
    private readonly HttpClient _http;
    private bool _stopped;

    internal TencentImEmulator(Process process, TextTail standardError, Uri endpoint, uint sdkAppId, IReadOnlyList<string> admins, SecureString secretKey)
    {
        _standardError = standardError;
        Process = process;
        Endpoint = endpoint;
        SdkAppId = sdkAppId;
        Admins = admins;
        SecretKey = secretKey;
        StartTime = DateTime.Now;
        var handler = new HttpClientHandler { UseProxy = false };
        if (endpoint.Scheme == Uri.UriSchemeHttps)
        {
            // -HttpsSelfSigned: a certificate made in memory that nobody trusts, on purpose; the hooks on this
            // loopback emulator are read regardless (the module's own calls still validate it).
            handler.ServerCertificateCustomValidationCallback = (message, certificate, chain, errors) => true;
        }

        _http = new HttpClient(handler) { BaseAddress = endpoint, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>Where the emulator listens: http://127.0.0.1:PORT/ (https with -HttpsSelfSigned). The REST API is under v4/, the test hooks under emulator/.</summary>
    public Uri Endpoint { get; }

    /// <summary>The SDKAppID of the one app the emulator hosts.</summary>
    public uint SdkAppId { get; }

    /// <summary>The app admin that Connect-TencentIm -Emulator signs in as: the first of -Admin (administrator by default).</summary>
    public string Identifier => Admins[0];

    /// <summary>Every app admin identifier the emulator accepts.</summary>
    public IReadOnlyList<string> Admins { get; }

    /// <summary>The app's secret key (a fresh random one per start unless -SecretKey was given), read-only.</summary>
    public SecureString SecretKey { get; }

    /// <summary>
    /// The emulator's process (dotnet running the emulator app), for the cmdlets only: a public Process would serialise
    /// its StartInfo, environment and all (ConvertTo-Json of the handle), so the handle shows Id and HasExited instead.
    /// </summary>
    internal Process Process { get; }

    /// <summary>The emulator's process id.</summary>
    public int Id => Process.Id;

    /// <summary>When Start-TencentImEmulator started it (local time).</summary>
    public DateTime StartTime { get; }

    /// <summary>Whether the emulator's process has ended (stopped, or crashed).</summary>
    public bool HasExited
    {
        get
        {
            try
            {
                return Process.HasExited;
            }
            catch (InvalidOperationException)
            {
                return true;
            }
        }
    }

    /// <summary>A line such as "TencentIm emulator at http://127.0.0.1:41234/ (process 4242, SDKAppID 1400000001)".</summary>
    public override string ToString() =>
        string.Format(CultureInfo.InvariantCulture, "TencentIm emulator at {0} (process {1}, SDKAppID {2}{3})", Endpoint, Id, SdkAppId, HasExited ? ", stopped" : "");

    /// <summary>The end of what the emulator wrote to standard error (warnings, a crash's reason).</summary>
    internal string StandardError => _standardError.Text;

    /// <summary>Stops the emulator: closes its standard input (it exits at once), waits, and kills it if it does not. Idempotent.</summary>
    internal void Stop()
    {
        lock (_stopLock)
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
            try
            {
                if (!Process.HasExited)
                {
                    Process.StandardInput.Close();
                    if (!Process.WaitForExit(10000))
                    {
                        Process.Kill();
                    }
                }

                Process.WaitForExit();
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            _http.Dispose();
        }
    }

    /// <summary>GETs a hook (emulator/…) and returns the body.</summary>
    internal string Get(string relative, CancellationToken ct) => Send(HttpMethod.Get, relative, ct);

    /// <summary>POSTs to a hook (emulator/…) and returns the body.</summary>
    internal string Post(string relative, CancellationToken ct) => Send(HttpMethod.Post, relative, ct);

    private string Send(HttpMethod method, string relative, CancellationToken ct)
    {
        ThrowIfStopped();
        try
        {
            using var request = new HttpRequestMessage(method, relative);
            using HttpResponseMessage response = _http.SendAsync(request, ct).GetAwaiter().GetResult();
            string text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            if ((int)response.StatusCode == 400)
            {
                throw new EmulatorException("EmulatorHookRefused", ErrorCategory.InvalidArgument,
                    $"The emulator refused the change: {text.TrimEnd('.')}. Check the values given.", this);
            }

            if ((int)response.StatusCode == 404)
            {
                throw new EmulatorException("EmulatorHookFailed", ErrorCategory.InvalidResult,
                    $"The emulator has no hook {relative.Split('?')[0]} (HTTP 404): the module and its server folder come from different versions. Reinstall the TencentIm.Emulator module.", this);
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new EmulatorException("EmulatorHookFailed", ErrorCategory.InvalidResult,
                    $"The emulator's hook {relative.Split('?')[0]} failed with HTTP {(int)response.StatusCode}. {StandardError.Trim()} Stop it and start a new one with Start-TencentImEmulator.", this);
            }

            return text;
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            ThrowIfStopped();
            throw new EmulatorException("EmulatorUnreachable", ErrorCategory.ConnectionError,
                $"The emulator at {Endpoint} did not answer ({e.Message}). Stop it and start a new one with Start-TencentImEmulator.", this, e);
        }
    }

    private void ThrowIfStopped()
    {
        if (_stopped || HasExited)
        {
            string exit = "";
            try
            {
                exit = string.Format(CultureInfo.InvariantCulture, " with exit code {0}", Process.ExitCode);
            }
            catch (InvalidOperationException)
            {
            }

            throw new EmulatorException("EmulatorStopped", ErrorCategory.InvalidOperation,
                $"The emulator at {Endpoint} has stopped{exit}. Start a new one with Start-TencentImEmulator.", this);
        }
    }
}
