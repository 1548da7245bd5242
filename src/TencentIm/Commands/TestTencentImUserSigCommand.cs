using System;
using System.Management.Automation;
using System.Security;
using TencentIm.Connections;
using TencentIm.Signing;

namespace TencentIm.Commands;

/// <summary>
/// <para type="synopsis">Decodes a UserSig and explains whether and why the service would reject it.</para>
/// <para type="description">Test-TencentImUserSig answers the most common support question (errors 70001, 70003, 70009, 70013, 70014): it decodes a UserSig locally and reports for which SDKAppID and identifier it was signed, when it was issued and when it expires, and, given the key (-SecretKey, or the current connection's key), whether its signature is right. It checks in the service's order and reports the first reason for rejection with the error code the service would answer. A UserSig issued later than now (or than -At) is reported as IssuedInFuture: the clocks of the machine that signed it and of this one differ, and the explanation says how to fix them. Nothing is sent to the service, and the UserSig is never written back.</para>
/// </summary>
/// <example>
///   <code>$fromTheApp = New-TencentImUserSig -UserId alice -AsPlainText; Test-TencentImUserSig -UserSig $fromTheApp -SdkAppId 1400000001 -Identifier bob</code>
///   <para>Explains why a client app's UserSig fails (here: signed for alice, used for bob, so the service would answer 70013), checking it against the current connection's key.</para>
/// </example>
/// <example>
///   <code>New-TencentImUserSig -UserId bob -Lifetime 60 | Test-TencentImUserSig -At (Get-Date).AddMinutes(5)</code>
///   <para>Shows that a one-minute UserSig is expired five minutes later (the service would answer 70001).</para>
/// </example>
[Cmdlet(VerbsDiagnostic.Test, "TencentImUserSig")]
[OutputType(typeof(UserSigReport))]
public sealed class TestTencentImUserSigCommand : TencentImCmdlet
{
    private SecretKey? _ownKey;
    private Func<UserSigDocument, bool>? _checkSignature;
    private DateTimeOffset _at;

    /// <summary>
    /// <para type="description">The UserSig to examine: text or SecureString. Takes SignedUserSig objects from New-TencentImUserSig by property name.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNull]
    [SecureStringTransformation]
    public SecureString? UserSig { get; set; }

    /// <summary>
    /// <para type="description">The SDKAppID the UserSig must be for (70014 otherwise).</para>
    /// <para type="default">the SDKAppID of the connection, if there is one; else not checked</para>
    /// </summary>
    [Parameter]
    [ValidateRange(1, uint.MaxValue)]
    [SdkAppIdTransformation]
    public uint SdkAppId { get; set; }

