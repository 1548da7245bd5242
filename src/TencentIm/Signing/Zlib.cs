using System;
using System.IO;
using System.IO.Compression;

namespace TencentIm.Signing;

/// <summary>
/// zlib framing (RFC 1950) around DeflateStream: netstandard2.0 has no ZLibStream, and UserSig is zlib, not raw
/// deflate or gzip (docs/service-api.md §2, step 5).
/// </summary>
internal static class Zlib
{
    // CMF 0x78 = deflate with a 32 KiB window; FLG 0x9C makes (CMF*256 + FLG) a multiple of 31 with no dictionary.
    private const byte Cmf = 0x78;
    private const byte Flg = 0x9C;

    public static byte[] Compress(byte[] data)
    {
        using var output = new MemoryStream();
        output.WriteByte(Cmf);
        output.WriteByte(Flg);
        using (var deflate = new DeflateStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            deflate.Write(data, 0, data.Length);
        }

        uint adler = Adler32(data);
        output.WriteByte((byte)(adler >> 24));
        output.WriteByte((byte)(adler >> 16));
        output.WriteByte((byte)(adler >> 8));
        output.WriteByte((byte)adler);
        return output.ToArray();
    }

    /// <summary>Inflates a zlib stream and checks its header and Adler-32 trailer.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a well-formed zlib stream.</exception>
    public static byte[] Decompress(byte[] data, int maxLength = 64 * 1024)
    {
        if (data.Length < 6)
        {
            throw new InvalidDataException("The data is too short to be a zlib stream.");
        }

        int cmf = data[0];
        int flg = data[1];
        if ((cmf & 0x0F) != 8 || ((cmf << 8) | flg) % 31 != 0)
        {
            throw new InvalidDataException("The data does not start with a zlib deflate header.");
        }

        if ((flg & 0x20) != 0)
        {
            throw new InvalidDataException("The zlib stream asks for a preset dictionary, which UserSig never uses.");
        }

        byte[] inflated;
        using (var input = new MemoryStream(data, 2, data.Length - 6))
        using (var deflate = new DeflateStream(input, CompressionMode.Decompress))
        using (var output = new MemoryStream())
        {
            var buffer = new byte[4096];
            int read;
            while ((read = deflate.Read(buffer, 0, buffer.Length)) > 0)
            {
                output.Write(buffer, 0, read);
                if (output.Length > maxLength)
                {
                    throw new InvalidDataException("The zlib stream inflates to more than a UserSig can hold.");
                }
            }

            inflated = output.ToArray();
        }

        int n = data.Length;
        uint expected = (uint)(data[n - 4] << 24 | data[n - 3] << 16 | data[n - 2] << 8 | data[n - 1]);
        if (Adler32(inflated) != expected)
        {
            throw new InvalidDataException("The zlib stream's Adler-32 checksum does not match its content.");
        }

        return inflated;
    }

    internal static uint Adler32(byte[] data)
    {
        const uint Mod = 65521;
        uint a = 1, b = 0;
        int i = 0;
        while (i < data.Length)
        {
            // 5552 is the largest run for which b cannot overflow 32 bits before the modulo (zlib's NMAX).
            int end = Math.Min(i + 5552, data.Length);
            for (; i < end; i++)
            {
                a += data[i];
                b += a;
            }

            a %= Mod;
            b %= Mod;
        }

        return (b << 16) | a;
    }
}
