namespace Linli.Infrastructure.MySql.Protocol;

/// <summary>
/// The client's answer to the greeting, and its first 32 bytes alone as the SSLRequest.
/// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_handshake_response.html
/// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_ssl_request.html
/// </summary>
internal static class HandshakeResponse41
{
    public const uint MaxPacketSize = 0x4000_0000;
    public const byte Utf8Mb4GeneralCi = 45;

    /// <summary>The 32-byte SSLRequest: capabilities, max packet size, collation, 23 zero bytes.</summary>
    public static void WriteSslRequest(PayloadWriter writer, CapabilityFlags capabilities, byte collation = Utf8Mb4GeneralCi)
    {
        writer.WriteUInt32((uint)(capabilities | CapabilityFlags.Ssl));
        writer.WriteUInt32(MaxPacketSize);
        writer.WriteByte(collation);
        writer.WriteZeros(23);
    }

    public static void Write(PayloadWriter writer, CapabilityFlags capabilities, string user, ReadOnlySpan<byte> authResponse,
        string? database, string authPluginName, byte collation = Utf8Mb4GeneralCi)
    {
        writer.WriteUInt32((uint)capabilities);
        writer.WriteUInt32(MaxPacketSize);
        writer.WriteByte(collation);
        writer.WriteZeros(23);
        writer.WriteNullTerminated(user);
        if ((capabilities & CapabilityFlags.PluginAuthLengthEncodedClientData) != 0)
        {
            writer.WriteLengthEncodedBytes(authResponse);
        }
        else
        {
            if (authResponse.Length > 255) throw new ArgumentException("The auth response is longer than 255 bytes.", nameof(authResponse));
            writer.WriteByte((byte)authResponse.Length);
            writer.Write(authResponse);
        }
        if ((capabilities & CapabilityFlags.ConnectWithDb) != 0) writer.WriteNullTerminated(database ?? "");
        if ((capabilities & CapabilityFlags.PluginAuth) != 0) writer.WriteNullTerminated(authPluginName);
    }
}