    /// <summary>
    /// <para type="description">The identifier the UserSig must be for (70013 otherwise). Takes the UserID of New-TencentImUserSig output by property name.</para>
    /// <para type="default">not checked</para>
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("UserId")]
    [ValidateNotNullOrEmpty]
    public string? Identifier { get; set; }

    /// <summary>
    /// <para type="description">The key to check the signature with (70009 otherwise).</para>
    /// <para type="default">the key of the connection, if it was made with one; else the signature is not checked</para>
    /// </summary>
    [Parameter]
    [ValidateNotNull]
    public SecureString? SecretKey { get; set; }

    /// <summary>
    /// <para type="description">The connection whose SDKAppID and key to check against, instead of the session's.</para>
    /// <para type="default">the session's current connection, if there is one</para>
    /// </summary>
    [Parameter]
    [ValidateNotNull]
    [ConnectionTransformation]
    public TencentImConnection? Connection { get; set; }

    /// <summary>
    /// <para type="description">The moment to judge the UserSig at: it is expired after TLS.time + TLS.expire, and issued in the future before TLS.time.</para>
    /// <para type="default">now</para>
    /// </summary>
    [Parameter]
    public DateTimeOffset At { get; set; }

    /// <summary>Finds the key, the expected SDKAppID and the moment to judge at.</summary>
    protected override void BeginProcessing()
    {
        _at = MyInvocation.BoundParameters.ContainsKey(nameof(At)) ? At : DateTimeOffset.UtcNow;
        // Trimmed as Connect-TencentIm and New-TencentImUserSig trim it: ' administrator ' is the account administrator.
        Identifier = Identifier?.Trim();
        // A connection given explicitly must be usable: a closed one would silently skip the signature check.
        TencentImConnection? connection = Connection != null ? ResolveConnection(Connection) : SessionConnections.Get();
        if (SecretKey != null)
        {
            _ownKey = KeyFrom(SecretKey, "-SecretKey");
            SecretKey ownKey = _ownKey;
            _checkSignature = document => UserSigSigner.IsSignatureValid(document, ownKey);
        }
        else if (connection != null && !connection.IsClosed && connection.Client.UserSigs is SigningUserSigSource source)
        {
            _checkSignature = source.IsSignedWithThisKey;
        }

        if (!MyInvocation.BoundParameters.ContainsKey(nameof(SdkAppId)) && connection != null)
        {
            SdkAppId = connection.SdkAppId;
        }
    }

    /// <summary>Examines one UserSig.</summary>
    protected override void ProcessRecord() => WriteObject(Examine(SecureStrings.ToTrimmedText(UserSig!)));

    /// <summary>Wipes a key given with -SecretKey.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _ownKey?.Dispose();
        }

        base.Dispose(disposing);
    }

    private UserSigReport Examine(string userSig)
    {
        UserSigDocument document;
        try
        {
            document = UserSigSigner.Decode(userSig);
        }
        catch (FormatException e)
        {
            return new UserSigReport(null, UserSigCheckResult.Malformed, null,
                $"The service would answer 70003: {e.Message} Copy the whole UserSig (it starts with 'eJ'), or sign a new one.");
        }

        bool? signatureValid = _checkSignature?.Invoke(document);
        string signatureNote = signatureValid == null ? " The signature was not checked: pass -SecretKey, or connect with a key." : "";
        // No tolerance for an issue time ahead of -At: this reports what the UserSig says, and a gap of even a few
        // seconds means two clocks differ (Connect-TencentIm, which must decide, allows a minute).
        UserSigCheckResult claims = UserSigSigner.CheckClaims(document, SdkAppId == 0 ? (uint?)null : SdkAppId, Identifier, _at, TimeSpan.Zero);
        switch (claims)
        {
            case UserSigCheckResult.SdkAppIdMismatch:
                return new UserSigReport(document, claims, signatureValid,
                    $"The service would answer 70014: it was signed for SDKAppID {document.SdkAppId}, not {SdkAppId}. Sign it with the key of app {SdkAppId}.");
            case UserSigCheckResult.IdentifierMismatch:
                return new UserSigReport(document, claims, signatureValid,
                    $"The service would answer 70013: it was signed for '{document.Identifier}', not '{Identifier}'. Sign it for the account that uses it.");
            case UserSigCheckResult.IssuedInFuture:
                return new UserSigReport(document, claims, signatureValid, IssuedInFutureExplanation(document) + signatureNote);
            case UserSigCheckResult.Expired:
                return new UserSigReport(document, claims, signatureValid,
                    $"The service would answer 70001: it expired at {document.ExpiresOn:u}. Sign a new one.{signatureNote}");
        }

        if (signatureValid == false)
        {
            return new UserSigReport(document, UserSigCheckResult.SignatureMismatch, false,
                $"The service would answer 70009: it was not signed with this key. Sign it with the key of SDKAppID {document.SdkAppId} (IM console > your app > Basic Information).");
        }

        return new UserSigReport(document, UserSigCheckResult.Valid, signatureValid,
            $"Valid until {document.ExpiresOn:u}.{signatureNote}");
    }

    private string IssuedInFutureExplanation(UserSigDocument document)
    {
        string ahead = Engine.Durations.Describe(UserSigChecks.SecondsAhead(document, _at));
        string issued = $"The service may refuse it as invalid (70003): it was issued at {document.IssuedOn:u}, {ahead} after";
        if (MyInvocation.BoundParameters.ContainsKey(nameof(At)))
        {
            return $"{issued} -At ({_at:u}), so at -At it was not valid yet. Pass an -At after it was issued, or leave -At out to judge it now.";
        }

        return $"{issued} now by this machine's clock: the clock of the machine that signed it is ahead of this machine's, or this machine's is behind. The official verifiers check only expiry, but how far ahead the service tolerates is undocumented. {UserSigChecks.ClockSkewFix}";
    }
}
