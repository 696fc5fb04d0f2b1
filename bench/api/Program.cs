// The tickets benchmark (issue 5). Not a test: it prints numbers for people to read.
// For each size it tops the bench community up to that many tickets, then measures, at N connections, each endpoint against
// the statements it runs sent through the driver by the API's own code (the caller first, as authentication runs it):
//   submit   POST /api/v1/tickets with fresh Idempotency-Keys  vs  Caller.LoadAsync, TicketReporting, the ticket read back
//   list     a community's open tickets, first page and a deep cursor  vs  Caller.LoadAsync, TicketListQuery.PageAsync
//   nearby   GET /api/v1/tickets/nearby at a random place among the tickets  vs  Caller.LoadAsync, the nearby SQL
//   floors   GET /health/live without and with a token, and Caller.LoadAsync alone (in no ratio)
// each with the CPU time the bench, the API and MariaDB spent per request, and ends with: submit_ratio=<api rps / sql rps>
// list_ratio=… nearby_ratio=… at every size (the share of the driver's own throughput the HTTP API keeps; goals: list >= 0.7,
// submit >= 0.8) and list_growth=<api list p50 at the largest size / at the smallest>, nearby_growth the same for the nearby
// search. Each API scenario is then offered an open-loop load at half the rate it reached (requests sent on a fixed schedule
// whatever the answers, each timed from when it was due), whose p99 is the latency goal (< 50 ms).
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Dapper;
using Linli.Api.Auth;
using Linli.Bench;
using Linli.Infrastructure.Data;

var options = Options.Parse(args);
DefaultTypeMap.MatchNamesWithUnderscores = true;
var db = LinliDataSource.Create(options.Connection);
var world = await BenchWorld.SetUpAsync(db);
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
{
    BaseAddress = new Uri(options.ApiUrl),
    Timeout = TimeSpan.FromSeconds(30),
};
// Tokens as sign-in issues them (AccessTokenIssuer), naming a session, so the caller's session check runs; valid for
// the whole run (a million tickets take minutes to seed).
var issuer = new AccessTokenIssuer(Microsoft.Extensions.Options.Options.Create(
    new JwtOptions { SigningKey = options.SigningKey, AccessTokenMinutes = 24 * 60 }), TimeProvider.System);
var residentToken = issuer.Issue(world.ResidentId, ["resident"], BenchWorld.Session).Token;
var staffToken = issuer.Issue(world.StaffId, ["community_staff"], BenchWorld.Session).Token;
var cpu = new CpuMeter(options.ApiPid, options.DbPid);
var server = new ServerCounters(db);

