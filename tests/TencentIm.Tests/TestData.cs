using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace TencentIm.Tests;

/// <summary>The UserSig vectors made by Tencent's official signer (the same as docs/service-api.md §2 describes).</summary>
public sealed record UserSigVector(uint SdkAppId, string SecretKey, string Identifier, long Time, long Expire, string TlsSig, string UserSig)
{
    public override string ToString() => $"{Identifier}@{SdkAppId}";

    public static IEnumerable<object[]> All()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "TestData", "usersig-test-vectors.json");
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        foreach (JsonElement v in document.RootElement.GetProperty("vectors").EnumerateArray())
        {
            yield return new object[]
            {
                new UserSigVector(
                    v.GetProperty("sdkAppId").GetUInt32(),
                    v.GetProperty("secretKey").GetString()!,
                    v.GetProperty("identifier").GetString()!,
                    v.GetProperty("time").GetInt64(),
                    v.GetProperty("expire").GetInt64(),
                    v.GetProperty("tlsSig").GetString()!,
                    v.GetProperty("userSig").GetString()!),
            };
        }
    }
}
