using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Linli.Infrastructure.MySql;
using Linli.Infrastructure.MySql.Protocol;

namespace Linli.Api.Tests.MySql.Protocol;

/// <summary>
/// The connection phase against a scripted server on loopback that speaks the documented packets, for the exchanges
/// MariaDB cannot show (caching_sha2_password fast and full authentication, an auth switch).
/// https://dev.mysql.com/doc/dev/mysql-server/latest/page_caching_sha2_authentication_exchanges.html
/// </summary>
public class AuthenticationExchangeTests
{
    private const string Password = "s3cret-pässword";
    private static readonly byte[] Scramble = "abcdefghij0123456789"u8.ToArray();

    [Test]
    public async Task CachingSha2FastAuthenticationConnects()
    {
        await using var server = FakeServer.Start(async stream =>
        {
            await WriteGreetingAsync(stream, "caching_sha2_password");
            var response = HandshakeResponse.Parse((await ReadPacketAsync(stream)).Payload);
            Assert.That(response.Plugin, Is.EqualTo("caching_sha2_password"));
            Assert.That(response.AuthResponse, Is.EqualTo(AuthScramble.CachingSha2Password(Password, Scramble)));
            await WritePacketAsync(stream, 2, [0x01, 0x03]);
            await WritePacketAsync(stream, 3, Ok);
        });

        await using var connection = new MySqlConnection(server.ConnectionString);
        await connection.OpenAsync();

        Assert.That(connection.ServerThreadId, Is.EqualTo(77));
        await server.Finished;
    }

    [Test]
    public async Task CachingSha2FullAuthenticationWithoutTlsSendsThePasswordEncryptedWithTheServersRsaKey()
    {
        using var rsa = RSA.Create(2048);
        await using var server = FakeServer.Start(async stream =>
        {
            await WriteGreetingAsync(stream, "caching_sha2_password");
            await ReadPacketAsync(stream);
            await WritePacketAsync(stream, 2, [0x01, 0x04]);
            var keyRequest = await ReadPacketAsync(stream);
            Assert.That(keyRequest.Sequence, Is.EqualTo(3));
            Assert.That(keyRequest.Payload, Is.EqualTo(new byte[] { 0x02 }));
            await WritePacketAsync(stream, 4, [0x01, .. Encoding.ASCII.GetBytes(rsa.ExportSubjectPublicKeyInfoPem())]);
            var encrypted = await ReadPacketAsync(stream);
            Assert.That(encrypted.Sequence, Is.EqualTo(5));
            var plain = rsa.Decrypt(encrypted.Payload, RSAEncryptionPadding.OaepSHA1);
            var password = plain.Select((b, i) => (byte)(b ^ Scramble[i % Scramble.Length])).ToArray();
            Assert.That(Encoding.UTF8.GetString(password), Is.EqualTo(Password + "\0"));
            await WritePacketAsync(stream, 6, Ok);
        });

        await using var connection = new MySqlConnection(server.ConnectionString);
        await connection.OpenAsync();

        await server.Finished;
    }

    [Test]
    public async Task AuthSwitchIsAnsweredWithThePluginTheServerAsksFor()
    {
        var newScramble = "ZYXWVUTSRQ9876543210"u8.ToArray();
        await using var server = FakeServer.Start(async stream =>
        {
            await WriteGreetingAsync(stream, "caching_sha2_password");
            await ReadPacketAsync(stream);
            await WritePacketAsync(stream, 2, [0xFE, .. "mysql_native_password"u8, 0, .. newScramble, 0]);
            var answer = await ReadPacketAsync(stream);
            Assert.That(answer.Sequence, Is.EqualTo(3));
            Assert.That(answer.Payload, Is.EqualTo(AuthScramble.NativePassword(Password, newScramble)));
            await WritePacketAsync(stream, 4, Ok);
        });

        await using var connection = new MySqlConnection(server.ConnectionString);
        connection.Open();

        await server.Finished;
    }

