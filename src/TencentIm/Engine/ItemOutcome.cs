using System;
using System.Management.Automation;

namespace TencentIm.Engine;

/// <summary>Why one input item got no result: what the cmdlet turns into a non-terminating error.</summary>
internal sealed class ItemFailure
{
    public ItemFailure(string userId, string errorId, ErrorCategory category, string message, string? recommendedAction = null, Exception? exception = null, object? target = null, bool nullTarget = false)
    {
        UserId = userId;
        ErrorId = errorId;
        Category = category;
        Message = message;
        RecommendedAction = recommendedAction;
        Exception = exception;
        Target = nullTarget ? null : target ?? userId;
    }

    public string UserId { get; }

    /// <summary>The error's target object: the UserID, or the input object it came from (a CSV row).</summary>
    public object? Target { get; }

    /// <summary>The same failure, with the input object it came from as its target.</summary>
    public ItemFailure WithTarget(object target) =>
        new ItemFailure(UserId, ErrorId, Category, Message, RecommendedAction, Exception, target);

    public string ErrorId { get; }

    public ErrorCategory Category { get; }

    public string Message { get; }

    public string? RecommendedAction { get; }

    public Exception? Exception { get; }

    /// <summary>The same failure, its message followed by what became of the item ("It was not sent.").</summary>
    public ItemFailure WithConsequence(string sentence) =>
        new ItemFailure(UserId, ErrorId, Category, Message + " " + sentence, RecommendedAction, Exception, Target, Target == null);
}

/// <summary>One input item's outcome, written in input order: a result or a failure.</summary>
internal readonly struct ItemOutcome<TResult>
    where TResult : class
{
    private ItemOutcome(TResult? result, ItemFailure? failure, string? note, string? warning = null)
    {
        Result = result;
        Failure = failure;
        Note = note;
        Warning = warning;
    }

    public TResult? Result { get; }

    public ItemFailure? Failure { get; }

    /// <summary>
    /// A -Verbose line the cmdlet writes, on the pipeline thread, just before the result: how the operation read
    /// an answer that needed a judgement (account_delete's 70107 after an attempt whose fate is unknown). Null for none.
    /// </summary>
    public string? Note { get; }

    /// <summary>A warning about how the outcome came about, written before it; null for none.</summary>
    public string? Warning { get; }

    public static ItemOutcome<TResult> Of(TResult result) => new ItemOutcome<TResult>(result, null, null);

    public static ItemOutcome<TResult> Of(TResult result, string? note) => new ItemOutcome<TResult>(result, null, note);

    public static ItemOutcome<TResult> Of(ItemFailure failure) => new ItemOutcome<TResult>(null, failure, null);

    /// <summary>This outcome with a warning written just before it (pipeline thread), or itself for null.</summary>
    public ItemOutcome<TResult> WithWarning(string? warning) => warning == null ? this : new ItemOutcome<TResult>(Result, Failure, Note, warning);
}
