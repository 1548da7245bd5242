using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace TencentIm.Tests;

/// <summary>
/// A small HTTP forwarding proxy on 127.0.0.1 for tests: it takes absolute-form requests
/// (<c>POST http://127.0.0.1:port/... HTTP/1.1</c>, RFC 9112 §3.2.2), passes them on directly (never through another
/// proxy) and writes the answer back, counting what it forwarded. With a user name and password it answers
/// 407 with a Basic challenge (RFC 9110 §11.7.1) to every request without the matching Proxy-Authorization.
/// CONNECT is answered (407 when credentials are missing, else 502): it does not tunnel.
/// </summary>
public sealed class ForwardingProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Authorization", "Proxy-Connection", "Proxy-Authenticate", "TE", "Trailer",
        "Transfer-Encoding", "Upgrade", "Host", "Content-Length",
    };

    private readonly TcpListener _listener;
    private readonly string? _expectedAuthorization;
    private readonly HttpClient _upstream = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false });
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<TcpClient, Task> _connections = new();
    private readonly Task _acceptLoop;
    private int _forwarded;
    private int _refused;
    private int _connects;

    private ForwardingProxy(string? user, string? password)
    {
        if (user != null)
        {
            _expectedAuthorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));
        }

        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Uri = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _acceptLoop = AcceptAsync();
    }

    /// <summary>Starts a proxy; with <paramref name="user"/> it requires Basic proxy authentication.</summary>
    public static ForwardingProxy Start(string? user = null, string? password = null) => new(user, password);

    /// <summary>http://127.0.0.1:port/</summary>
    public Uri Uri { get; }

    /// <summary>Requests passed on to their target.</summary>
    public int Forwarded => Volatile.Read(ref _forwarded);

    /// <summary>Requests answered 407 for missing or wrong credentials.</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>CONNECT requests seen (tunnels are never opened).</summary>
    public int Connects => Volatile.Read(ref _connects);

    /// <summary>Every request line received, such as "POST http://127.0.0.1:5000/v4/... HTTP/1.1".</summary>
    public ConcurrentQueue<string> RequestLines { get; } = new();

    /// <summary>An address where nothing listens: a port that was free a moment ago, for an unreachable proxy.</summary>
    public static Uri UnusedAddress()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        _listener.Stop();
        foreach (TcpClient client in _connections.Keys)
        {
            client.Dispose();
        }

        try
        {
            await _acceptLoop;
        }
        catch (Exception e) when (e is ObjectDisposedException || e is SocketException || e is OperationCanceledException)
        {
            // Stopping the listener ends the accept loop this way.
        }

        foreach (Task connection in _connections.Values)
        {
            try
            {
                await connection;
            }
            catch (Exception e) when (e is IOException || e is ObjectDisposedException || e is SocketException || e is OperationCanceledException)
            {
                // A connection cut off by stopping.
            }
        }

        _upstream.Dispose();
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            _connections[client] = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        await Task.Yield();
        using (client)
        {
            NetworkStream stream = client.GetStream();
            var reader = new HeadReader(stream);
            while (!_stopping.IsCancellationRequested)
            {
                string? requestLine = await reader.ReadLineAsync(_stopping.Token);
                if (string.IsNullOrEmpty(requestLine))
                {
                    return;
                }

                RequestLines.Enqueue(requestLine);
                var headers = new List<KeyValuePair<string, string>>();
                for (string? line = await reader.ReadLineAsync(_stopping.Token); !string.IsNullOrEmpty(line); line = await reader.ReadLineAsync(_stopping.Token))
                {
                    int colon = line.IndexOf(':');
                    headers.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
                }

                byte[] body = await reader.ReadExactlyAsync(ContentLength(headers), _stopping.Token);
                string[] parts = requestLine.Split(' ');
                bool authorized = _expectedAuthorization == null || headers.Exists(h =>
                    h.Key.Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase) && h.Value == _expectedAuthorization);

                if (parts[0] == "CONNECT")
                {
                    Interlocked.Increment(ref _connects);
                }

                if (!authorized)
                {
                    Interlocked.Increment(ref _refused);
                    await WriteAsync(stream, 407, "Proxy Authentication Required", new[] { new KeyValuePair<string, string>("Proxy-Authenticate", "Basic realm=\"test proxy\"") }, Array.Empty<byte>());
                }
                else if (parts[0] == "CONNECT" || !Uri.TryCreate(parts[1], UriKind.Absolute, out Uri? target))
                {
                    await WriteAsync(stream, 502, "Bad Gateway", Array.Empty<KeyValuePair<string, string>>(), Encoding.ASCII.GetBytes("This test proxy forwards absolute-form http requests only."));
                    return;
                }
                else
                {
                    await ForwardAsync(stream, parts[0], target, headers, body);
                }
            }
        }
    }

    private async Task ForwardAsync(NetworkStream stream, string method, Uri target, List<KeyValuePair<string, string>> headers, byte[] body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), target) { Content = new ByteArrayContent(body) };
        foreach (KeyValuePair<string, string> header in headers)
        {
            if (!HopByHop.Contains(header.Key) && !request.Headers.TryAddWithoutValidation(header.Key, header.Value))
            {
                request.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        using HttpResponseMessage response = await _upstream.SendAsync(request, _stopping.Token);
        byte[] answer = await response.Content.ReadAsByteArrayAsync(_stopping.Token);
        Interlocked.Increment(ref _forwarded);
        var answerHeaders = new List<KeyValuePair<string, string>>();
        foreach (var header in System.Linq.Enumerable.Concat(response.Headers, response.Content.Headers))
        {
            if (!HopByHop.Contains(header.Key))
            {
                answerHeaders.Add(new(header.Key, string.Join(", ", header.Value)));
            }
        }

        await WriteAsync(stream, (int)response.StatusCode, response.ReasonPhrase ?? "", answerHeaders, answer);
    }

    private async Task WriteAsync(Stream stream, int status, string reason, IEnumerable<KeyValuePair<string, string>> headers, byte[] body)
    {
        var head = new StringBuilder($"HTTP/1.1 {status} {reason}\r\n");
        foreach (KeyValuePair<string, string> header in headers)
        {
            head.Append(header.Key).Append(": ").Append(header.Value).Append("\r\n");
        }

        head.Append("Content-Length: ").Append(body.Length).Append("\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), _stopping.Token);
        await stream.WriteAsync(body, _stopping.Token);
    }

    private static int ContentLength(List<KeyValuePair<string, string>> headers)
    {
        foreach (KeyValuePair<string, string> header in headers)
        {
            if (header.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                throw new NotSupportedException("This test proxy reads bodies with a Content-Length only.");
            }
        }

        KeyValuePair<string, string> length = headers.Find(h => h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase));
        return length.Key == null ? 0 : int.Parse(length.Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Reads CRLF-terminated lines and then exact byte counts from one buffer, so that no body byte is lost.</summary>
    private sealed class HeadReader
    {
        private readonly Stream _stream;
        private readonly byte[] _buffer = new byte[16384];
        private int _start;
        private int _end;

        public HeadReader(Stream stream) => _stream = stream;

        public async Task<string?> ReadLineAsync(CancellationToken ct)
        {
            var line = new List<byte>();
            while (true)
            {
                if (_start == _end && !await FillAsync(ct))
                {
                    return line.Count == 0 ? null : Encoding.ASCII.GetString(line.ToArray());
                }

                byte b = _buffer[_start++];
                if (b == (byte)'\n')
                {
                    return Encoding.ASCII.GetString(line.ToArray()).TrimEnd('\r');
                }

                line.Add(b);
            }
        }

        public async Task<byte[]> ReadExactlyAsync(int count, CancellationToken ct)
        {
            var bytes = new byte[count];
            int filled = 0;
            while (filled < count)
            {
                if (_start == _end && !await FillAsync(ct))
                {
                    throw new EndOfStreamException("The client closed the connection in the middle of a body.");
                }

                int n = Math.Min(count - filled, _end - _start);
                Array.Copy(_buffer, _start, bytes, filled, n);
                _start += n;
                filled += n;
            }

            return bytes;
        }

        private async Task<bool> FillAsync(CancellationToken ct)
        {
            _start = 0;
            _end = await _stream.ReadAsync(_buffer, ct);
            return _end > 0;
        }
    }
}
