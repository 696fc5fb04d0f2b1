using Linli.Infrastructure.MySql.Protocol;

namespace Linli.Api.Tests.MySql.Protocol;

public class HandshakeTests
{
    // The payload of a greeting recorded from MariaDB 10.11.19 (the 4-byte packet header removed).
    private const string MariaDbGreeting =
        "0a352e352e352d31302e31312e31392d4d6172696144422d302b6465623132753100060000005d462936725d592b00fef7e00200ff81150000000000001d00000065404d42436966466859656f006d7973716c5f6e61746976655f70617373776f726400";

    [Test]
    public void MariaDbGreetingIsParsed()
    {
        var greeting = HandshakeV10.Create(Convert.FromHexString(MariaDbGreeting));

        Assert.Multiple(() =>
        {
            Assert.That(greeting.ServerVersion, Is.EqualTo("5.5.5-10.11.19-MariaDB-0+deb12u1"));
            Assert.That(greeting.DisplayVersion, Is.EqualTo("10.11.19-MariaDB-0+deb12u1"));
            Assert.That(greeting.IsMariaDb, Is.True);
            Assert.That(greeting.ConnectionId, Is.EqualTo(6u));
            Assert.That(greeting.Scramble, Is.EqualTo("]F)6r]Y+e@MBCifFhYeo"u8.ToArray()));
            Assert.That(greeting.Collation, Is.EqualTo(224), "utf8mb4_unicode_ci, the server default");
            Assert.That(greeting.Status, Is.EqualTo(ServerStatus.AutoCommit));
            Assert.That(greeting.AuthPluginName, Is.EqualTo("mysql_native_password"));
            Assert.That(greeting.Capabilities.HasFlag(CapabilityFlags.DeprecateEof), Is.True);
            Assert.That(greeting.Capabilities.HasFlag(CapabilityFlags.LongPassword), Is.False, "MariaDB clears bit 0 to announce extended capabilities");
            Assert.That(greeting.MariaDbExtendedCapabilities, Is.EqualTo(0x1Du));
        });
    }

    [Test]
    public void MySql8GreetingBuiltFromTheDocumentedLayoutIsParsed()
    {
        var scramble = "abcdefghijklmnopqrst"u8.ToArray();
        var capabilities = (uint)(CapabilityFlags.LongPassword | CapabilityFlags.Protocol41 | CapabilityFlags.SecureConnection
            | CapabilityFlags.PluginAuth | CapabilityFlags.Ssl | CapabilityFlags.DeprecateEof | CapabilityFlags.MultiResults);
        byte[] payload =
        [
            0x0A, .. "8.0.36"u8, 0,
            0x2A, 0x00, 0x00, 0x00,                      // connection id 42
            .. scramble[..8], 0,                         // auth data part 1, filler
            (byte)capabilities, (byte)(capabilities >> 8),
            0xFF,                                        // utf8mb4_0900_ai_ci
            0x02, 0x00,                                  // status: autocommit
            (byte)(capabilities >> 16), (byte)(capabilities >> 24),
            21,                                          // auth data length
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0,                // reserved
            .. scramble[8..], 0,                         // auth data part 2 (12 bytes + NUL)
            .. "caching_sha2_password"u8, 0,
        ];

        var greeting = HandshakeV10.Create(payload);

        Assert.Multiple(() =>
        {
            Assert.That(greeting.ServerVersion, Is.EqualTo("8.0.36"));
            Assert.That(greeting.IsMariaDb, Is.False);
            Assert.That(greeting.ConnectionId, Is.EqualTo(42u));
            Assert.That(greeting.Scramble, Is.EqualTo(scramble));
            Assert.That(greeting.Collation, Is.EqualTo(255));
            Assert.That(greeting.Capabilities, Is.EqualTo((CapabilityFlags)capabilities));
            Assert.That(greeting.AuthPluginName, Is.EqualTo("caching_sha2_password"));
            Assert.That(greeting.MariaDbExtendedCapabilities, Is.Zero);
        });
    }

    [Test]
    public void GreetingOfAnotherProtocolVersionIsRejectedNamingWhatWasExpected()
    {
        var error = Assert.Throws<FormatException>(() => HandshakeV10.Create([0x09, .. "4.0"u8, 0]));
        Assert.That(error!.Message, Does.Contain("protocol version 10"));
    }

    [Test]
    public void TruncatedGreetingIsRejectedNamingTheMissingField()
    {
        var truncated = Convert.FromHexString(MariaDbGreeting)[..40];
        var error = Assert.Throws<FormatException>(() => HandshakeV10.Create(truncated));
        Assert.That(error!.Message, Does.Contain("Expected"));
    }

    [Test]
    public void HandshakeResponse41HasTheDocumentedLayout()
    {
        var capabilities = CapabilityFlags.LongPassword | CapabilityFlags.Protocol41 | CapabilityFlags.SecureConnection
            | CapabilityFlags.PluginAuth | CapabilityFlags.PluginAuthLengthEncodedClientData | CapabilityFlags.ConnectWithDb;
        using var writer = new PayloadWriter();
        byte[] auth = [1, 2, 3];

        HandshakeResponse41.Write(writer, capabilities, "linli", auth, "linli_test", "mysql_native_password");

        var c = (uint)capabilities;
        byte[] expected =
        [
            (byte)c, (byte)(c >> 8), (byte)(c >> 16), (byte)(c >> 24),
            0x00, 0x00, 0x00, 0x40,                      // max packet size 1 GiB
            45,                                          // utf8mb4_general_ci
            .. new byte[23],
            .. "linli"u8, 0,
            3, 1, 2, 3,                                  // length-encoded auth response
            .. "linli_test"u8, 0,
            .. "mysql_native_password"u8, 0,
        ];
        Assert.That(writer.Payload.ToArray(), Is.EqualTo(expected));
    }

    [Test]
    public void SslRequestIsTheFirst32BytesOfTheResponseWithTheSslFlag()
    {
        var capabilities = CapabilityFlags.Protocol41 | CapabilityFlags.SecureConnection | CapabilityFlags.PluginAuth;
        using var ssl = new PayloadWriter();
        using var full = new PayloadWriter();

        HandshakeResponse41.WriteSslRequest(ssl, capabilities | CapabilityFlags.Ssl);
        HandshakeResponse41.Write(full, capabilities | CapabilityFlags.Ssl, "u", [], null, "mysql_native_password");

        Assert.That(ssl.PayloadLength, Is.EqualTo(32));
        Assert.That(ssl.Payload.ToArray(), Is.EqualTo(full.Payload[..32].ToArray()));
        Assert.That(ssl.Payload[1] & 0x08, Is.EqualTo(0x08), "CLIENT_SSL is 0x800");
    }

    [Test]
    public void AuthSwitchRequestGivesThePluginAndTheScrambleWithoutItsNul()
    {
        byte[] payload = [0xFE, .. "mysql_native_password"u8, 0, .. "01234567890123456789"u8, 0];

        var request = AuthSwitchRequest.Create(payload);

        Assert.That(request.PluginName, Is.EqualTo("mysql_native_password"));
        Assert.That(request.PluginData, Is.EqualTo("01234567890123456789"u8.ToArray()));
    }
}
