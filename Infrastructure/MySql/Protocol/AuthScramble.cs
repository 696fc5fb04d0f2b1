using System.Security.Cryptography;
using System.Text;

namespace Linli.Infrastructure.MySql.Protocol;

/// <summary>
/// Auth responses of the two password plugins.
/// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_authentication_methods_native_password_authentication.html
/// https://dev.mysql.com/doc/dev/mysql-server/latest/page_caching_sha2_authentication_exchanges.html
/// </summary>
// CA5350: the protocol defines mysql_native_password with SHA-1 and the RSA padding with OAEP-SHA-1.
#pragma warning disable CA5350
internal static class AuthScramble
{
    public const string NativePasswordPlugin = "mysql_native_password";
    public const string CachingSha2Plugin = "caching_sha2_password";

    /// <summary>SHA1(pw) XOR SHA1(scramble + SHA1(SHA1(pw))); an empty password gives an empty response.</summary>
    public static byte[] NativePassword(string password, ReadOnlySpan<byte> scramble)
    {
        if (password.Length == 0) return [];
        var hash1 = SHA1.HashData(Encoding.UTF8.GetBytes(password));
        var hash2 = SHA1.HashData(hash1);
        var hash3 = SHA1.HashData([.. scramble[..Math.Min(20, scramble.Length)], .. hash2]);
        for (var i = 0; i < hash1.Length; i++) hash1[i] ^= hash3[i];
        return hash1;
    }

    /// <summary>SHA256(pw) XOR SHA256(SHA256(SHA256(pw)) + scramble); an empty password gives an empty response.</summary>
    public static byte[] CachingSha2Password(string password, ReadOnlySpan<byte> scramble)
    {
        if (password.Length == 0) return [];
        var hash1 = SHA256.HashData(Encoding.UTF8.GetBytes(password));
        var hash2 = SHA256.HashData(hash1);
        var hash3 = SHA256.HashData([.. hash2, .. scramble[..Math.Min(20, scramble.Length)]]);
        for (var i = 0; i < hash1.Length; i++) hash1[i] ^= hash3[i];
        return hash1;
    }

    /// <summary>(password + NUL) XOR the scramble repeated: the plaintext that full authentication encrypts with the server's RSA key.</summary>
    public static byte[] XorPasswordWithScramble(string password, ReadOnlySpan<byte> scramble)
    {
        var bytes = Encoding.UTF8.GetBytes(password + "\0");
        var length = Math.Min(20, scramble.Length);
        for (var i = 0; i < bytes.Length; i++) bytes[i] ^= scramble[i % length];
        return bytes;
    }

    /// <summary>RSA-OAEP (SHA-1 padding, as the server expects) of the XORed password with the server's PEM public key.</summary>
    public static byte[] EncryptPassword(string password, ReadOnlySpan<byte> scramble, string publicKeyPem)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(publicKeyPem);
        return rsa.Encrypt(XorPasswordWithScramble(password, scramble), RSAEncryptionPadding.OaepSHA1);
    }
}
#pragma warning restore CA5350
