using System.Diagnostics;
using System.Globalization;
using Linli.Infrastructure.Data;
using MySqlConnector;

// Runs one fixed workload through MySqlConnector, configured as the API configures it (LinliDataSource), and prints "statements=<n> seconds=<s> rate=<statements per second>".
//   DriverBench <connection string> select|insert <clients> <total statements> <key values> [sync]
// "sync" runs the blocking ADO.NET calls on one dedicated thread per client instead of async/await (a profiling aid).
// Each client holds one connection, opened before the clock starts (as mariadb-slap's clients hold theirs),
// and runs total/clients statements one after another; rows of a SELECT are all read and materialised.
if (args.Length is not (5 or 6))
{
    Console.Error.WriteLine("usage: DriverBench <connection string> select|insert <clients> <total statements> <key values> [sync]");
    return 2;
}
var connectionString = args[0];
var workload = args[1];
var clients = int.Parse(args[2], CultureInfo.InvariantCulture);
var total = int.Parse(args[3], CultureInfo.InvariantCulture);
var keyValues = int.Parse(args[4], CultureInfo.InvariantCulture);
var perClient = total / clients;
var sync = args.Length == 6 && args[5] == "sync";
Func<MySqlConnection, int, Task> statement = workload switch
{
    "select" => SelectAsync,
    "insert" => InsertAsync,
    _ => throw new ArgumentException($"unknown workload {workload}"),
};

await using var dataSource = LinliDataSource.Create(connectionString);
var connections = new MySqlConnection[clients];
for (var c = 0; c < clients; c++)
    connections[c] = await dataSource.OpenConnectionAsync();

// Warm-up outside the clock: JIT and tiered compilation, so the figure is the steady state.
await Task.WhenAll(connections.Select((connection, c) => Task.Run(async () =>
{
    for (var i = 0; i < 200; i++)
        await statement(connection, c * 7919 + i);
})));

var clock = Stopwatch.StartNew();
if (sync)
{
    var threads = connections.Select(connection => new Thread(() =>
    {
        for (var i = 0; i < perClient; i++)
        {
            if (workload == "select") SelectSync(connection, i);
            else InsertSync(connection);
        }
    })).ToList();
    threads.ForEach(t => t.Start());
    threads.ForEach(t => t.Join());
}
else
{
    await Task.WhenAll(connections.Select(connection => Task.Run(async () =>
    {
        for (var i = 0; i < perClient; i++)
            await statement(connection, i);
    })));
}
clock.Stop();

foreach (var connection in connections)
    await connection.DisposeAsync();
var done = perClient * clients;
Console.WriteLine(FormattableString.Invariant(
    $"statements={done} seconds={clock.Elapsed.TotalSeconds:F3} rate={done / clock.Elapsed.TotalSeconds:F0}"));
return 0;

// The same statement text mariadb-slap sends: MySqlConnector substitutes @k client-side (it does not prepare by default).
async Task SelectAsync(MySqlConnection connection, int i)
{
    await using var command = SelectCommand(connection, i);
    await using var reader = await command.ExecuteReaderAsync();
    var rows = 0;
    while (await reader.ReadAsync())
    {
        _ = reader.GetInt64(0);
        _ = reader.GetInt32(1);
        _ = reader.GetString(2);
        rows++;
    }
    if (rows == 0)
        throw new InvalidOperationException($"no rows for k={i % keyValues}: the table was not filled");
}

void SelectSync(MySqlConnection connection, int i)
{
    using var command = SelectCommand(connection, i);
    using var reader = command.ExecuteReader();
    var rows = 0;
    while (reader.Read())
    {
        _ = reader.GetInt64(0);
        _ = reader.GetInt32(1);
        _ = reader.GetString(2);
        rows++;
    }
    if (rows == 0)
        throw new InvalidOperationException($"no rows for k={i % keyValues}: the table was not filled");
}

void InsertSync(MySqlConnection connection)
{
    using var command = InsertCommand(connection);
    command.ExecuteNonQuery();
}

async Task InsertAsync(MySqlConnection connection, int i)
{
    await using var command = InsertCommand(connection);
    await command.ExecuteNonQueryAsync();
}

MySqlCommand SelectCommand(MySqlConnection connection, int i)
{
    var command = connection.CreateCommand();
    command.CommandText = "SELECT id, k, payload FROM bench_rows WHERE k = @k";
    var parameter = command.CreateParameter();
    parameter.ParameterName = "@k";
    parameter.Value = i % keyValues;
    command.Parameters.Add(parameter);
    return command;
}

MySqlCommand InsertCommand(MySqlConnection connection)
{
    var command = connection.CreateCommand();
    command.CommandText = "INSERT INTO bench_inserts (k, payload) VALUES (@k, @payload)";
    var k = command.CreateParameter();
    k.ParameterName = "@k";
    k.Value = 42;
    command.Parameters.Add(k);
    var payload = command.CreateParameter();
    payload.ParameterName = "@payload";
    payload.Value = "payload-text-of-forty-characters-xxxxxxx";
    command.Parameters.Add(payload);
    return command;
}