Console.WriteLine($"connections={options.Connections} seconds={options.Seconds} api={options.ApiUrl}");
var results = new Dictionary<(int Size, string Name), Stats>();
foreach (var size in options.Sizes)
{
    var seeded = await world.TopUpAsync(size);
    Console.WriteLine($"-- {seeded:N0} tickets in the bench community");
    var deepCursor = await world.DeepCursorAsync(size);
    var listPath = $"/api/v1/tickets?communityId={world.CommunityId}&status=submitted,dispatched,open_for_claim,in_progress&limit=20";
    // One generator per worker thread: places at random among this size's tickets.
    var places = new ThreadLocal<Random>(() => new Random(Environment.CurrentManagedThreadId));

    var runs = new (string Name, Func<long, Task<bool>> Op)[]
    {
        ("submit_api", async i =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tickets")
            {
                Content = JsonContent.Create(new { categoryId = world.CategoryId, description = $"基准测试：路灯不亮 #{i}", communityId = world.CommunityId }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", residentToken);
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
            using var response = await http.SendAsync(request);
            return response.IsSuccessStatusCode;
        }),
        ("submit_sql", async i => { await world.SubmitThroughDriverAsync(i); return true; }),
        ("list_first_api", async _ => await GetOk(listPath)),
        ("list_first_sql", async _ => { await world.ListThroughDriverAsync(null); return true; }),
        ("list_deep_api", async _ => await GetOk($"{listPath}&cursor={deepCursor}")),
        ("list_deep_sql", async _ => { await world.ListThroughDriverAsync(deepCursor); return true; }),
        ("nearby_api", async _ =>
        {
            var (lat, lng) = BenchWorld.SomewhereAmong(seeded, places.Value!);
            return await GetOk(string.Create(CultureInfo.InvariantCulture,
                $"/api/v1/tickets/nearby?latitude={lat:F6}&longitude={lng:F6}&categoryId={world.CategoryId}"), residentToken);
        }),
        ("nearby_sql", async _ =>
        {
            var (lat, lng) = BenchWorld.SomewhereAmong(seeded, places.Value!);
            await world.NearbyThroughDriverAsync(Math.Round(lat, 6), Math.Round(lng, 6));
            return true;
        }),
        // The floors, in no ratio: HTTP and the pipeline alone (no token, no database), then with the staff's token
        // (JWT validation and the caller's statement), and that statement alone through the driver.
        ("live_anon_api", async _ => await GetOk("/health/live", anonymous: true)),
        ("live_auth_api", async _ => await GetOk("/health/live")),
        ("caller_sql", async _ => { await world.CallerThroughDriverAsync(); return true; }),
    };
    runs = runs.Where(r => options.Only is null || options.Only.Contains(r.Name)).ToArray();
    // The list pages again with wrk as the load generator, where it is installed (apt install wrk): see Wrk.cs. They take
    // their one-second turns among the other scenarios', so their ratios compare the same minutes too.
    var wrkRuns = new[] { ("list_first_wrk", listPath), ("list_deep_wrk", $"{listPath}&cursor={deepCursor}") }
        .Where(r => Wrk.Installed && (options.Only is null || options.Only.Contains(r.Item1)))
        .ToArray();
    // Warm-up: JIT, both connection pools filled, the buffer pool holding the pages; not measured. Rounds go on until
    // the runtime's tiered compilation (in the bench and in the API) has gone quiet: on two shared cores it recompiles
    // hot methods for half a minute or more after start, and a measurement taken meanwhile charges that to whichever
    // scenario happens to run (the API's share of CPU was 36 % JIT 15 s into a run).
    for (var round = 1; ; round++)
    {
        var tiering = cpu.TieringThreads();
        foreach (var (_, op) in runs)
            await Load.RunAsync(options.Connections, TimeSpan.FromSeconds(3), op);
        foreach (var (_, path) in wrkRuns)
            await Wrk.RunAsync(options.ApiUrl + path, staffToken, options.Connections, 3);
        var spent = cpu.TieringSince(tiering);
        if (spent <= runs.Length || round == 8)
        {
            Console.WriteLine($"-- warm after {round} round(s) of 3 s per scenario (tiered compilation {spent * 10} ms in the last)");
            break;
        }
    }
    // Interleaved: every scenario runs for one second in turn, --seconds times over, and its figures are the sum of its
    // slices. The host's drift (other tenants of a shared machine, CPU frequency) then falls on every scenario alike,
    // so an API scenario and its driver side are compared over the same minutes: measured one after the other, the
    // same build's list ratio moved between 0.65 and 0.74 from run to run.
    var slices = runs.Select(r => (Name: r.Name, Slice: (Func<Task<Stats>>)(() => Load.RunAsync(options.Connections, TimeSpan.FromSeconds(1), r.Op))))
        .Concat(wrkRuns.Select(r => (Name: r.Item1, Slice: (Func<Task<Stats>>)(() => Wrk.RunAsync(options.ApiUrl + r.Item2, staffToken, options.Connections, 1)))))
        .ToArray();
    var measured = slices.ToDictionary(r => r.Name, _ => new Measured());
    for (var slice = 0; slice < options.Seconds; slice++)
        foreach (var (name, run) in slices)
        {
            var counters = await server.ReadAsync();
            var before = cpu.Read();
            var stats = await run();
            measured[name].Add(stats, cpu.Since(before), await server.SinceAsync(counters));
        }
    foreach (var (name, _) in slices)
    {
        var m = measured[name];
        var stats = m.Stats();
        results[(size, name)] = stats;
        var note = name.EndsWith("_wrk", StringComparison.Ordinal) ? " (bench= includes wrk; p50 the median of the slices', p99 the highest)" : "";
        Console.WriteLine($"size={size} {name,-15} rps={stats.Rps,9:F1} p50={stats.P50,8:F2}ms p99={stats.P99,8:F2}ms errors={stats.Errors} {m.CpuPerRequest()}{note}");
        Console.WriteLine($"    {m.DbPerRequest()}");
    }
    foreach (var (name, op) in runs.Where(r => r.Name.EndsWith("_api", StringComparison.Ordinal) && !r.Name.StartsWith("live_", StringComparison.Ordinal)))
    {
        var rate = results[(size, name)].Rps / 2;
        var open = await Load.OpenLoopAsync(rate, TimeSpan.FromSeconds(options.Seconds), op);
        Console.WriteLine($"size={size} {name,-15} offered={rate,7:F1}/s p50={open.P50,8:F2}ms p99={open.P99,8:F2}ms errors={open.Errors} (open loop)");
    }
    Console.WriteLine($"size={size} {Ratios(size)}");
}

var small = options.Sizes.Min();
var large = options.Sizes.Max();
Console.WriteLine(Ratios(large) + string.Create(CultureInfo.InvariantCulture,
    $" list_growth={Growth("list_first_api"):F2} nearby_growth={Growth("nearby_api"):F2}"));
return 0;

// The share of the driver's throughput the API keeps, for each scenario measured on both sides (--only may leave some out).
// list_wrk and list_deep_wrk: the same pages with wrk as the API's load generator.
string Ratios(int size) => string.Join(" ", new[]
    {
        ("submit", "submit_api", "submit_sql"), ("list", "list_first_api", "list_first_sql"), ("nearby", "nearby_api", "nearby_sql"),
        ("list_wrk", "list_first_wrk", "list_first_sql"), ("list_deep_wrk", "list_deep_wrk", "list_deep_sql"),
    }
    .Where(p => results.ContainsKey((size, p.Item2)) && results.ContainsKey((size, p.Item3)))
    .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Item1}_ratio={results[(size, p.Item2)].Rps / results[(size, p.Item3)].Rps:F2}")));

double Growth(string name) => results.TryGetValue((large, name), out var l) && results.TryGetValue((small, name), out var s) ? l.P50 / s.P50 : double.NaN;

async Task<bool> GetOk(string path, string? token = null, bool anonymous = false)
{
    using var request = new HttpRequestMessage(HttpMethod.Get, path);
    if (!anonymous)
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? staffToken);
    using var response = await http.SendAsync(request);
    return response.IsSuccessStatusCode;
}

