using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace TencentIm.Client;

/// <summary>
/// A request body that says when it is written: the moment the request really leaves, after any wait for a
/// connection (and its TLS handshake). The rate limiter counts from then (<see cref="RateLimiter.MarkSent"/>), and
/// a failure tells by it whether a connection was ever made (<see cref="WasSent"/>).
/// </summary>
internal sealed class SendTimedContent : ByteArrayContent
{
    private readonly Action _onSend;
    private int _sent;

    public SendTimedContent(byte[] body, Action onSend)
        : base(body)
    {
        Body = body;
        _onSend = onSend;
    }

    /// <summary>The bytes sent, for -Debug (reading them through HttpContent would count as a send).</summary>
    public byte[] Body { get; }

    /// <summary>Whether the body started to leave: a connection was open (and its TLS handshake done).</summary>
    public bool WasSent => Volatile.Read(ref _sent) != 0;

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        Volatile.Write(ref _sent, 1);
        _onSend();
        return base.SerializeToStreamAsync(stream, context);
    }
}
