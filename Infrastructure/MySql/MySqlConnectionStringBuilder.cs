using System.Data.Common;
using System.Globalization;

namespace Linli.Infrastructure.MySql;

/// <summary>Connection string keys are case-insensitive and accept the usual aliases; the builder stores each under its canonical name.</summary>
// CA1010: the base class fixes the non-generic collection shape.
#pragma warning disable CA1010
public sealed class MySqlConnectionStringBuilder : DbConnectionStringBuilder
{
    private static readonly Dictionary<string, string> Canonical = BuildAliases();

    public MySqlConnectionStringBuilder() { }

    public MySqlConnectionStringBuilder(string? connectionString) => ConnectionString = connectionString ?? "";

    public string Server { get => GetString("Server", "")!; set => this["Server"] = value; }
    public uint Port { get => GetUInt("Port", 3306); set => this["Port"] = value; }
    public string? Database { get => GetString("Database", null); set => this["Database"] = value; }
    public string UserID { get => GetString("User ID", "")!; set => this["User ID"] = value; }
    public string Password { get => GetString("Password", "")!; set => this["Password"] = value; }
    public MySqlSslMode SslMode { get => GetEnum("SslMode", MySqlSslMode.Preferred); set => this["SslMode"] = value; }
    public string? SslCa { get => GetString("SslCa", null); set => this["SslCa"] = value; }
    public bool Pooling { get => GetBool("Pooling", true); set => this["Pooling"] = value; }
    public uint MaximumPoolSize { get => GetUInt("Maximum Pool Size", 100); set => this["Maximum Pool Size"] = value; }
    public uint MinimumPoolSize { get => GetUInt("Minimum Pool Size", 0); set => this["Minimum Pool Size"] = value; }
    public uint ConnectionTimeout { get => GetUInt("Connection Timeout", 15); set => this["Connection Timeout"] = value; }
    public uint DefaultCommandTimeout { get => GetUInt("Default Command Timeout", 30); set => this["Default Command Timeout"] = value; }
    public uint ConnectionIdleTimeout { get => GetUInt("Connection Idle Timeout", 180); set => this["Connection Idle Timeout"] = value; }
    public uint ConnectionLifeTime { get => GetUInt("Connection Lifetime", 0); set => this["Connection Lifetime"] = value; }
    public bool AllowUserVariables { get => GetBool("Allow User Variables", false); set => this["Allow User Variables"] = value; }
    public bool ConnectionReset { get => GetBool("Connection Reset", true); set => this["Connection Reset"] = value; }

    [System.Diagnostics.CodeAnalysis.AllowNull]
    public override object this[string keyword]
    {
        get => base[ToCanonical(keyword)];
        set
        {
            var key = ToCanonical(keyword);
            if (value is null) Remove(key);
            else base[key] = value;
        }
    }

    public override bool ContainsKey(string keyword) => base.ContainsKey(ToCanonical(keyword));

    public override bool Remove(string keyword) => base.Remove(ToCanonical(keyword));

    public override bool TryGetValue(string keyword, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out object? value) =>
        base.TryGetValue(ToCanonical(keyword), out value);

    private static string ToCanonical(string keyword) =>
        Canonical.TryGetValue(keyword.Trim(), out var canonical)
            ? canonical
            : throw new ArgumentException($"The connection string key \"{keyword}\" is not supported.", nameof(keyword));

    private string? GetString(string key, string? fallback) => TryGetValue(key, out var value) ? Convert.ToString(value, CultureInfo.InvariantCulture) : fallback;

    private uint GetUInt(string key, uint fallback)
    {
        var text = GetString(key, null);
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        return uint.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"The connection string value of \"{key}\" must be a non-negative whole number, not \"{text}\".");
    }

    private bool GetBool(string key, bool fallback)
    {
        var text = GetString(key, null);
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        return text.Trim().ToLowerInvariant() switch
        {
            "true" or "yes" or "1" => true,
            "false" or "no" or "0" => false,
            _ => throw new ArgumentException($"The connection string value of \"{key}\" must be true or false, not \"{text}\"."),
        };
    }

    private T GetEnum<T>(string key, T fallback) where T : struct, Enum
    {
        var text = GetString(key, null);
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        return Enum.TryParse<T>(text.Trim(), ignoreCase: true, out var value) && Enum.IsDefined(value)
            ? value
            : throw new ArgumentException($"The connection string value of \"{key}\" must be one of {string.Join(", ", Enum.GetNames<T>())}, not \"{text}\".");
    }

    private static Dictionary<string, string> BuildAliases()
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        void Add(string canonical, params string[] aliases)
        {
            map[canonical] = canonical;
            foreach (var alias in aliases) map[alias] = canonical;
        }
        Add("Server", "Host", "Data Source", "DataSource", "Address", "Addr", "Network Address");
        Add("Port");
        Add("Database", "Initial Catalog");
        Add("User ID", "UserID", "Uid", "User", "Username", "User Name");
        Add("Password", "Pwd");
        Add("SslMode", "Ssl Mode", "Ssl-Mode");
        Add("SslCa", "Ssl Ca", "Ssl-Ca", "CACertificateFile", "CA Certificate File");
        Add("Pooling");
        Add("Maximum Pool Size", "MaxPoolSize", "Max Pool Size", "MaximumPoolSize");
        Add("Minimum Pool Size", "MinPoolSize", "Min Pool Size", "MinimumPoolSize");
        Add("Connection Timeout", "Connect Timeout", "ConnectionTimeout", "ConnectTimeout");
        Add("Default Command Timeout", "Command Timeout", "DefaultCommandTimeout");
        Add("Connection Idle Timeout", "ConnectionIdleTimeout");
        Add("Connection Lifetime", "ConnectionLifeTime", "Load Balance Timeout");
        Add("Allow User Variables", "AllowUserVariables");
        Add("Connection Reset", "ConnectionReset");
        return map;
    }
}
#pragma warning restore CA1010
