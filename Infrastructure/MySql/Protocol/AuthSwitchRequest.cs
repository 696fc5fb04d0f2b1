namespace Linli.Infrastructure.MySql.Protocol;

/// <summary>
/// 0xFE + plugin name + plugin data: the server asks for another auth method.
/// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_auth_switch_request.html
/// </summary>
internal sealed class AuthSwitchRequest
{
    public required string PluginName { get; init; }
    public required byte[] PluginData { get; init; }

    public static AuthSwitchRequest Create(ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload);
        var header = reader.ReadByte("auth switch header");
        if (header != 0xFE) throw new FormatException($"Expected an auth switch request (0xFE) but the header is 0x{header:X2}.");
        var plugin = System.Text.Encoding.UTF8.GetString(reader.ReadNullTerminatedOrRestBytes());
        var data = reader.ReadRest();
        // The scramble is sent NUL-terminated; the NUL is not part of it.
        if (data.Length > 0 && data[^1] == 0) data = data[..^1];
        return new AuthSwitchRequest { PluginName = plugin, PluginData = data.ToArray() };
    }
}

/// <summary>
/// 0x01 + plugin data: extra authentication data (caching_sha2_password's fast/full auth markers and PEM key).
/// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_auth_more_data.html
/// </summary>
internal readonly struct AuthMoreData
{
    public byte[] Data { get; init; }

    public static AuthMoreData Create(ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload);
        var header = reader.ReadByte("auth more data header");
        if (header != 0x01) throw new FormatException($"Expected auth more data (0x01) but the header is 0x{header:X2}.");
        return new AuthMoreData { Data = reader.ReadRest().ToArray() };
    }
}
