using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using TencentIm.Client;
using Xunit;

namespace TencentIm.Tests.Client;

/// <summary>
/// The messages of the service's error codes: the service's own ErrorInfo leads, verbatim; a code Tencent's pages give
/// several meanings lists them all and asserts none; and every code the emulator answers is one the module explains.
/// </summary>
public class ServiceErrorCatalogTests
{
    private const string Api = "v4/im_open_login_svc/account_check";

    // Codes whose meaning differs between Tencent's pages, or is broad (see the comments in ServiceErrorCatalog).
    private static readonly int[] CodesWithSeveralMeanings = { 60004, 60005, 60006, 60008, 60017, 60020, 70001, 70003, 70005, 70016, 70020, 70052 };

    public static TheoryData<int> KnownCodes()
    {
        var data = new TheoryData<int>();
        foreach (int code in ServiceErrorCatalog.KnownCodes)
        {
            data.Add(code);
        }

        return data;
    }

    public static TheoryData<int> SeveralMeanings()
    {
        var data = new TheoryData<int>();
        foreach (int code in CodesWithSeveralMeanings)
        {
            data.Add(code);
        }

        return data;
    }

    [Fact]
    public void TheCatalogue_KnowsEveryCodeOfTheFactSheet()
    {
        int[] factSheet =
        {
            70169, 70202, 70500, 60004, 60005, 60008, 60014, 60018, 60019, 60007, 60011, 70050, 70001, 70052,
            70003, 70005, 70009, 70013, 70014, 70016, 70020, 60002, 60003, 60006, 60009, 60012, 60015, 60025,
            60010, 70403, 60016, 60017, 60020, 60021, 60026, 60028, 70402,
        };

        Assert.Empty(factSheet.Except(ServiceErrorCatalog.KnownCodes));
    }

    [Theory]
    [MemberData(nameof(KnownCodes))]
    public void EveryCode_TheMessageLeadsWithTheServicesErrorInfo_Verbatim(int code)
    {
        const string info = "Some ErrorInfo, as the service wrote it: 'quoted' & odd";

        var e = TencentImRequestException.FromServiceError(Api, code, info);

        Assert.StartsWith($"{Api} failed with ErrorCode {code}: '{info}'. ", e.Message);
        Assert.EndsWith(".", e.Message);
        Assert.NotEqual(ServiceErrorClass.Unknown, e.ErrorClass);
        Assert.False(string.IsNullOrEmpty(e.Description!.Fix), $"{code} has no fix");
        Assert.DoesNotContain("..", e.Message.Substring(Api.Length + info.Length + 30));
    }

    [Fact]
    public void AnEmptyErrorInfo_IsSaid_NotShownAsEmptyQuotes()
    {
        var e = TencentImRequestException.FromServiceError(Api, 70500, "");

        Assert.StartsWith($"{Api} failed with ErrorCode 70500 and no ErrorInfo. ", e.Message);
    }

    [Fact]
    public void AnUnknownCode_LeadsWithItsErrorInfo_AndSaysWhereToLookItUp()
    {
        var e = TencentImRequestException.FromServiceError(Api, 99999, "something new");

        Assert.StartsWith($"{Api} failed with ErrorCode 99999: 'something new'. ", e.Message);
        Assert.Equal(ServiceErrorClass.Unknown, e.ErrorClass);
        Assert.Contains("error code", e.Message);
    }

    [Theory]
    [MemberData(nameof(SeveralMeanings))]
    public void ACodeWithSeveralDocumentedMeanings_ListsThem_AndClaimsNoneOfThemAlone(int code)
    {
        ServiceErrorDescription d = ServiceErrorCatalog.Describe(code);
        var e = TencentImRequestException.FromServiceError(Api, code, "whatever the service said");

        Assert.True(d.Causes.Count >= 2, $"{code} lists {d.Causes.Count} cause(s)");
        Assert.Contains("This code can mean: " + string.Join("; ", d.Causes) + ".", e.Message);
        foreach (string cause in d.Causes)
        {
            // Listed, never stated as a sentence of its own.
            Assert.DoesNotContain(char.ToUpperInvariant(cause[0]) + cause.Substring(1) + ".", e.Message);
        }
    }

    [Theory]
    [MemberData(nameof(KnownCodes))]
    public void ACodeWithOneMeaning_StatesIt_AsOneSentence(int code)
    {
        ServiceErrorDescription d = ServiceErrorCatalog.Describe(code);
        if (CodesWithSeveralMeanings.Contains(code))
        {
            Assert.True(d.Causes.Count >= 2);
            return;
        }

        Assert.Single(d.Causes);
        Assert.DoesNotContain("This code can mean", TencentImRequestException.FromServiceError(Api, code, "x").Message);
    }

    [Fact]
    public void A60020SayingSdkAppIdNotFound_IsNotExplainedAsAnExpiredPackage()
    {
        var e = TencentImRequestException.FromServiceError(Api, 60020, "sdkappid not found");

        Assert.StartsWith($"{Api} failed with ErrorCode 60020: 'sdkappid not found'. This code can mean: ", e.Message);
        Assert.DoesNotContain("The app's paid package has expired", e.Message);
        Assert.Contains("SDKAppID", e.Description!.Causes[0]);
        Assert.Contains("-SdkAppId", e.Description!.Fix);
        Assert.Contains("-Region", e.Description!.Fix);
    }