sealed record Options(string ApiUrl, string Connection, string SigningKey, int[] Sizes, int Seconds, int Connections,
    IReadOnlySet<string>? Only, int? ApiPid, int? DbPid)
{
    public static Options Parse(string[] args)
    {
        string Get(string name, string? fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1]
                : fallback ?? throw new ArgumentException($"{name} is required.");
        }
        return new Options(
            Get("--api", "http://127.0.0.1:5199"),
            Get("--db", Environment.GetEnvironmentVariable("LINLI_BENCH_CONNECTION")),
            Get("--jwt-key", Environment.GetEnvironmentVariable("LINLI_BENCH_JWT_KEY")),
            Get("--sizes", "10000,1000000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray(),
            int.Parse(Get("--seconds", "10"), CultureInfo.InvariantCulture),
            int.Parse(Get("--connections", "64"), CultureInfo.InvariantCulture),
            Get("--only", "") is { Length: > 0 } only ? only.Split(',').ToHashSet() : null,
            Get("--api-pid", "") is { Length: > 0 } api ? int.Parse(api, CultureInfo.InvariantCulture) : null,
            Get("--db-pid", "") is { Length: > 0 } db ? int.Parse(db, CultureInfo.InvariantCulture) : null);
    }
}

sealed record Stats(double Rps, double P50, double P99, long Errors, long Requests = 0, double[]? Latencies = null, double Seconds = 0);

/// <summary>One scenario's slices added up: requests, time, latencies, each process's CPU ticks and MariaDB's counters.</summary>
sealed class Measured
{
    private readonly List<double> _latencies = [];
    // wrk reports percentiles, not latencies: each slice's p50 and p99, for lines measured with it.
    private readonly List<(double P50, double P99)> _slicePercentiles = [];
    private readonly Dictionary<string, long> _counters = new(StringComparer.OrdinalIgnoreCase);
    private long _requests, _errors, _bench, _api, _db;
    private double _seconds;

    public void Add(Stats run, (long Bench, long Api, long Db) ticks, Dictionary<string, long> counters)
    {
        if (run.Latencies is { } latencies)
            _latencies.AddRange(latencies);
        else
            _slicePercentiles.Add((run.P50, run.P99));
        _requests += run.Requests;
        _errors += run.Errors;
        _seconds += run.Seconds;
        (_bench, _api, _db) = (Sum(_bench, ticks.Bench), Sum(_api, ticks.Api), Sum(_db, ticks.Db));
        foreach (var (name, value) in counters)
            _counters[name] = _counters.GetValueOrDefault(name) + value;
    }

