using System.Linq;
using TencentIm.Client;
using Xunit;

namespace TencentIm.Tests.Client;

/// <summary>The queue that carries request attempts from worker threads to the pipeline thread.</summary>
public class AttemptQueueTests
{
    [Fact]
    public void Drain_GivesTheAttemptsInTheOrderQueued_AndEmptiesTheQueue()
    {
        var queue = new AttemptQueue();
        queue.OnAttempt(new RequestAttempt("v4/im_open_login_svc/account_check", 1, 1));
        queue.OnAttempt(new RequestAttempt("v4/im_open_login_svc/account_check", 1, 2));

        Assert.Equal(new[] { 1, 2 }, queue.Drain().Select(a => a.Attempt));
        Assert.Empty(queue.Drain());
    }

    [Fact]
    public void OnQueued_IsCalledOncePerAttempt_AfterTheAttemptIsInTheQueue()
    {
        AttemptQueue? queue = null;
        int calls = 0;
        int queuedAtCall = -1;
        queue = new AttemptQueue(() =>
        {
            calls++;
            queuedAtCall = queue!.Drain().Count();
        });

        queue.OnAttempt(new RequestAttempt("v4/im_open_login_svc/account_check", 3, 1));

        Assert.Equal(1, calls);
        Assert.Equal(1, queuedAtCall);
    }
}
