using System.Data.Common;

namespace Linli.Infrastructure.MySql;

// Placeholder until the driver lands (issue 2): it keeps the solution compiling.
public sealed class MySqlDataSource(string connectionString) : DbDataSource
{
    public override string ConnectionString => connectionString;
    protected override DbConnection CreateDbConnection() => throw new NotSupportedException("The MySQL driver has not landed yet.");
}
