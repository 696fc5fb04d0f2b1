using System.Security.Cryptography;
using System.Text;
using Linli.Infrastructure.MySql.Protocol;

namespace Linli.Api.Tests.MySql.Protocol;

// CA5350: the protocol under test is defined with SHA-1.
#pragma warning disable CA5350
public class AuthScrambleTests
{
    // 0x01..0x14: a fixed 20-byte scramble.
    private static readonly byte[] Scramble = Enumerable.Range(1, 20).Select(i => (byte)i).ToArray();

    [Test]
    public void NativePasswordMatchesAVectorComputedByAnIndependentImplementation()
    {
        // Computed with Python's hashlib: SHA1(pw) XOR SHA1(scramble + SHA1(SHA1(pw))).
        Assert.That(Convert.ToHexStringLower(AuthScramble.NativePassword("secret", Scramble)),
            Is.EqualTo("b32bb3a583e1340c0a1108d58b1be49781ad8c2f"));
    }

    [Test]
    public void NativePasswordXorsBackToTheStoredDoubleSha1()
    {
        // The server stores SHA1(SHA1(pw)); MySQL's PASSWORD('password') is *2470C0C0…1E19.
        var response = AuthScramble.NativePassword("password", Scramble);
        var stored = Convert.FromHexString("2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19");
        var mask = SHA1.HashData([.. Scramble, .. stored]);
        var sha1OfPassword = response.Select((b, i) => (byte)(b ^ mask[i])).ToArray();
        Assert.That(SHA1.HashData(sha1OfPassword), Is.EqualTo(stored));
    }

    [Test]
    public void EmptyPasswordsGiveAnEmptyAuthResponse()
    {
        Assert.That(AuthScramble.NativePassword("", Scramble), Is.Empty);
        Assert.That(AuthScramble.CachingSha2Password("", Scramble), Is.Empty);
    }

    [Test]
    public void CachingSha2PasswordMatchesAFixedVector()
    {
        // Computed with Python's hashlib: SHA256(pw) XOR SHA256(SHA256(SHA256(pw)) + scramble).
        Assert.That(Convert.ToHexStringLower(AuthScramble.CachingSha2Password("secret", Scramble)),
            Is.EqualTo("746ebe205d56a0707acb3e796e834e0dd7b1d61743b26bd5202c7a623230c7c9"));
    }

    [TestCase("secret")]
    [TestCase("pässwörd with spaces & 😀")]
    public void CachingSha2PasswordFollowsTheDocumentedFormula(string password)
    {
        var hash1 = SHA256.HashData(Encoding.UTF8.GetBytes(password));
        var hash2 = SHA256.HashData(hash1);
        var hash3 = SHA256.HashData([.. hash2, .. Scramble]);
        var expected = hash1.Select((b, i) => (byte)(b ^ hash3[i])).ToArray();

        Assert.That(AuthScramble.CachingSha2Password(password, Scramble), Is.EqualTo(expected));
    }

    [Test]
    public void RsaFullAuthenticationPayloadDecryptsToThePasswordXoredWithTheScramble()
    {
        using var rsa = RSA.Create(2048);
        var pem = rsa.ExportSubjectPublicKeyInfoPem();
        const string password = "a password longer than the twenty-byte scramble";

        var encrypted = AuthScramble.EncryptPassword(password, Scramble, pem);

        Assert.That(encrypted, Has.Length.EqualTo(256));
        var decrypted = rsa.Decrypt(encrypted, RSAEncryptionPadding.OaepSHA1);
        var plain = decrypted.Select((b, i) => (byte)(b ^ Scramble[i % Scramble.Length])).ToArray();
        Assert.That(Encoding.UTF8.GetString(plain), Is.EqualTo(password + "\0"));
    }
}
#pragma warning restore CA5350