    [Fact]
    public void A70003_ForAUserSigIssuedInTheFuture_NamesClockSkewAsAPlausibleCause()
    {
        var e = TencentImRequestException.FromServiceError(Api, 70003, "Invalid UserSig: issued in the future");

        Assert.Contains(e.Description!.Causes, c => c.Contains("in the future") && c.Contains("clock"));
        Assert.Contains("clock", e.Message);
    }

    [Theory]
    [InlineData(70169, ServiceErrorClass.Transient)]
    [InlineData(70202, ServiceErrorClass.Transient)]
    [InlineData(70500, ServiceErrorClass.Transient)]
    [InlineData(60004, ServiceErrorClass.Transient)]
    [InlineData(60005, ServiceErrorClass.Transient)]
    [InlineData(60008, ServiceErrorClass.Transient)]
    [InlineData(60014, ServiceErrorClass.Transient)]
    [InlineData(60018, ServiceErrorClass.Transient)]
    [InlineData(60019, ServiceErrorClass.Transient)]
    [InlineData(60007, ServiceErrorClass.Throttled)]
    [InlineData(60011, ServiceErrorClass.Throttled)]
    [InlineData(70050, ServiceErrorClass.Configuration)]
    [InlineData(70001, ServiceErrorClass.ExpiredSignature)]
    [InlineData(70052, ServiceErrorClass.ExpiredSignature)]
    [InlineData(70003, ServiceErrorClass.Configuration)]
    [InlineData(70005, ServiceErrorClass.Configuration)]
    [InlineData(70009, ServiceErrorClass.Configuration)]
    [InlineData(70013, ServiceErrorClass.Configuration)]
    [InlineData(70014, ServiceErrorClass.Configuration)]
    [InlineData(70016, ServiceErrorClass.Configuration)]
    [InlineData(70020, ServiceErrorClass.Configuration)]
    [InlineData(60002, ServiceErrorClass.Configuration)]
    [InlineData(60003, ServiceErrorClass.Configuration)]
    [InlineData(60006, ServiceErrorClass.Configuration)]
    [InlineData(60009, ServiceErrorClass.Configuration)]
    [InlineData(60012, ServiceErrorClass.Configuration)]
    [InlineData(60015, ServiceErrorClass.Configuration)]
    [InlineData(60025, ServiceErrorClass.Configuration)]
    [InlineData(60010, ServiceErrorClass.Configuration)]
    [InlineData(70403, ServiceErrorClass.Configuration)]
    [InlineData(60016, ServiceErrorClass.Configuration)]
    [InlineData(60017, ServiceErrorClass.Configuration)]
    [InlineData(60020, ServiceErrorClass.Configuration)]
    [InlineData(60021, ServiceErrorClass.Configuration)]
    [InlineData(60026, ServiceErrorClass.Configuration)]
    [InlineData(60028, ServiceErrorClass.Configuration)]
    [InlineData(70402, ServiceErrorClass.Request)]
    [InlineData(71000, ServiceErrorClass.Configuration)]
    public void EachCode_KeepsTheClassItIsHandledBy(int code, ServiceErrorClass expected)
    {
        Assert.Equal(expected, ServiceErrorCatalog.Describe(code).ErrorClass);
    }

    public static TheoryData<int, string> EmulatorAnswers()
    {
        // Every request-level code the emulator answers, with the ErrorInfo it sends. Its per-account codes (70107,
        // 70398, 70399, 71000: in ResultItem, or the envelope of an API that takes one account) are described by the
        // per-account catalogue instead (ItemResultCatalogTests).
        var perAccount = new HashSet<int>(ItemResultCatalog.KnownCodes);
        Type errors = typeof(TencentIm.Emulator.EmulatorOptions).Assembly.GetType("TencentIm.Emulator.ServiceErrors", throwOnError: true)!;
        MethodInfo info = errors.GetMethod("Info", new[] { typeof(int) })!;
        var data = new TheoryData<int, string>();
        foreach (FieldInfo field in errors.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral && f.FieldType == typeof(int)))
        {
            int code = (int)field.GetRawConstantValue()!;
            if (!perAccount.Contains(code))
            {
                data.Add(code, (string)info.Invoke(null, new object[] { code })!);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EmulatorAnswers))]
    public void EveryCodeTheEmulatorAnswers_IsOneTheModuleKnows_AndItsErrorInfoLeadsTheMessage(int code, string errorInfo)
    {
        Assert.Contains(code, ServiceErrorCatalog.KnownCodes);
        var e = TencentImRequestException.FromServiceError(Api, code, errorInfo);
        Assert.StartsWith($"{Api} failed with ErrorCode {code}: '{errorInfo}'. ", e.Message);
    }

    [Theory]
    [InlineData(RequestFailureKind.Timeout)]
    [InlineData(RequestFailureKind.Unreachable)]
    [InlineData(RequestFailureKind.ConnectionLost)]
    public void AFailureThatIsNotTheServicesAnswer_HasNoServiceCodeDescription_NeverSuccess(RequestFailureKind kind)
    {
        var e = new TencentImRequestException(Api, kind, "no answer");

        Assert.Null(e.Description);
        Assert.DoesNotContain("Success", e.Message);
        Assert.Equal(kind.ToString(), Commands.TencentImCmdlet.ToErrorRecord(e, "", null).FullyQualifiedErrorId);
    }
}