    private static long Sum(long total, long more) => total < 0 || more < 0 ? -1 : total + more;

    public Stats Stats()
    {
        var all = _latencies.Order().ToArray();
        double At(double q) => all.Length == 0 ? double.NaN : all[Math.Min(all.Length - 1, (int)(q * all.Length))];
        if (all.Length == 0 && _slicePercentiles.Count > 0)
        {
            // Slices that brought percentiles only: the median slice's p50 and, not to flatter, the worst slice's p99.
            var p50s = _slicePercentiles.Select(p => p.P50).Order().ToArray();
            return new Stats(_requests / _seconds, p50s[p50s.Length / 2], _slicePercentiles.Max(p => p.P99), _errors, _requests);
        }
        return new Stats(_requests / _seconds, At(0.50), At(0.99), _errors, _requests);
    }

    public string CpuPerRequest() => CpuMeter.PerRequest((_bench, _api, _db), _requests);

    /// <summary>
    /// What MariaDB was asked per answered request: a scenario whose API side costs MariaDB more CPU than its driver side
    /// shows here whether it was asked more.
    /// </summary>
    public string DbPerRequest() => "db_per_request " + string.Join(" ", _counters
        .Where(c => _requests > 0 && c.Value != 0)
        .OrderBy(c => c.Key, StringComparer.Ordinal)
        .Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key}={c.Value / (double)_requests:0.##}")));
}

/// <summary>
/// CPU time per request of the three processes sharing the cores (the bench itself, the API, MariaDB), from
/// /proc/&lt;pid&gt;/stat (utime + stime, in USER_HZ = 100 ticks a second): where a request's time goes, by process.
/// </summary>
sealed class CpuMeter(int? apiPid, int? dbPid)
{
    /// <summary>
    /// The bench's own ticks include those of its children that have ended (wrk): a load generator's CPU is taken from
    /// the same two cores, whichever program it is.
    /// </summary>
    public (long Bench, long Api, long Db) Read() => (Ticks($"/proc/{Environment.ProcessId}/stat", withChildren: true), Ticks(apiPid), Ticks(dbPid));

    /// <summary>The ticks each process spent since <paramref name="before"/> (-1 where a process is not watched).</summary>
    public (long Bench, long Api, long Db) Since((long Bench, long Api, long Db) before)
    {
        var now = Read();
        static long Spent(long from, long to) => from < 0 || to < 0 ? -1 : to - from;
        return (Spent(before.Bench, now.Bench), Spent(before.Api, now.Api), Spent(before.Db, now.Db));
    }

    /// <summary>Ticks spent per request, as CPU microseconds of each process ("-" where one is not watched).</summary>
    public static string PerRequest((long Bench, long Api, long Db) ticks, long requests)
    {
        string Us(long spent) => requests == 0 || spent < 0 ? "-" : (spent * 10_000.0 / requests).ToString("F0", CultureInfo.InvariantCulture);
        return $"cpu_us_per_request bench={Us(ticks.Bench)} api={Us(ticks.Api)} db={Us(ticks.Db)}";
    }

    /// <summary>
    /// CPU ticks of each tiered-compilation thread of the bench and the API, by thread: they go quiet once the code is
    /// warm (the runtime ends such a thread when it has nothing to do and starts a new one when it has).
    /// </summary>
    public Dictionary<string, long> TieringThreads() => new[] { (int?)Environment.ProcessId, apiPid }
        .Where(pid => pid is not null && Directory.Exists($"/proc/{pid}/task"))
        .SelectMany(pid => Directory.GetDirectories($"/proc/{pid}/task"))
        .Where(task => File.Exists($"{task}/comm") && ReadOrEmpty($"{task}/comm").StartsWith(".NET Tiered", StringComparison.Ordinal))
        .ToDictionary(task => task, task => Math.Max(0, Ticks($"{task}/stat")));

    /// <summary>The tiered-compilation ticks spent since <paramref name="before"/> by the threads alive now.</summary>
    public long TieringSince(Dictionary<string, long> before) =>
        TieringThreads().Sum(t => t.Value - before.GetValueOrDefault(t.Key));

