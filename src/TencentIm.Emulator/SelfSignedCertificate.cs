using System;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TencentIm.Emulator;

/// <summary>The certificate of <c>--https-self-signed</c>: made in memory at start, trusted by nobody.</summary>
internal static class SelfSignedCertificate
{
    /// <summary>An RSA certificate for 127.0.0.1 and localhost, valid from a day ago for a year, with its key.</summary>
    public static X509Certificate2 Create()
    {
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest("CN=TencentIm.Emulator", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            new OidCollection { new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication") }, critical: false));

        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 ephemeral = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));

        // A round trip through PKCS#12 gives a key that SslStream can use on every platform (Windows refuses the
        // ephemeral key of CreateSelfSigned for a server).
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
    }
}
