using System;
using System.Management.Automation;
using System.Security;
using TencentIm.Connections;
using TencentIm.Signing;

namespace TencentIm.Commands;

/// <summary>
/// <para type="synopsis">Signs UserSigs for client apps, tests, or a machine that must not hold the key.</para>
/// <para type="description">New-TencentImUserSig signs a TLSSigAPIv2 UserSig for each UserID, from the key of the current connection (or -Connection), or from -SdkAppId and -SecretKey without any connection. By default each comes back as a SignedUserSig object whose UserSig is a SecureString, so that it does not show in a console, log or transcript by accident; -AsPlainText returns the UserSig text itself, for handing to a client app. Signing happens on this machine: nothing is sent to the service.</para>
/// </summary>
/// <example>
///   <code>New-TencentImUserSig -UserId alice -Lifetime (New-TimeSpan -Days 7)</code>
///   <para>Signs a UserSig valid for seven days for the account alice, from the current connection's key.</para>
/// </example>
/// <example>
///   <code>$sig = New-TencentImUserSig -UserId administrator -Lifetime 3600; Connect-TencentIm -SdkAppId 1400000001 -UserSig $sig.UserSig -Region Singapore</code>
///   <para>Signs a one-hour admin UserSig (a number is read as seconds) and connects with it, as a machine without the key would.</para>
/// </example>
/// <example>
///   <code>'alice', 'bob' | New-TencentImUserSig -SdkAppId 1400000001 -SecretKey (Read-Host -AsSecureString 'Secret key') -AsPlainText</code>
///   <para>Signs UserSigs without a connection and returns their text.</para>
/// </example>
[Cmdlet(VerbsCommon.New, "TencentImUserSig", DefaultParameterSetName = ConnectionSet)]
[OutputType(typeof(SignedUserSig), typeof(string))]
public sealed class NewTencentImUserSigCommand : TencentImCmdlet
{
    private const string ConnectionSet = "Connection";
    private const string KeySet = "Key";

    /// <summary>Fifty years: longer than any app lives, short enough that every date stays representable.</summary>
    private static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(50 * 365);

    private SecretKey? _ownKey;
    private Func<string, DateTimeOffset, string>? _sign;
    private uint _sdkAppId;

    /// <summary>
    /// <para type="description">The accounts to sign UserSigs for (1 to 32 bytes each). Takes strings from the pipeline.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Identifier", "Id")]
    [AllowEmptyString]
    [AllowNull]
    public string?[]? UserId { get; set; }

    /// <summary>
    /// <para type="description">How long each UserSig stays valid: a TimeSpan, or a number of seconds, from one second to 50 years.</para>
    /// <para type="default">one day (86400 seconds)</para>
    /// </summary>
    [Parameter]
    [TimeSpanSecondsTransformation]
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// <para type="description">The connection whose key signs, instead of the session's. It must have been made with a key (-SecretKey, -Credential or TENCENTIM_SECRETKEY), not with -UserSig.</para>
    /// <para type="default">the session's current connection</para>
    /// </summary>
    [Parameter(ParameterSetName = ConnectionSet)]
    [ValidateNotNull]
    [ConnectionTransformation]
    public TencentImConnection? Connection { get; set; }

    /// <summary>
    /// <para type="description">The SDKAppID to sign for, when signing without a connection (with -SecretKey).</para>
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = KeySet)]
    [ValidateRange(1, uint.MaxValue)]
    [SdkAppIdTransformation]
    public uint SdkAppId { get; set; }

    /// <summary>
    /// <para type="description">The app's secret key, when signing without a connection.</para>
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = KeySet)]
    [ValidateNotNull]
    public SecureString? SecretKey { get; set; }

    /// <summary>
    /// <para type="description">Returns each UserSig as text instead of a SignedUserSig object. The text is a credential: keep it out of logs.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter AsPlainText { get; set; }

    /// <summary>Checks the lifetime and finds the key.</summary>
    protected override void BeginProcessing()
    {
        if (Lifetime < TimeSpan.FromSeconds(1) || Lifetime > MaxLifetime)
        {
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException($"-Lifetime is {Lifetime}; a UserSig lives from one second to {MaxLifetime.TotalDays:0} days."),
                "LifetimeOutOfRange", ErrorCategory.InvalidArgument, Lifetime));
        }

        if (ParameterSetName == KeySet)
        {
            _ownKey = KeyFrom(SecretKey!, "-SecretKey");
            _sdkAppId = SdkAppId;
            SecretKey ownKey = _ownKey;
            _sign = (userId, now) => UserSigSigner.Sign(ownKey, _sdkAppId, userId, now, Lifetime);
            return;
        }

        TencentImConnection connection = ResolveConnection(Connection);
        if (!(connection.Client.UserSigs is SigningUserSigSource source))
        {
            ThrowTerminatingError(new ErrorRecord(
                new InvalidOperationException($"The connection to SDKAppID {connection.SdkAppId} was made with -UserSig and holds no key to sign with. Pass -SdkAppId and -SecretKey, or connect with a key."),
                "ConnectionHasNoKey", ErrorCategory.InvalidOperation, connection));
            return;
        }

        _sdkAppId = source.SdkAppId;
        _sign = (userId, now) => source.SignFor(userId, now, Lifetime);
    }

    /// <summary>Signs one UserSig per UserID.</summary>
    protected override void ProcessRecord()
    {
        // Each UserID gets its own outcome: an empty one is an EmptyUserId error in its place, and the others are signed.
        foreach (string? userId in UserId ?? new string?[] { null })
        {
            string trimmed = Engine.UserIdRules.Trim(userId);
            Engine.ItemFailure? invalid = Engine.UserIdRules.Validate(trimmed);
            if (invalid != null)
            {
                // Signing sends nothing: the error says no UserSig was made, not that nothing was sent.
                Engine.ItemFailure failure = invalid.WithConsequence("No UserSig was signed for it.");
                WriteError(new ErrorRecord(new ArgumentException(failure.Message), failure.ErrorId, failure.Category, userId ?? ""));
                continue;
            }

            DateTimeOffset now = DateTimeOffset.UtcNow;
            string userSig = _sign!(trimmed, now);
            if (AsPlainText)
            {
                WriteObject(userSig);
                continue;
            }

            SecureString secure = SecureStrings.FromText(userSig);
            DateTimeOffset issued = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
            WriteObject(new SignedUserSig(trimmed, _sdkAppId, issued, issued + TimeSpan.FromSeconds((long)Lifetime.TotalSeconds), secure));
        }
    }

    /// <summary>Wipes a key given with -SecretKey.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _ownKey?.Dispose();
        }

        base.Dispose(disposing);
    }
}
