// The tickets benchmark (issue 5). Not a test: it prints numbers for people to read.
// For each size it tops the bench community up to that many tickets, then measures, at N connections:
//   submit   POST /api/v1/tickets with fresh Idempotency-Keys  vs  the same transaction through the driver
//   list     a community's open tickets, first page and a deep cursor  vs  the same SELECT through the driver
//   nearby   GET /api/v1/tickets/nearby at a random place among the tickets  vs  the same search through the driver
// and ends with: submit_ratio=<api rps / sql rps> list_ratio=<api rps / sql rps> at every size (the share of the driver's own
// throughput the HTTP API keeps; goals: list >= 0.7, submit >= 0.8) and list_growth=<api list p50 at the largest size / at the
// smallest>, nearby_ratio and nearby_growth the same for the nearby search. Each API scenario is then offered an open-loop load at half the rate it reached (requests sent on a fixed
// schedule whatever the answers, each timed from when it was due), whose p99 is the latency goal (< 50 ms).
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
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
var residentToken = Jwt.Issue(options.SigningKey, world.ResidentId, "resident");
var staffToken = Jwt.Issue(options.SigningKey, world.StaffId, "community_staff");

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
    };
    // Warm-up: JIT, both connection pools filled, the buffer pool holding the pages; not measured.
    foreach (var (_, op) in runs)
        await Load.RunAsync(options.Connections, TimeSpan.FromSeconds(3), op);
    foreach (var (name, op) in runs)
    {
        var stats = await Load.RunAsync(options.Connections, TimeSpan.FromSeconds(options.Seconds), op);
        results[(size, name)] = stats;
        Console.WriteLine($"size={size} {name,-15} rps={stats.Rps,9:F1} p50={stats.P50,8:F2}ms p99={stats.P99,8:F2}ms errors={stats.Errors}");
    }
    foreach (var (name, op) in runs.Where(r => r.Name.EndsWith("_api", StringComparison.Ordinal)))
    {
        var rate = results[(size, name)].Rps / 2;
        var open = await Load.OpenLoopAsync(rate, TimeSpan.FromSeconds(options.Seconds), op);
        Console.WriteLine($"size={size} {name,-15} offered={rate,7:F1}/s p50={open.P50,8:F2}ms p99={open.P99,8:F2}ms errors={open.Errors} (open loop)");
    }
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"size={size} submit_ratio={results[(size, "submit_api")].Rps / results[(size, "submit_sql")].Rps:F2} " +
        $"list_ratio={results[(size, "list_first_api")].Rps / results[(size, "list_first_sql")].Rps:F2} " +
        $"nearby_ratio={results[(size, "nearby_api")].Rps / results[(size, "nearby_sql")].Rps:F2}"));
}

var small = options.Sizes.Min();
var large = options.Sizes.Max();
double Ratio(string api, string sql) => results[(large, api)].Rps / results[(large, sql)].Rps;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"submit_ratio={Ratio("submit_api", "submit_sql"):F2} list_ratio={Ratio("list_first_api", "list_first_sql"):F2} " +
    $"list_growth={results[(large, "list_first_api")].P50 / results[(small, "list_first_api")].P50:F2} " +
    $"nearby_ratio={Ratio("nearby_api", "nearby_sql"):F2} " +
    $"nearby_growth={results[(large, "nearby_api")].P50 / results[(small, "nearby_api")].P50:F2}"));
return 0;

async Task<bool> GetOk(string path, string? token = null)
{
    using var request = new HttpRequestMessage(HttpMethod.Get, path);
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? staffToken);
    using var response = await http.SendAsync(request);
    return response.IsSuccessStatusCode;
}

sealed record Options(string ApiUrl, string Connection, string SigningKey, int[] Sizes, int Seconds, int Connections)
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
            int.Parse(Get("--connections", "64"), CultureInfo.InvariantCulture));
    }
}

sealed record Stats(double Rps, double P50, double P99, long Errors);

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
        return new Stats(all.Length / elapsed, At(0.50), At(0.99), errors);
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

/// <summary>An HS256 access token shaped like AccessTokenIssuer's (sub + role, issuer linli, audience linli-miniprogram).</summary>
static class Jwt
{
    public static string Issue(string signingKey, long userId, string role)
    {
        static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = B64(JsonSerializer.SerializeToUtf8Bytes(new { alg = "HS256", typ = "JWT" }));
        var payload = B64(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["sub"] = userId.ToString(CultureInfo.InvariantCulture),
            ["role"] = role,
            ["iss"] = "linli",
            ["aud"] = "linli-miniprogram",
            ["nbf"] = now - 60,
            ["iat"] = now,
            ["exp"] = now + 6 * 3600,
        }));
        var signature = B64(HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingKey), Encoding.ASCII.GetBytes($"{header}.{payload}")));
        return $"{header}.{payload}.{signature}";
    }
}
