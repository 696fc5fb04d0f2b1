using System.Data.Common;

namespace Linli.Infrastructure.MySql;

public sealed class MySqlProviderFactory : DbProviderFactory
{
    public static readonly MySqlProviderFactory Instance = new();

    private MySqlProviderFactory() { }

    public override bool CanCreateDataSourceEnumerator => false;

    public override DbConnection CreateConnection() => new MySqlConnection();

    public override DbCommand CreateCommand() => new MySqlCommand();

    public override DbParameter CreateParameter() => new MySqlParameter();

    public override DbConnectionStringBuilder CreateConnectionStringBuilder() => new MySqlConnectionStringBuilder();

    public override DbDataSource CreateDataSource(string connectionString) => new MySqlDataSource(connectionString);
}
