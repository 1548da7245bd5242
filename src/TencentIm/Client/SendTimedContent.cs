using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;

namespace TencentIm.Client
{
    /// <summary>
    /// A request body that says when it is written: the moment the request really leaves, after any wait for a
    /// connection. The rate limiter counts from then (<see cref="RateLimiter.MarkSent"/>).
    /// </summary>
    internal sealed class SendTimedContent : ByteArrayContent
    {
        private readonly Action _onSend;

        public SendTimedContent(byte[] body, Action onSend)
            : base(body)
        {
            Body = body;
            _onSend = onSend;
        }

        /// <summary>The bytes sent, for -Debug (reading them through HttpContent would count as a send).</summary>
        public byte[] Body { get; }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            _onSend();
            return base.SerializeToStreamAsync(stream, context);
        }
    }
}
