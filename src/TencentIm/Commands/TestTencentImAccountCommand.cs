using System;
using System.Management.Automation;
using TencentIm.Client;
using TencentIm.Connections;
using TencentIm.Engine;

namespace TencentIm.Commands
{
    /// <summary>
    /// <para type="synopsis">Tells which UserIDs exist (are imported) in a Tencent Cloud IM app.</para>
    /// <para type="description">Test-TencentImAccount reads UserIDs from the pipeline or -UserId, sends them to the service's account_check API in batches of up to 100, several requests at a time, and writes one AccountCheckResult per input UserID, in input order, while input still arrives. Blank lines are skipped and surrounding whitespace is trimmed; a UserID repeated within one batch is sent once and still answered for each occurrence. A UserID that is empty or longer than 32 bytes in UTF-8 gets a non-terminating error and is not sent. A configuration error (wrong key, identifier not an admin, wrong data centre) stops the command with one error; any other failed request gives one non-terminating error per UserID in it, and the other requests go on.</para>
    /// </summary>
    /// <example>
    ///   <code>Get-Content users.txt | Test-TencentImAccount | Where-Object AccountStatus -eq NotImported</code>
    ///   <para>Lists the UserIDs of users.txt that do not exist in the app.</para>
    /// </example>
    /// <example>
    ///   <code>Import-Csv users.csv | Test-TencentImAccount | Export-Csv checked.csv</code>
    ///   <para>Checks the UserID column of a CSV file (a column named UserId, Identifier or Id).</para>
    /// </example>
    [Cmdlet(VerbsDiagnostic.Test, "TencentImAccount")]
    [OutputType(typeof(AccountCheckResult))]
    public sealed class TestTencentImAccountCommand : TencentImCmdlet
    {
        private AccountCheckBatcher? _batcher;

        /// <summary>
        /// <para type="description">The UserIDs to check. Takes strings and arrays from the pipeline (Get-Content, Get-Content -ReadCount 1000) and objects with a UserId, Identifier or Id property (Import-Csv).</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Identifier", "Id")]
        [AllowEmptyString]
        [AllowEmptyCollection]
        [AllowNull]
        public string?[]? UserId { get; set; }

        /// <summary>
        /// <para type="description">The connection to use instead of the session's (from Connect-TencentIm -PassThru).</para>
        /// </summary>
        [Parameter]
        [ValidateNotNull]
        public TencentImConnection? Connection { get; set; }

        /// <summary>
        /// <para type="description">Distinct UserIDs per request, 1 to 100 (the service's limit). Default: 100.</para>
        /// </summary>
        [Parameter]
        [ValidateRange(1, AccountCheckProtocol.MaxItemsPerRequest)]
        public int BatchSize { get; set; } = AccountCheckProtocol.MaxItemsPerRequest;

        /// <summary>
        /// <para type="description">Requests in flight at once, 1 to 64. Default: 8.</para>
        /// </summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 8;

        /// <summary>Resolves the connection and starts the batcher.</summary>
        protected override void BeginProcessing()
        {
            ImRestClient client = ResolveConnection(Connection).Client;
            _batcher = new AccountCheckBatcher(client.CheckAccountsAsync, Write, BatchSize, ThrottleLimit, CancelToken);
        }

        /// <summary>Adds this record's UserIDs and writes whatever results are ready.</summary>
        protected override void ProcessRecord()
        {
            if (UserId == null)
            {
                return;
            }

            // Blank lines of piped input (a file's) are skipped; an empty value typed as an argument is an error.
            bool skipBlank = MyInvocation.ExpectingInput;
            Run(() =>
            {
                foreach (string? value in UserId)
                {
                    _batcher!.Submit(value, skipBlank);
                }
            });
        }

        /// <summary>Sends the last batch and writes every result still outstanding.</summary>
        protected override void EndProcessing() => Run(() => _batcher!.Complete());

        /// <summary>Cancels the requests in flight.</summary>
        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _batcher?.Dispose();
            }

            base.Dispose(disposing);
        }

        private void Run(Action work)
        {
            try
            {
                work();
            }
            catch (OperationCanceledException) when (CancelToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            catch (TencentImRequestException e)
            {
                ThrowTerminatingError(ToErrorRecord(e, "", Connection ?? SessionConnections.Get()));
            }
        }

        // Called by the batcher, only ever from this cmdlet's own thread (inside Submit/Complete).
        private void Write(CheckOutcome outcome)
        {
            if (outcome.Result != null)
            {
                WriteObject(outcome.Result);
                return;
            }

            CheckFailure failure = outcome.Failure!;
            Exception exception = failure.Exception ?? new ArgumentException(failure.Message);
            var record = new ErrorRecord(exception, failure.ErrorId, failure.Category, failure.UserId)
            {
                ErrorDetails = new ErrorDetails(failure.Message),
            };
            if (failure.RecommendedAction != null)
            {
                record.ErrorDetails.RecommendedAction = failure.RecommendedAction;
            }

            WriteError(record);
        }
    }
}
