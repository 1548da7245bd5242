namespace TencentIm.Client;

/// <summary>
/// What the client knows of how an answer came about, beyond its body: whether an earlier attempt of the same
/// request may have done the work already. The client knows nothing of any API; an operation whose answers read
/// differently after such an attempt (account_delete: "the account does not exist" then means that the lost
/// attempt deleted it) asks for this with its answer (<see cref="ImRestClient.CallAsync{T}(string, byte[], int, System.Func{System.Text.Json.JsonElement, AnswerContext, T}, IRequestObserver?, System.Threading.CancellationToken, System.Func{int, System.Text.Json.JsonElement, bool}, bool?)"/>).
/// </summary>
internal readonly struct AnswerContext
{
    public AnswerContext(string? earlierFailure)
    {
        EarlierFailure = earlierFailure;
    }

    /// <summary>
    /// True when an earlier attempt of this request was sent and failed without an answer that shows the service
    /// did nothing (<see cref="TencentImRequestException.MayHaveTakenEffect"/>): the answer in hand may describe a
    /// state that attempt brought about.
    /// </summary>
    public bool EarlierAttemptMayHaveRun => EarlierFailure != null;

    /// <summary>
    /// What happened to the last earlier attempt that may have run (its summary, such as "... got no answer within
    /// 30 s"), for a warning that says where the answer came from; null when no such attempt came before.
    /// </summary>
    public string? EarlierFailure { get; }
}
