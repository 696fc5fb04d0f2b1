using MySqlConnector;

namespace Linli.Infrastructure.Data;

/// <summary>
/// The one place that turns a connection string into the application's <see cref="System.Data.Common.DbDataSource"/>
/// (MySqlConnector's pooled <see cref="MySqlDataSource"/>). Features only ever see DbDataSource.
/// </summary>
public static class LinliDataSource
{
    public static MySqlDataSource Create(string connectionString)
    {
        DapperTypeHandlers.Register();
        return new MySqlDataSourceBuilder(Settings(connectionString)).Build();
    }

    /// <summary>
    /// The connection string with the options Linli relies on fixed, whatever the deployment wrote:
    /// DATETIME columns hold UTC, so they read as DateTime of kind Utc (and a local DateTime is refused as a parameter);
    /// utf8mb4 everywhere. The pool is reset on reuse (MySqlConnector's default, kept explicit: a session variable or an
    /// open transaction never leaks to the next request).
    /// </summary>
    public static string Settings(string connectionString) => new MySqlConnectionStringBuilder(connectionString)
    {
        DateTimeKind = MySqlDateTimeKind.Utc,
        CharacterSet = "utf8mb4",
        ConnectionReset = true,
    }.ConnectionString;
}