    private static string ReadOrEmpty(string file)
    {
        try
        {
            return File.ReadAllText(file);
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static long Ticks(int? pid) => pid is null ? -1 : Ticks($"/proc/{pid}/stat");

    private static long Ticks(string statFile, bool withChildren = false)
    {
        if (!File.Exists(statFile))
            return -1;
        // The fields after the command name in parentheses; utime and stime are the 14th and 15th of the line.
        // Empty when a thread ended between listing and reading.
        var stat = ReadOrEmpty(statFile);
        if (stat.Length == 0)
            return 0;
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // utime and stime; then cutime and cstime, the children's that have been waited for.
        return Enumerable.Range(11, withChildren ? 4 : 2).Sum(i => long.Parse(fields[i], CultureInfo.InvariantCulture));
    }
}

/// <summary>
/// What MariaDB was asked per answered request, from SHOW GLOBAL STATUS before and after a measurement: the statements
/// (Questions counts every command, the connection reset included), the rows read, the bytes each way. Where the API's
/// side of a scenario costs MariaDB more CPU than the driver's side, these say whether it is asked more.
/// </summary>
sealed class ServerCounters(DbDataSource db)
{
    private static readonly string[] Names =
    [
        "Questions", "Com_select", "Com_stmt_execute", "Com_stmt_prepare", "Com_set_option", "Com_change_user",
        "Com_reset_connection", "Com_ping", "Handler_read_key", "Handler_read_next", "Handler_read_prev", "Handler_read_rnd_next",
        "Handler_read_first", "Handler_read_last", "Bytes_received", "Bytes_sent", "Created_tmp_tables", "Sort_rows", "Connections",
    ];

    public async Task<Dictionary<string, long>> ReadAsync()
    {
        await using var c = await db.OpenConnectionAsync();
        var rows = await c.QueryAsync<(string Name, string Value)>("SHOW GLOBAL STATUS");
        return rows.Where(r => Names.Contains(r.Name, StringComparer.OrdinalIgnoreCase))
            .ToDictionary(r => r.Name, r => long.Parse(r.Value, CultureInfo.InvariantCulture), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>How much each counter grew since <paramref name="before"/> (the reading's own few statements, once a slice, stay in: a rounding error).</summary>
    public async Task<Dictionary<string, long>> SinceAsync(Dictionary<string, long> before) =>
        (await ReadAsync()).ToDictionary(a => a.Key, a => a.Value - before.GetValueOrDefault(a.Key), StringComparer.OrdinalIgnoreCase);
}

/// <summary>A closed-loop load generator: N workers, each sending its next request when the last one answered.</summary>
static class Load
{
    public static async Task<Stats> RunAsync(int connections, TimeSpan duration, Func<long, Task<bool>> op)
    {
        long counter = 0, errors = 0;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            var latencies = new List<double>();
            while (clock.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                bool ok;
                try { ok = await op(Interlocked.Increment(ref counter)); }
                catch (Exception) { ok = false; }
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (!ok) Interlocked.Increment(ref errors);
            }
            return latencies;
        })).ToList();
        var all = (await Task.WhenAll(workers)).SelectMany(l => l).Order().ToArray();
        var elapsed = clock.Elapsed.TotalSeconds;
        double At(double q) => all.Length == 0 ? double.NaN : all[Math.Min(all.Length - 1, (int)(q * all.Length))];
        return new Stats(all.Length / elapsed, At(0.50), At(0.99), errors, all.Length, all, elapsed);
    }

    /// <summary>
    /// Open loop: request i is sent at start + i / rate whether or not earlier ones have answered, and its latency runs
    /// from that due time, so a stall is charged to every request it delays instead of being hidden by a waiting client.
    /// </summary>
    public static async Task<Stats> OpenLoopAsync(double rate, TimeSpan duration, Func<long, Task<bool>> op)
    {
        long errors = 0;
        var total = (long)(rate * duration.TotalSeconds);
        var clock = Stopwatch.StartNew();
        var sent = new List<Task<double>>();
        for (long i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds(i / rate);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
                await Task.Delay(wait);
            var n = i;
            sent.Add(Task.Run(async () =>
            {
                bool ok;
                try { ok = await op(n); }
                catch (Exception) { ok = false; }
                if (!ok) Interlocked.Increment(ref errors);
                return (clock.Elapsed - due).TotalMilliseconds;
            }));
        }
        var all = (await Task.WhenAll(sent)).Order().ToArray();
        double At(double q) => all.Length == 0 ? double.NaN : all[Math.Min(all.Length - 1, (int)(q * all.Length))];
        return new Stats(all.Length / clock.Elapsed.TotalSeconds, At(0.50), At(0.99), errors);
    }
}
