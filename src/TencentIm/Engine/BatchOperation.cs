using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using TencentIm.Apis;
using TencentIm.Client;

namespace TencentIm.Engine;

/// <summary>
/// What one batched API adds to <see cref="OrderedBatchEngine{TItem, TAnswer, TResult}"/>: how to send a batch of
/// items and read the answer's per-item entries, and what each entry means for its item. Batching, order,
/// concurrency, back-pressure and the errors of failed requests are the engine's.
/// </summary>
/// <typeparam name="TItem">What is sent for one input item: a UserID, or an account with its profile fields.</typeparam>
/// <typeparam name="TAnswer">One per-item entry of the answer, as the service gave it.</typeparam>
/// <typeparam name="TResult">What the cmdlet writes for one input item.</typeparam>
internal abstract class BatchOperation<TItem, TAnswer, TResult>
    where TResult : class
{
    /// <param name="api">The API called.</param>
    /// <param name="errorIdPrefix">Begins the ErrorIds of per-item errors: AccountCheck gives AccountCheckFailed and AccountCheckResultMissing.</param>
    /// <param name="notDone">How an error says that the item was not done, such as "was not checked".</param>
    protected BatchOperation(ServiceApi api, string errorIdPrefix, string notDone)
    {
        Api = api;
        FailedErrorId = errorIdPrefix + "Failed";
        MissingErrorId = errorIdPrefix + "ResultMissing";
        NotDone = notDone;
    }

    /// <summary>The API called: its path and items per call.</summary>
    public ServiceApi Api { get; }

    /// <summary>The ErrorId of an item whose request failed after its retries, such as AccountCheckFailed.</summary>
    public string FailedErrorId { get; }

    /// <summary>The ErrorId of an item the answer has no entry for, such as AccountCheckResultMissing.</summary>
    public string MissingErrorId { get; }

    /// <summary>How an error says that the item was not done, such as "was not checked".</summary>
    public string NotDone { get; }

    /// <summary>The UserID an item is about. Items with the same key in one batch are sent once and answered for each.</summary>
    public abstract string KeyOf(TItem item);

    /// <summary>
    /// Why <paramref name="repeat"/> cannot share one call with <paramref name="first"/>, an earlier item of the same
    /// batch with the same key, or null when it can (the default: one call answers both). An API whose items carry
    /// more than the UserID (an import's Nick) says so here, so that a repeat with other values is not answered for
    /// values the service never got.
    /// </summary>
    public virtual ItemFailure? RepeatConflict(TItem first, TItem repeat) => null;

    /// <summary>The UserID an answer entry is about.</summary>
    public abstract string KeyOf(TAnswer answer);

    /// <summary>
    /// Sends the items of one batch (distinct keys) and returns the answer's entries. By default one call; an API
    /// whose answers need a follow-up (asking again, a reason per failed item) overrides this.
    /// </summary>
    /// <exception cref="TencentImRequestException">The request failed after its retries, or the answer is malformed.</exception>
    public virtual Task<List<TAnswer>> SendAsync(IReadOnlyList<TItem> items, IRequestObserver? observer, CancellationToken cancellationToken) =>
        SendOnceAsync(items, observer, cancellationToken);

    /// <summary>One call for items with distinct keys: the answer's entries, as the service gave them.</summary>
    /// <exception cref="TencentImRequestException">The request failed after its retries, or the answer is malformed.</exception>
    protected abstract Task<List<TAnswer>> SendOnceAsync(IReadOnlyList<TItem> items, IRequestObserver? observer, CancellationToken cancellationToken);

    /// <summary>The outcome of an item the answer has an entry for.</summary>
    public abstract ItemOutcome<TResult> ToOutcome(TAnswer answer);

    /// <summary>The error of an item whose request failed after its retries (one fault of one request, not of the run).</summary>
    public virtual ItemFailure RequestFailed(string userId, Exception error)
    {
        if (error is TencentImRequestException r)
        {
            return new ItemFailure(userId, FailedErrorId, r.Category, $"UserID '{userId}' {NotDone}: {r.Message}", r.Fix, r);
        }

        return new ItemFailure(userId, FailedErrorId, ErrorCategory.NotSpecified, $"UserID '{userId}' {NotDone}: {error.Message}", null, error);
    }

    /// <summary>The error of an item the answer has no entry for.</summary>
    public virtual ItemFailure AnswerMissing(string userId) =>
        new ItemFailure(userId, MissingErrorId, ErrorCategory.InvalidResult,
            $"The service's answer to {Api.Path} had no entry for UserID '{userId}', so it {NotDone}. Try it again.");

    /// <summary>
    /// Asks once more, in a call of its own, for the items whose entries carry a per-item code that the service
    /// documents as passing (70500, 70169, …): a whole request with such a code is retried, and one account's
    /// passing trouble deserves the same before it is reported. An entry still failing after that stands.
    /// </summary>
    protected async Task<List<TAnswer>> AskAgainForTransientItemsAsync(
        IReadOnlyList<TItem> items, List<TAnswer> answers, Func<TAnswer, int> resultCodeOf,
        IRequestObserver? observer, CancellationToken cancellationToken)
    {
        HashSet<string>? again = null;
        foreach (TAnswer answer in answers)
        {
            int code = resultCodeOf(answer);
            if (code != 0 && ServiceErrorCatalog.IsPassing(code))
            {
                (again ??= new HashSet<string>(StringComparer.Ordinal)).Add(KeyOf(answer));
            }
        }

        if (again == null)
        {
            return answers;
        }

        var retry = new List<TItem>(again.Count);
        foreach (TItem item in items)
        {
            if (again.Contains(KeyOf(item)))
            {
                retry.Add(item);
            }
        }

        List<TAnswer> second;
        try
        {
            second = await SendOnceAsync(retry, observer, cancellationToken).ConfigureAwait(false);
        }
        catch (TencentImRequestException e) when (e.ErrorClass != ServiceErrorClass.Configuration && e.ErrorClass != ServiceErrorClass.ExpiredSignature)
        {
            return answers; // the first answer stands: those items keep their code
        }

        var byKey = new Dictionary<string, TAnswer>(second.Count, StringComparer.Ordinal);
        foreach (TAnswer answer in second)
        {
            byKey[KeyOf(answer)] = answer;
        }

        for (int i = 0; i < answers.Count; i++)
        {
            if (resultCodeOf(answers[i]) != 0 && byKey.TryGetValue(KeyOf(answers[i]), out TAnswer replacement))
            {
                answers[i] = replacement;
            }
        }

        return answers;
    }
}
