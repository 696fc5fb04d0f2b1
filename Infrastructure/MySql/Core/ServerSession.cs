using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Linli.Infrastructure.MySql.Protocol;

namespace Linli.Infrastructure.MySql.Core;

/// <summary>
/// One authenticated connection to the server: the socket, the packet stream, and the session state
/// (thread id, status flags, whether it may be reused).
/// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_lifecycle.html
/// </summary>
internal sealed partial class ServerSession : IDisposable
{
    private const CapabilityFlags WantedCapabilities =
        CapabilityFlags.LongPassword | CapabilityFlags.FoundRows | CapabilityFlags.LongFlag | CapabilityFlags.Protocol41
        | CapabilityFlags.Transactions | CapabilityFlags.SecureConnection | CapabilityFlags.MultiStatements
        | CapabilityFlags.MultiResults | CapabilityFlags.PluginAuth | CapabilityFlags.PluginAuthLengthEncodedClientData
        | CapabilityFlags.DeprecateEof;

    private readonly PacketStream _packets;
    private readonly Socket _socket;
    private PayloadWriter _writer = new();
    private bool _disposed;

    private ServerSession(ConnectionSettings settings, Socket socket, PacketStream packets)
    {
        Settings = settings;
        _socket = socket;
        _packets = packets;
        CreatedAt = Stopwatch.GetTimestamp();
    }

    public ConnectionSettings Settings { get; }
    public int ThreadId { get; private set; }
    public string ServerVersion { get; private set; } = "";
    public bool IsMariaDb { get; private set; }
    public CapabilityFlags Capabilities { get; private set; }
    public ServerStatus Status { get; private set; }
    public bool IsBroken { get; private set; }
    public bool IsSecure { get; private set; }
    public long CreatedAt { get; }
    public long ReturnedAt { get; set; }
    public int PoolGeneration { get; set; }
    public ConnectionPool? Pool { get; set; }
    /// <summary>Set when the last command's results are not fully read; such a session cannot run another command.</summary>
    public object? ActiveReader { get; set; }
    /// <summary>The column definitions of the last result set, reused when the next one has the same layout.</summary>
    public ColumnDefinition[] LastColumns { get; set; } = [];
    /// <summary>ChangeDatabase ran: a reset would not undo it, so the pool discards the session.</summary>
    public bool DatabaseChanged { get; set; }

    public bool NoBackslashEscapes => (Status & ServerStatus.NoBackslashEscapes) != 0;

    /// <summary>How the next statement's string literals will be read; unknown while a reset is pending.</summary>
    public StringEscaping StringEscaping =>
        _resetPending ? StringEscaping.Unknown : NoBackslashEscapes ? StringEscaping.NoBackslashEscapes : StringEscaping.BackslashEscapes;
    public bool InTransaction => (Status & ServerStatus.InTransaction) != 0;

    public void UpdateStatus(ServerStatus status) => Status = status;

    public void MarkBroken() => IsBroken = true;

