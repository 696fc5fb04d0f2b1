using System.Net;
using MySqlConnector;

namespace Linli.Api.Hosting;

/// <summary>
/// Residents' phone numbers and identity numbers cross the wire to the database. Outside Development and Testing the
/// connection must verify the server's certificate (SslMode VerifyCA or VerifyFull), unless the server is on this
/// machine (a Unix socket or loopback) and <c>Database:AllowInsecureTransport=true</c> says that is meant.
/// </summary>
public static class TransportSecurity
{
    public const string AllowInsecureSetting = "Database:AllowInsecureTransport";

    /// <summary>Null when the connection is acceptable; otherwise the problem, naming the setting to change.</summary>
    public static string? Problem(IConfiguration configuration, IHostEnvironment environment)
    {
        if (environment.IsDevelopment() || environment.IsEnvironment("Testing"))
            return null;
        if (configuration.GetConnectionString("Main") is not { Length: > 0 } connectionString)
            return null; // reported as missing by StartupValidation
        MySqlConnectionStringBuilder settings;
        try
        {
            settings = new MySqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            return $"ConnectionStrings:Main is not a valid connection string: {e.Message}";
        }
        if (settings.SslMode is MySqlSslMode.VerifyCA or MySqlSslMode.VerifyFull)
            return null;
        var local = IsLocal(settings);
        if (configuration.GetValue<bool>(AllowInsecureSetting))
            return local ? null
                : $"{AllowInsecureSetting}=true is only for a database on this machine (a Unix socket or loopback), not '{settings.Server}': set SslMode=VerifyCA or VerifyFull in ConnectionStrings:Main.";
        return $"ConnectionStrings:Main must set SslMode=VerifyCA or SslMode=VerifyFull (it is {settings.SslMode}), so the database's certificate is checked"
            + (local ? $"; for this local server {AllowInsecureSetting}=true allows an unverified connection instead." : ".");
    }

    private static bool IsLocal(MySqlConnectionStringBuilder settings) =>
        settings.ConnectionProtocol is MySqlConnectionProtocol.UnixSocket
        || settings.Server.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) is { Length: > 0 } hosts
            && hosts.All(h => h.StartsWith('/')
                || string.Equals(h, "localhost", StringComparison.OrdinalIgnoreCase)
                || (IPAddress.TryParse(h, out var address) && IPAddress.IsLoopback(address)));
}
