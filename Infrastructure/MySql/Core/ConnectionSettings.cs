using System.Collections.Concurrent;

namespace Linli.Infrastructure.MySql.Core;

/// <summary>A parsed, immutable connection string. Parsing is cached: applications open connections from a handful of strings.</summary>
internal sealed class ConnectionSettings
{
    private static readonly ConcurrentDictionary<string, ConnectionSettings> Cache = new();

    private ConnectionSettings(MySqlConnectionStringBuilder builder)
    {
        Host = string.IsNullOrWhiteSpace(builder.Server) ? "localhost" : builder.Server.Trim();
        Port = (int)builder.Port;
        Database = string.IsNullOrEmpty(builder.Database) ? null : builder.Database;
        User = builder.UserID;
        Password = builder.Password;
        SslMode = builder.SslMode;
        SslCa = string.IsNullOrWhiteSpace(builder.SslCa) ? null : builder.SslCa;
        Pooling = builder.Pooling;
        MaximumPoolSize = (int)Math.Max(1, builder.MaximumPoolSize);
        MinimumPoolSize = (int)Math.Min(builder.MinimumPoolSize, (uint)MaximumPoolSize);
        ConnectTimeout = TimeSpan.FromSeconds(builder.ConnectionTimeout == 0 ? 15 : builder.ConnectionTimeout);
        CommandTimeoutSeconds = (int)Math.Min(builder.DefaultCommandTimeout, int.MaxValue / 1000);
        IdleTimeout = TimeSpan.FromSeconds(builder.ConnectionIdleTimeout);
        Lifetime = builder.ConnectionLifeTime == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(builder.ConnectionLifeTime);
        ConnectionReset = builder.ConnectionReset;
        // The builder stores keys under canonical names, so equivalent strings share one pool.
        var normalised = new MySqlConnectionStringBuilder();
        foreach (var key in builder.Keys.Cast<string>().Order(StringComparer.OrdinalIgnoreCase))
            normalised[key] = builder[key];
        NormalisedConnectionString = normalised.ConnectionString;
    }

    public string Host { get; }
    public int Port { get; }
    public string? Database { get; }
    public string User { get; }
    public string Password { get; }
    public MySqlSslMode SslMode { get; }
    public string? SslCa { get; }
    public bool Pooling { get; }
    public int MaximumPoolSize { get; }
    public int MinimumPoolSize { get; }
    public TimeSpan ConnectTimeout { get; }
    public int CommandTimeoutSeconds { get; }
    public TimeSpan IdleTimeout { get; }
    public TimeSpan Lifetime { get; }
    public bool ConnectionReset { get; }
    public string NormalisedConnectionString { get; }

    public static ConnectionSettings Parse(string connectionString)
    {
        if (Cache.TryGetValue(connectionString, out var settings)) return settings;
        settings = new ConnectionSettings(new MySqlConnectionStringBuilder(connectionString));
        if (Cache.Count < 1000) Cache.TryAdd(connectionString, settings);
        return settings;
    }
}