    [Test]
    public async Task RejectedCredentialsFailWithTheServersAccessDeniedError()
    {
        await using var server = FakeServer.Start(async stream =>
        {
            await WriteGreetingAsync(stream, "mysql_native_password");
            await ReadPacketAsync(stream);
            await WritePacketAsync(stream, 2, [0xFF, 0x15, 0x04, (byte)'#', .. "28000"u8, .. "Access denied for user 'u'@'127.0.0.1' (using password: YES)"u8]);
        });

        await using var connection = new MySqlConnection(server.ConnectionString);
        var error = Assert.ThrowsAsync<MySqlException>(connection.OpenAsync);

        Assert.That(error!.Number, Is.EqualTo(MySqlErrorCode.AccessDenied));
        Assert.That(error.SqlState, Is.EqualTo("28000"));
        Assert.That(error.Message, Does.StartWith("Access denied for user"));
    }

    private static readonly byte[] Ok = [0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00];

    private static Task WriteGreetingAsync(NetworkStream stream, string plugin)
    {
        var capabilities = (uint)(CapabilityFlags.LongPassword | CapabilityFlags.Protocol41 | CapabilityFlags.SecureConnection
            | CapabilityFlags.PluginAuth | CapabilityFlags.PluginAuthLengthEncodedClientData | CapabilityFlags.DeprecateEof
            | CapabilityFlags.ConnectWithDb | CapabilityFlags.MultiResults | CapabilityFlags.MultiStatements);
        byte[] payload =
        [
            0x0A, .. "8.0.36-fake"u8, 0,
            77, 0, 0, 0,
            .. Scramble[..8], 0,
            (byte)capabilities, (byte)(capabilities >> 8), 0xFF, 0x02, 0x00, (byte)(capabilities >> 16), (byte)(capabilities >> 24),
            21, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            .. Scramble[8..], 0,
            .. Encoding.ASCII.GetBytes(plugin), 0,
        ];
        return WritePacketAsync(stream, 0, payload);
    }

    private static async Task WritePacketAsync(NetworkStream stream, byte sequence, byte[] payload)
    {
        byte[] header = [(byte)payload.Length, (byte)(payload.Length >> 8), (byte)(payload.Length >> 16), sequence];
        await stream.WriteAsync(header);
        await stream.WriteAsync(payload);
    }

    private static async Task<(byte Sequence, byte[] Payload)> ReadPacketAsync(NetworkStream stream)
    {
        var header = new byte[4];
        await stream.ReadExactlyAsync(header);
        var payload = new byte[header[0] | header[1] << 8 | header[2] << 16];
        await stream.ReadExactlyAsync(payload);
        return (header[3], payload);
    }

    private sealed record HandshakeResponse(string User, byte[] AuthResponse, string Plugin)
    {
        public static HandshakeResponse Parse(byte[] payload)
        {
            var reader = new PayloadReader(payload);
            var capabilities = (CapabilityFlags)reader.ReadUInt32("capabilities");
            reader.Skip(28, "max packet, collation, filler");
            var user = reader.ReadNullTerminatedString("user");
            var auth = reader.ReadLengthEncodedBytes("auth response").ToArray();
            if ((capabilities & CapabilityFlags.ConnectWithDb) != 0) reader.ReadNullTerminatedString("database");
            var plugin = reader.ReadNullTerminatedString("plugin");
            return new HandshakeResponse(user, auth, plugin);
        }
    }

    /// <summary>Accepts one connection and runs the script on it; assertion failures surface through <see cref="Finished"/>.</summary>
    private sealed class FakeServer : IAsyncDisposable
    {
        private readonly TcpListener _listener;

        private FakeServer(TcpListener listener, Func<NetworkStream, Task> script)
        {
            _listener = listener;
            Finished = Task.Run(async () =>
            {
                using var client = await _listener.AcceptTcpClientAsync();
                await using var stream = client.GetStream();
                await script(stream);
            });
        }

        public Task Finished { get; }

        public string ConnectionString =>
            $"Server=127.0.0.1;Port={((IPEndPoint)_listener.LocalEndpoint).Port};User ID=u;Password={Password};Database=d;Pooling=false;SslMode=None;Connection Timeout=5";

        public static FakeServer Start(Func<NetworkStream, Task> script)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return new FakeServer(listener, script);
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            try
            {
                await Finished.WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                // The client closing first is fine; assertion failures are not caught here.
            }
            _listener.Dispose();
        }
    }
}