    public static async Task<ServerSession> ConnectAsync(ConnectionSettings settings, bool async, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.ConnectTimeout);
        Socket? socket = null;
        ServerSession? session = null;
        try
        {
            socket = await OpenSocketAsync(settings, timeout.Token).ConfigureAwait(false);
            session = new ServerSession(settings, socket, new PacketStream(new NetworkStream(socket, ownsSocket: true)));
            // The handshake honours the connect timeout through the socket's own timeouts when run synchronously.
            socket.ReceiveTimeout = socket.SendTimeout = (int)settings.ConnectTimeout.TotalMilliseconds;
            using (timeout.Token.Register(static s => ((Socket)s!).Dispose(), socket))
                await session.HandshakeAsync(async, timeout.Token).ConfigureAwait(false);
            socket.ReceiveTimeout = socket.SendTimeout = 0;
            // From now on a failed read means a lost connection (during the handshake it means "unable to connect").
            session._packets.ReadFailure = session.Lost;
            return session;
        }
        catch (MySqlException)
        {
            DisposeQuietly(session, socket);
            throw;
        }
        catch (Exception e) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            DisposeQuietly(session, socket);
            throw new MySqlException(MySqlErrorCode.UnableToConnect, "08001",
                $"Connect Timeout expired: could not connect to MySQL server on {settings.Host}:{settings.Port} within {settings.ConnectTimeout.TotalSeconds:0} s.", e);
        }
        catch (OperationCanceledException)
        {
            DisposeQuietly(session, socket);
            throw;
        }
        catch (AuthenticationException e)
        {
            DisposeQuietly(session, socket);
            throw new MySqlException(MySqlErrorCode.SslConnectionError, "08001",
                $"SSL connection error with MySQL server on {settings.Host}:{settings.Port} (SslMode={settings.SslMode}): {e.Message}", e);
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
        {
            DisposeQuietly(session, socket);
            throw new MySqlException(MySqlErrorCode.UnableToConnect, "08001",
                $"Unable to connect to MySQL server on {settings.Host}:{settings.Port}: {e.Message}", e);
        }
        catch (Exception e) when (e is FormatException or MySqlProtocolException)
        {
            DisposeQuietly(session, socket);
            throw new MySqlException(MySqlErrorCode.UnableToConnect, "08S01",
                $"The server at {settings.Host}:{settings.Port} sent an invalid handshake: {e.Message}", e);
        }
        catch
        {
            DisposeQuietly(session, socket);
            throw;
        }
    }

    private static void DisposeQuietly(ServerSession? session, Socket? socket)
    {
        if (session is not null) session.Dispose();
        else socket?.Dispose();
    }

    private static async Task<Socket> OpenSocketAsync(ConnectionSettings settings, CancellationToken cancellationToken)
    {
        IPAddress[] addresses = IPAddress.TryParse(settings.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(settings.Host, cancellationToken).ConfigureAwait(false);
        Exception? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(address, settings.Port, cancellationToken).ConfigureAwait(false);
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
                return socket;
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
        }
        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    private async Task HandshakeAsync(bool async, CancellationToken cancellationToken)
    {
        _packets.Sequence = 0;
        var greetingPayload = await _packets.ReadPayloadAsync(async, cancellationToken).ConfigureAwait(false);
        if (ErrPacket.IsErr(greetingPayload.Span)) throw ErrPacket.Create(greetingPayload.Span).ToException();
        var greeting = HandshakeV10.Create(greetingPayload.Span);
        ThreadId = unchecked((int)greeting.ConnectionId);
        ServerVersion = greeting.DisplayVersion;
        IsMariaDb = greeting.IsMariaDb;
        Status = greeting.Status;

        var required = CapabilityFlags.Protocol41 | CapabilityFlags.SecureConnection;
        if ((greeting.Capabilities & required) != required)
            throw new MySqlException(MySqlErrorCode.UnableToConnect, "08004", $"The server {greeting.ServerVersion} does not support the 4.1 protocol.");
        var capabilities = WantedCapabilities & greeting.Capabilities | CapabilityFlags.LongPassword;
        if (Settings.Database is not null) capabilities |= CapabilityFlags.ConnectWithDb & greeting.Capabilities;

        var serverOffersTls = (greeting.Capabilities & CapabilityFlags.Ssl) != 0;
        if (Settings.SslMode != MySqlSslMode.None)
        {
            if (serverOffersTls)
            {
                capabilities |= CapabilityFlags.Ssl;
                _writer.Reset();
                HandshakeResponse41.WriteSslRequest(_writer, capabilities);
                await _packets.WritePayloadAsync(_writer, async, cancellationToken).ConfigureAwait(false);
                await StartTlsAsync(async, cancellationToken).ConfigureAwait(false);
            }
            else if (Settings.SslMode != MySqlSslMode.Preferred)
            {
                throw new MySqlException(MySqlErrorCode.SslConnectionError, "08004",
                    $"SslMode={Settings.SslMode} but the server at {Settings.Host}:{Settings.Port} does not offer TLS.");
            }
        }
        Capabilities = capabilities;

        var plugin = greeting.AuthPluginName;
        var scramble = greeting.Scramble;
        var authResponse = plugin switch
        {
            AuthScramble.NativePasswordPlugin => AuthScramble.NativePassword(Settings.Password, scramble),
            AuthScramble.CachingSha2Plugin => AuthScramble.CachingSha2Password(Settings.Password, scramble),
            // Unknown default plugin: answer for native password; the server will switch to what the account uses.
            _ => AuthScramble.NativePassword(Settings.Password, scramble),
        };
        if (plugin is not (AuthScramble.NativePasswordPlugin or AuthScramble.CachingSha2Plugin)) plugin = AuthScramble.NativePasswordPlugin;
        _writer.Reset();
        HandshakeResponse41.Write(_writer, capabilities, Settings.User, authResponse, Settings.Database, plugin);
        await _packets.WritePayloadAsync(_writer, async, cancellationToken).ConfigureAwait(false);
        await AuthenticateAsync(plugin, scramble, async, cancellationToken).ConfigureAwait(false);
    }

    private async Task AuthenticateAsync(string plugin, byte[] scramble, bool async, CancellationToken cancellationToken)
    {
        while (true)
        {
            var payload = await _packets.ReadPayloadAsync(async, cancellationToken).ConfigureAwait(false);
            var header = payload.Span.Length > 0 ? payload.Span[0] : throw new FormatException("Expected an authentication reply but the packet is empty.");
            switch (header)
            {
                case 0x00:
                    Status = OkPacket.Create(payload.Span).Status;
                    return;
                case 0xFF:
                    throw ErrPacket.Create(payload.Span).ToException();
                case 0xFE:
                {
                    var request = AuthSwitchRequest.Create(payload.Span);
                    plugin = request.PluginName;
                    scramble = request.PluginData;
                    var response = plugin switch
                    {
                        AuthScramble.NativePasswordPlugin => AuthScramble.NativePassword(Settings.Password, scramble),
                        AuthScramble.CachingSha2Plugin => AuthScramble.CachingSha2Password(Settings.Password, scramble),
                        "mysql_clear_password" when IsSecure => Encoding.UTF8.GetBytes(Settings.Password + "\0"),
                        _ => throw new MySqlException(MySqlErrorCode.UnableToConnect, "08004", $"The server asked for the authentication plugin \"{plugin}\", which this driver does not support."),
                    };
                    await SendAuthDataAsync(response, async, cancellationToken).ConfigureAwait(false);
                    break;
                }
                case 0x01 when plugin == AuthScramble.CachingSha2Plugin:
                {
                    var more = AuthMoreData.Create(payload.Span).Data;
                    if (more is [0x03]) break; // fast auth succeeded; an OK follows
                    if (more is not [0x04]) throw new FormatException($"Expected caching_sha2_password fast (0x03) or full (0x04) auth marker but got {Convert.ToHexString(more)}.");
                    if (IsSecure)
                    {
                        await SendAuthDataAsync(Encoding.UTF8.GetBytes(Settings.Password + "\0"), async, cancellationToken).ConfigureAwait(false);
                        break;
                    }
                    // No TLS: ask for the server's RSA public key and encrypt the password with it.
                    await SendAuthDataAsync([0x02], async, cancellationToken).ConfigureAwait(false);
                    var keyPayload = await _packets.ReadPayloadAsync(async, cancellationToken).ConfigureAwait(false);
                    if (ErrPacket.IsErr(keyPayload.Span)) throw ErrPacket.Create(keyPayload.Span).ToException();
                    var pem = Encoding.ASCII.GetString(AuthMoreData.Create(keyPayload.Span).Data);
                    await SendAuthDataAsync(AuthScramble.EncryptPassword(Settings.Password, scramble, pem), async, cancellationToken).ConfigureAwait(false);
                    break;
                }
                default:
                    throw new FormatException($"Expected OK, ERR or an auth switch during authentication but the header is 0x{header:X2}.");
            }
        }
    }

    private ValueTask SendAuthDataAsync(ReadOnlySpan<byte> data, bool async, CancellationToken cancellationToken)
    {
        _writer.Reset();
        _writer.Write(data);
        return _packets.WritePayloadAsync(_writer, async, cancellationToken);
    }

    private async Task StartTlsAsync(bool async, CancellationToken cancellationToken)
    {
        var mode = Settings.SslMode;
        using var ca = LoadCertificateAuthority();
        string? rejection = null;
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = Settings.Host,
            EnabledSslProtocols = SslProtocols.None, // the OS default: TLS 1.2 and 1.3
            RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                (rejection = ValidateServerCertificate(mode, ca, certificate, errors)) is null,
        };
        var ssl = new SslStream(_packets.Stream, leaveInnerStreamOpen: false);
        try
        {
            if (async) await ssl.AuthenticateAsClientAsync(options, cancellationToken).ConfigureAwait(false);
            else ssl.AuthenticateAsClient(options);
        }
        catch (AuthenticationException e) when (rejection is not null)
        {
            throw new AuthenticationException($"the server certificate was rejected: {rejection}", e);
        }
        _packets.ReplaceStream(ssl);
        IsSecure = true;
    }

    private X509Certificate2? LoadCertificateAuthority()
    {
        if (Settings.SslCa is null) return null;
        try
        {
            return X509CertificateLoader.LoadCertificateFromFile(Settings.SslCa);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new MySqlException(MySqlErrorCode.SslConnectionError, "08001", $"SslCa \"{Settings.SslCa}\" could not be read as a certificate: {e.Message}", e);
        }
    }

    /// <summary>Null when the certificate is acceptable for the mode, else why not.</summary>
    private static string? ValidateServerCertificate(MySqlSslMode mode, X509Certificate2? ca, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (mode is MySqlSslMode.Preferred or MySqlSslMode.Required) return null;
        if (certificate is null) return "the server sent no certificate";
        if (mode == MySqlSslMode.VerifyFull && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            return "its name does not match the Server in the connection string (SslMode=VerifyFull)";
        if (ca is null)
            return (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None
                ? null
                : $"it does not chain to a trusted root ({errors}); give the CA with SslCa";
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var serverCertificate = new X509Certificate2(certificate);
        return chain.Build(serverCertificate)
            ? null
            : $"it does not chain to the SslCa certificate ({string.Join(", ", chain.ChainStatus.Select(status => status.StatusInformation.Trim()))})";
    }

    /// <summary>A fresh, empty payload writer for the next command; the caller sends it with <see cref="SendCommandAsync"/>.</summary>
    public PayloadWriter StartCommand(byte command)
    {
        if (_writer.Capacity > 1024 * 1024)
        {
            // Do not keep a huge buffer alive for the life of a pooled connection.
            _writer.Dispose();
            _writer = new PayloadWriter();
        }
        _writer.Reset();
        _writer.WriteByte(command);
        return _writer;
    }

    private static readonly ReadOnlyMemory<byte> ResetConnectionPacket = new byte[] { 1, 0, 0, 0, CommandKind.ResetConnection };

    /// <summary>
    /// A pooled session handed out again is reset before its next command, in the same write as that command
    /// (pipelined), so reuse costs no extra round trip.
    /// </summary>
    public void DeferReset() => _resetPending = true;

    private bool _resetPending;

    public ValueTask SendCommandAsync(bool async, CancellationToken cancellationToken)
    {
        _ = cancellationToken; // a half-written command would break the session: once started, the write completes
        if (IsBroken) throw new MySqlException(MySqlErrorCode.ServerGone, "08S01", "MySQL server has gone away: this connection broke earlier and cannot be used.");
        try
        {
            if (_resetPending) return SendWithResetAsync(async);
            _packets.Sequence = 0;
            var write = _packets.WritePayloadAsync(_writer, async, CancellationToken.None);
            return write.IsCompletedSuccessfully ? default : AwaitSendAsync(write);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            throw Gone(e);
        }
    }

    private async ValueTask AwaitSendAsync(ValueTask write)
    {
        try
        {
            await write.ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            throw Gone(e);
        }
    }

    private async ValueTask SendWithResetAsync(bool async)
    {
        _resetPending = false;
        try
        {
            await _packets.WritePipelinedAsync(ResetConnectionPacket, _writer, async, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            throw Gone(e);
        }
        // The reset's reply (sequence 1) comes first; the command's reply starts at sequence 1 again.
        _packets.Sequence = 1;
        var reply = await ReceiveAsync(async).ConfigureAwait(false);
        if (!OkPacket.IsOk(reply.Span))
        {
            IsBroken = true;
            throw ErrPacket.IsErr(reply.Span)
                ? ErrPacket.Create(reply.Span).ToException()
                : new MySqlException(MySqlErrorCode.ConnectionLost, "08S01", "Lost connection to MySQL server: unexpected reply to COM_RESET_CONNECTION.");
        }
        Status = OkPacket.Create(reply.Span).Status;
        _packets.Sequence = 1;
    }

    private MySqlException Gone(Exception e)
    {
        IsBroken = true;
        return new MySqlException(MySqlErrorCode.ServerGone, "08S01", "MySQL server has gone away: sending the command failed.", e);
    }

    /// <summary>
    /// Without a round trip: false when the server has closed the idle socket (after a restart or its idle timeout)
    /// or sent something unasked, either of which makes the session unusable.
    /// </summary>
    public bool LooksAlive()
    {
        if (IsBroken) return false;
        try
        {
            return !_socket.Poll(0, SelectMode.SelectRead);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>An empty packet continuing the current exchange (declines a LOCAL INFILE request).</summary>
    public async ValueTask SendEmptyPacketAsync(bool async)
    {
        _writer.Reset();
        try
        {
            await _packets.WritePayloadAsync(_writer, async, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            throw Lost(e);
        }
    }

    /// <summary>Reads the next packet of the current reply; I/O and framing failures break the session.</summary>
    public ValueTask<ReadOnlyMemory<byte>> ReceiveAsync(bool async)
    {
        try
        {
            // Failures while waiting are mapped by the packet stream itself (ReadFailure), without another async layer.
            return _packets.ReadPayloadAsync(async, CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or MySqlProtocolException)
        {
            throw Lost(e);
        }
    }

    private MySqlException Lost(Exception e)
    {
        IsBroken = true;
        return e is MySqlProtocolException
            ? new MySqlException(MySqlErrorCode.ConnectionLost, "08S01", $"Lost connection to MySQL server during query: {e.Message}", e)
            : new MySqlException(MySqlErrorCode.ConnectionLost, "08S01", "Lost connection to MySQL server during query", e);
    }

    /// <summary>Wraps a malformed-packet failure the same way as a lost connection: the session cannot continue.</summary>
    public MySqlException Malformed(FormatException e)
    {
        IsBroken = true;
        return new MySqlException(MySqlErrorCode.ConnectionLost, "08S01", $"Lost connection to MySQL server during query: malformed packet: {e.Message}", e);
    }

    /// <summary>Reads an OK reply (COM_PING, COM_RESET_CONNECTION); ERR becomes a MySqlException.</summary>
    private async ValueTask ReadOkAsync(bool async)
    {
        var payload = await ReceiveAsync(async).ConfigureAwait(false);
        if (ErrPacket.IsErr(payload.Span)) throw ErrPacket.Create(payload.Span).ToException();
        try
        {
            Status = OkPacket.Create(payload.Span).Status;
        }
        catch (FormatException e)
        {
            throw Malformed(e);
        }
    }

    public async ValueTask PingAsync(bool async, CancellationToken cancellationToken)
    {
        StartCommand(CommandKind.Ping);
        await SendCommandAsync(async, cancellationToken).ConfigureAwait(false);
        await ReadOkAsync(async).ConfigureAwait(false);
    }

    /// <summary>COM_RESET_CONNECTION: rolls back, drops temporary tables, resets session variables; keeps the database.</summary>
    public async ValueTask ResetAsync(bool async, CancellationToken cancellationToken)
    {
        _resetPending = false;
        StartCommand(CommandKind.ResetConnection);
        await SendCommandAsync(async, cancellationToken).ConfigureAwait(false);
        await ReadOkAsync(async).ConfigureAwait(false);
    }

    /// <summary>Runs statements whose results nobody needs (transaction control, KILL); throws on ERR.</summary>
    public async ValueTask ExecuteAsync(string sql, bool async, CancellationToken cancellationToken)
    {
        var writer = StartCommand(CommandKind.Query);
        writer.WriteUtf8(sql);
        await SendCommandAsync(async, cancellationToken).ConfigureAwait(false);
        MySqlException? error = null;
        while (true)
        {
            var payload = await ReceiveAsync(async).ConfigureAwait(false);
            var span = payload.Span;
            if (ErrPacket.IsErr(span))
            {
                error ??= ErrPacket.Create(span).ToException();
                break;
            }
            if (OkPacket.IsOk(span))
            {
                Status = OkPacket.Create(span).Status;
                if ((Status & ServerStatus.MoreResultsExist) == 0) break;
                continue;
            }
            // A result set nobody asked for: skip its column definitions and rows.
            if (await SkipResultSetAsync(async).ConfigureAwait(false)) continue;
            break;
        }
        if (error is not null) throw error;
    }

    /// <summary>Skips a result set after its column-count packet; returns whether more results follow.</summary>
    public async ValueTask<bool> SkipResultSetAsync(bool async)
    {
        // Without DEPRECATE_EOF an EOF also ends the column definitions; column definitions never start with 0xFE.
        var terminators = (Capabilities & CapabilityFlags.DeprecateEof) != 0 ? 1 : 2;
        while (true)
        {
            var payload = await ReceiveAsync(async).ConfigureAwait(false);
            var span = payload.Span;
            if (ErrPacket.IsErr(span)) throw ErrPacket.Create(span).ToException();
            if (!OkPacket.IsResultSetTerminator(span)) continue;
            Status = ReadTerminatorStatus(span);
            if (--terminators == 0) return (Status & ServerStatus.MoreResultsExist) != 0;
        }
    }

    /// <summary>The status flags of the packet that ends a result set: an OK under DEPRECATE_EOF, else an EOF.</summary>
    public ServerStatus ReadTerminatorStatus(ReadOnlySpan<byte> span)
    {
        try
        {
            return (Capabilities & CapabilityFlags.DeprecateEof) != 0 ? OkPacket.Create(span).Status : EofPacket.Create(span).Status;
        }
        catch (FormatException e)
        {
            throw Malformed(e);
        }
    }

    /// <summary>Sends KILL QUERY for <paramref name="threadId"/> from a separate, unpooled connection.</summary>
    public static async Task KillQueryAsync(ConnectionSettings settings, int threadId)
    {
        using var side = await ConnectAsync(settings, async: true, CancellationToken.None).ConfigureAwait(false);
        await side.ExecuteAsync($"KILL QUERY {threadId}", async: true, CancellationToken.None).ConfigureAwait(false);
        await side.QuitAsync(async: true).ConfigureAwait(false);
    }

    public async ValueTask QuitAsync(bool async)
    {
        if (IsBroken || _disposed) return;
        try
        {
            StartCommand(CommandKind.Quit);
            _packets.Sequence = 0;
            await _packets.WritePayloadAsync(_writer, async, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            IsBroken = true;
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            if (!IsBroken && ActiveReader is null)
            {
                _socket.SendTimeout = 1000;
                QuitAsync(async: false).AsTask().GetAwaiter().GetResult();
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or MySqlException)
        {
            // Closing anyway.
        }
        DisposeCancellation();
        _packets.Dispose();
        _socket.Dispose();
        _writer.Dispose();
    }
}
