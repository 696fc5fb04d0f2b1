using System.Data.Common;
using Linli.Api.Tests.Support;
using Linli.Infrastructure.Data;
using MySqlConnector;

namespace Linli.Api.Tests.Data.Provider;

/// <summary>
/// Connections (with the settings the service uses, <see cref="LinliDataSource.Settings"/>) and throw-away tables for the
/// tests of what Linli relies on from its ADO.NET provider, against the real server.
/// </summary>
internal static class DriverDb
{
    /// <summary>The test database's connection string, with extra <c>key=value</c> pairs appended (they win over earlier ones).</summary>
    public static string ConnectionString(string extra = "") =>
        LinliDataSource.Settings(extra.Length == 0 ? TestDatabase.ConnectionString : TestDatabase.ConnectionString + ";" + extra);

    public static async Task<MySqlConnection> OpenAsync(string extra = "", CancellationToken cancellationToken = default)
    {
        DapperTypeHandlers.Register();
        var connection = new MySqlConnection(ConnectionString(extra));
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>A name no other test (or earlier run) uses: tables and schemas are made per test.</summary>
    public static string UniqueName(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public static DbCommand Command(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    public static async Task<int> ExecuteAsync(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync();
    }

    public static async Task<object?> ScalarAsync(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteScalarAsync();
    }

    /// <summary>
    /// An empty schema of its own gives a test its own pool (the connection string differs) and lets it count its
    /// server connections in the process list. Disposing drops it.
    /// </summary>
    public static async Task<ScratchSchema> SchemaAsync()
    {
        var name = UniqueName("ps");
        await using var connection = await OpenAsync("Pooling=false");
        await ExecuteAsync(connection, $"CREATE DATABASE {name}");
        return new ScratchSchema(name);
    }

    /// <summary>Creates a uniquely named InnoDB table; disposing drops it through a fresh connection (the test's own may be broken).</summary>
    public static async Task<ScratchTable> TableAsync(string columns, string prefix = "t")
    {
        var name = UniqueName(prefix);
        await using var connection = await OpenAsync("Pooling=false");
        await ExecuteAsync(connection, $"CREATE TABLE {name} ({columns}) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin");
        return new ScratchTable(name);
    }
}

internal sealed class ScratchTable(string name) : IAsyncDisposable
{
    public string Name { get; } = name;

    public override string ToString() => Name;

    public async ValueTask DisposeAsync()
    {
        await using var connection = await DriverDb.OpenAsync("Pooling=false");
        await DriverDb.ExecuteAsync(connection, $"DROP TABLE IF EXISTS {Name}");
    }
}

internal sealed class ScratchSchema(string name) : IAsyncDisposable
{
    public string Name { get; } = name;

    public override string ToString() => Name;

    public async ValueTask DisposeAsync()
    {
        await using var connection = await DriverDb.OpenAsync("Pooling=false");
        await DriverDb.ExecuteAsync(connection, $"DROP DATABASE IF EXISTS {Name}");
    }
}
