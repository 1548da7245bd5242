using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace TencentIm.Tests.Cmdlets;

/// <summary>
/// A host whose user answers ShouldProcess prompts from a script ("Yes", "Yes to All", "No", "No to All"), and which
/// records every prompt and every line written to it (the "What if:" lines of -WhatIf).
/// </summary>
internal sealed class PromptingHost : PSHost
{
    private readonly PromptingUI _ui;

    /// <param name="answers">The label of the choice to pick at each prompt, in order; past the end, each prompt fails the test.</param>
    public PromptingHost(params string[] answers) => _ui = new PromptingUI(answers);

    public List<(string Caption, string Message)> Prompts => _ui.Prompts;

    public List<string> Lines => _ui.Lines;

    public override string Name => "TencentIm.Tests.PromptingHost";

    public override Version Version => new(1, 0);

    public override Guid InstanceId { get; } = Guid.NewGuid();

    public override PSHostUserInterface UI => _ui;

    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;

    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;

    public override void EnterNestedPrompt() => throw new NotSupportedException();

    public override void ExitNestedPrompt() => throw new NotSupportedException();

    public override void NotifyBeginApplication()
    {
    }

    public override void NotifyEndApplication()
    {
    }

    public override void SetShouldExit(int exitCode)
    {
    }

    private sealed class PromptingUI : PSHostUserInterface
    {
        private readonly Queue<string> _answers;

        public PromptingUI(string[] answers) => _answers = new Queue<string>(answers);

        public List<(string Caption, string Message)> Prompts { get; } = new();

        public List<string> Lines { get; } = new();

        public override PSHostRawUserInterface? RawUI => null;

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            Prompts.Add((caption, message));
            if (!_answers.TryDequeue(out string? answer))
            {
                throw new InvalidOperationException($"Prompt {Prompts.Count} was not expected: {caption}: {message}");
            }

            for (int i = 0; i < choices.Count; i++)
            {
                if (string.Equals(choices[i].Label.Replace("&", ""), answer, StringComparison.Ordinal))
                {
                    return i;
                }
            }

            throw new InvalidOperationException($"No choice '{answer}' among: {string.Join(", ", System.Linq.Enumerable.Select(choices, c => c.Label))}.");
        }

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) =>
            throw new NotSupportedException("Only choices are answered.");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw new NotSupportedException("Only choices are answered.");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
            throw new NotSupportedException("Only choices are answered.");

        public override string ReadLine() => throw new NotSupportedException("Only choices are answered.");

        public override SecureString ReadLineAsSecureString() => throw new NotSupportedException("Only choices are answered.");

        public override void Write(string value) => Lines.Add(value);

        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Lines.Add(value);

        public override void WriteLine(string value) => Lines.Add(value);

        public override void WriteErrorLine(string value) => Lines.Add(value);

        public override void WriteDebugLine(string message)
        {
        }

        public override void WriteProgress(long sourceId, ProgressRecord record)
        {
        }

        public override void WriteVerboseLine(string message)
        {
        }

        public override void WriteWarningLine(string message) => Lines.Add(message);
    }
}
