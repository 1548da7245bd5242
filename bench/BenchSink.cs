// The end of every measured pipeline in bench/: a compiled cmdlet that checks each answer as it passes and keeps
// none of them, so that a run of a million IDs is both timed and verified without holding a million objects.
// Invoke-Benchmark.ps1 compiles it once (Add-Type -OutputAssembly) and each child process imports the dll.
//
// For the ID files of the benchmark (user_0000000, user_0000001, ... ; every 3rd one imported in the emulator) it
// checks, per object: the UserID is the next one in input order, and AccountStatus is Imported exactly when the
// ID's number is a multiple of -ImportedEvery. Anything else is counted and the first few are described.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq.Expressions;
using System.Management.Automation;

namespace TencentImBench
{
    public sealed class BenchOutputSummary
    {
        public long Count { get; set; }
        public long OutOfOrder { get; set; }
        public long WrongStatus { get; set; }
        public long Unknown { get; set; }
        public long Unrecognised { get; set; }
        public string[] FirstProblems { get; set; } = new string[0];
    }

    [Cmdlet(VerbsDiagnostic.Measure, "BenchOutput")]
    [OutputType(typeof(BenchOutputSummary))]
    public sealed class MeasureBenchOutputCommand : PSCmdlet
    {
        [Parameter(ValueFromPipeline = true)]
        public PSObject InputObject { get; set; }

        /// <summary>The number of the first expected UserID.</summary>
        [Parameter]
        public long Start { get; set; }

        [Parameter]
        public string Prefix { get; set; } = "user_";

        [Parameter]
        public int ImportedEvery { get; set; } = 3;

        /// <summary>Only count (for strings, such as Get-Content's lines).</summary>
        [Parameter]
        public SwitchParameter CountOnly { get; set; }

        private readonly BenchOutputSummary _summary = new BenchOutputSummary();
        private readonly List<string> _problems = new List<string>();
        private Type _fastType;
        private Func<object, string> _getUserId;
        private Func<object, string> _getStatus;

        protected override void ProcessRecord()
        {
            if (InputObject == null)
            {
                return;
            }

            long index = _summary.Start();
            if (CountOnly)
            {
                return;
            }

            string userId;
            string status;
            object baseObject = InputObject.BaseObject;
            Type type = baseObject.GetType();
            if (type == _fastType)
            {
                userId = _getUserId(baseObject);
                status = _getStatus(baseObject);
            }
            else if (_fastType == null && type.GetProperty("UserID") != null && type.GetProperty("AccountStatus") != null)
            {
                // A compiled type (the module's AccountCheckResult): compiled getters, no PSObject lookups.
                var parameter = Expression.Parameter(typeof(object));
                var typed = Expression.Convert(parameter, type);
                _getUserId = Expression.Lambda<Func<object, string>>(
                    Expression.Call(Expression.Convert(Expression.Property(typed, "UserID"), typeof(object)), typeof(object).GetMethod("ToString")), parameter).Compile();
                _getStatus = Expression.Lambda<Func<object, string>>(
                    Expression.Call(Expression.Convert(Expression.Property(typed, "AccountStatus"), typeof(object)), typeof(object).GetMethod("ToString")), parameter).Compile();
                _fastType = type;
                userId = _getUserId(baseObject);
                status = _getStatus(baseObject);
            }
            else
            {
                // A [pscustomobject] (the plain script's): its note properties.
                PSPropertyInfo idProperty = InputObject.Properties["UserID"];
                PSPropertyInfo statusProperty = InputObject.Properties["AccountStatus"];
                if (idProperty == null || statusProperty == null)
                {
                    _summary.Unrecognised++;
                    Problem("object " + index + " has no UserID and AccountStatus: " + InputObject);
                    return;
                }

                userId = Convert.ToString(idProperty.Value, CultureInfo.InvariantCulture);
                status = Convert.ToString(statusProperty.Value, CultureInfo.InvariantCulture);
            }

            long expected = Start + index;
            long number;
            if (userId == null || !userId.StartsWith(Prefix, StringComparison.Ordinal)
                || !long.TryParse(userId.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out number)
                || number != expected)
            {
                _summary.OutOfOrder++;
                Problem("object " + index + ": UserID '" + userId + "', expected " + Prefix + expected.ToString("D7", CultureInfo.InvariantCulture));
                return;
            }

            if (status == "Unknown")
            {
                _summary.Unknown++;
                Problem("object " + index + " (" + userId + "): AccountStatus Unknown");
                return;
            }

            string expectedStatus = number % ImportedEvery == 0 ? "Imported" : "NotImported";
            if (!string.Equals(status, expectedStatus, StringComparison.Ordinal))
            {
                _summary.WrongStatus++;
                Problem("object " + index + " (" + userId + "): AccountStatus '" + status + "', expected " + expectedStatus);
            }
        }

        protected override void EndProcessing()
        {
            _summary.FirstProblems = _problems.ToArray();
            WriteObject(_summary);
        }

        private void Problem(string text)
        {
            if (_problems.Count < 5)
            {
                _problems.Add(text);
            }
        }
    }

    internal static class SummaryExtensions
    {
        /// <summary>Counts one object and returns its 0-based position.</summary>
        public static long Start(this BenchOutputSummary summary) => summary.Count++;
    }
}
