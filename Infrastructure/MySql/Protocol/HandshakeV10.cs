namespace Linli.Infrastructure.MySql.Protocol;

/// <summary>
/// The server's greeting.
/// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_handshake_v10.html
/// https://mariadb.com/kb/en/connection/#initial-handshake-packet
/// </summary>
internal sealed class HandshakeV10
{
    private const string MariaDbPrefix = "5.5.5-";

    public required string ServerVersion { get; init; }
    public required uint ConnectionId { get; init; }
    /// <summary>Part 1 and part 2 of the auth plugin data: the 20-byte scramble.</summary>
    public required byte[] Scramble { get; init; }
    public required CapabilityFlags Capabilities { get; init; }
    public required byte Collation { get; init; }
    public required ServerStatus Status { get; init; }
    public required string AuthPluginName { get; init; }
    /// <summary>MariaDB's extended capabilities (the last 4 reserved bytes) when it clears capability bit 0.</summary>
    public uint MariaDbExtendedCapabilities { get; init; }

    public bool IsMariaDb => ServerVersion.Contains("MariaDB", StringComparison.OrdinalIgnoreCase);

    /// <summary>The version without MariaDB's replication-compatibility prefix "5.5.5-".</summary>
    public string DisplayVersion => ServerVersion.StartsWith(MariaDbPrefix, StringComparison.Ordinal) ? ServerVersion[MariaDbPrefix.Length..] : ServerVersion;

    public static HandshakeV10 Create(ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload);
        var protocol = reader.ReadByte("protocol version");
        if (protocol != 10) throw new FormatException($"Expected protocol version 10 in the server greeting but found {protocol}.");
        var version = reader.ReadNullTerminatedString("server version");
        var connectionId = reader.ReadUInt32("connection id");
        var part1 = reader.ReadBytes(8, "auth plugin data part 1");
        reader.Skip(1, "filler");
        var capabilities = (CapabilityFlags)reader.ReadUInt16("capability flags (lower 2 bytes)");
        byte collation = 0;
        var status = ServerStatus.None;
        byte authDataLength = 0;
        uint extended = 0;
        var scramble = part1.ToArray();
        var plugin = "mysql_native_password";
        if (!reader.AtEnd)
        {
            collation = reader.ReadByte("character set");
            status = (ServerStatus)reader.ReadUInt16("status flags");
            capabilities |= (CapabilityFlags)((uint)reader.ReadUInt16("capability flags (upper 2 bytes)") << 16);
            authDataLength = reader.ReadByte("auth plugin data length");
            reader.Skip(6, "reserved");
            extended = reader.ReadUInt32("reserved / MariaDB extended capabilities");
            if ((capabilities & CapabilityFlags.LongPassword) != 0) extended = 0;
            if ((capabilities & CapabilityFlags.SecureConnection) != 0)
            {
                var part2Length = Math.Max(13, authDataLength - 8);
                var part2 = reader.ReadBytes(Math.Min(part2Length, reader.Remaining), "auth plugin data part 2");
                // Part 2 ends with a NUL that is not part of the scramble.
                var trimmed = part2.Length > 0 && part2[^1] == 0 ? part2[..^1] : part2;
                scramble = [.. part1, .. trimmed];
            }
            if ((capabilities & CapabilityFlags.PluginAuth) != 0)
                plugin = System.Text.Encoding.UTF8.GetString(reader.ReadNullTerminatedOrRestBytes());
        }
        return new HandshakeV10
        {
            ServerVersion = version,
            ConnectionId = connectionId,
            Scramble = scramble,
            Capabilities = capabilities,
            Collation = collation,
            Status = status,
            AuthPluginName = plugin,
            MariaDbExtendedCapabilities = extended,
        };
    }
}
