using System.Data.Common;
using System.Globalization;
using System.Text;
using Dapper;
using Linli.Api.Auth;
using Linli.Api.Houses;
using Linli.Api.Hosting;
using Linli.Api.Tickets;
using Linli.Infrastructure.Crypto;
using Linli.Infrastructure.Wechat;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Validation;

namespace Linli.Bench;

/// <summary>
/// The bench community, its people, and the API's own query code (the caller, the report, the list page, the nearby
/// search) run straight through the driver, so the driver side runs the endpoint's statements and cannot drift from them.
/// </summary>
public sealed class BenchWorld
{
    private const string CommunityName = "基准测试社区";
    private readonly DbDataSource _db;
    private readonly TicketListQuery _list = new(TimeProvider.System);
    private readonly TicketReporting _reporting;

    private BenchWorld(DbDataSource db)
    {
        _db = db;
        // The report's services as the API builds them in Development: WeChat simulated (its content check passes the
        // bench's text without I/O), a field key for the phone the bench never sends.
        var key = Convert.ToBase64String(new byte[32]);
        var wechat = new ServiceCollection()
            .AddSingleton<IWechatClient>(new SimulatedWechatClient(db, TimeProvider.System, Microsoft.Extensions.Options.Options.Create(new WechatOptions())))
            .BuildServiceProvider();
        _reporting = new TicketReporting(TimeProvider.System,
            new FieldProtector(new FieldProtectionOptions { CurrentKeyId = "bench", Keys = { ["bench"] = key }, HashKey = key }),
            new HouseLookup(), new RequestValidator(Microsoft.Extensions.Options.Options.Create(new ValidationOptions())),
            new ContentCheck(wechat, NullLogger<ContentCheck>.Instance, TimeSpan.FromSeconds(3)));
    }

    public long CommunityId { get; private set; }
    public long GridId { get; private set; }
    public long CategoryId { get; private set; }
    public long ResidentId { get; private set; }
    public long StaffId { get; private set; }

    public static async Task<BenchWorld> SetUpAsync(DbDataSource db)
    {
        var world = new BenchWorld(db);
        await using var c = await db.OpenConnectionAsync();
        var now = DateTime.UtcNow;
        await c.ExecuteAsync("""
            INSERT IGNORE INTO street_offices (name, created_at, updated_at) VALUES ('基准街道', @now, @now);
            INSERT IGNORE INTO communities (name, street_office_id, created_at, updated_at)
            SELECT @CommunityName, id, @now, @now FROM street_offices WHERE name = '基准街道'
            """, new { CommunityName, now });
        world.CommunityId = await c.ExecuteScalarAsync<long>("SELECT id FROM communities WHERE name = @CommunityName", new { CommunityName });
        await c.ExecuteAsync("""
            INSERT IGNORE INTO grids (community_id, name, created_at, updated_at) VALUES (@CommunityId, '基准网格', @now, @now)
            """, new { world.CommunityId, now });
        world.GridId = await c.ExecuteScalarAsync<long>("SELECT id FROM grids WHERE community_id = @CommunityId AND name = '基准网格'", new { world.CommunityId });
        world.CategoryId = await c.ExecuteScalarAsync<long>("SELECT id FROM ticket_categories WHERE name = '设施维修'");
        foreach (var openid in new[] { "bench-resident", "bench-staff" })
            await c.ExecuteAsync("INSERT IGNORE INTO users (openid, nickname, created_at, updated_at) VALUES (@openid, @openid, @now, @now)", new { openid, now });
        world.ResidentId = await c.ExecuteScalarAsync<long>("SELECT id FROM users WHERE openid = 'bench-resident'");
        world.StaffId = await c.ExecuteScalarAsync<long>("SELECT id FROM users WHERE openid = 'bench-staff'");
        await c.ExecuteAsync("""
            INSERT IGNORE INTO user_roles (user_id, role, community_id, granted_at) VALUES (@StaffId, 'community_staff', @CommunityId, @now)
            """, new { world.StaffId, world.CommunityId, now });
        return world;
    }

    // Where the bench's tickets are: ticket i sits on a 50 m grid, Columns cells (50 km) wide and as many rows deep as
    // the size needs, from Origin northwards. The density stays one ticket per 2,500 m² however many there are, as in a
    // city whose reports spread over more streets as the service grows, so about 12 tickets lie within 100 m of any
    // point; the nearby search should then cost the same at 10,000 tickets and at 1,000,000.
    private const int Columns = 1000;
    private const double SpacingMeters = 50;
    private const double OriginLatitude = 30.0, OriginLongitude = 120.0;
    private const double MetresPerDegree = 6_370_986 * Math.PI / 180;

    private static (double Latitude, double Longitude) PlaceOf(double row, double column) =>
        (OriginLatitude + row * SpacingMeters / MetresPerDegree,
         OriginLongitude + column * SpacingMeters / (MetresPerDegree * Math.Cos(OriginLatitude * Math.PI / 180)));

    /// <summary>A place among the first <paramref name="size"/> tickets, at random, for a nearby search.</summary>
    public static (double Latitude, double Longitude) SomewhereAmong(long size, Random random) =>
        PlaceOf(random.NextDouble() * Math.Max(1, size / Columns), random.NextDouble() * Columns);

    /// <summary>
    /// Adds tickets until the community has <paramref name="size"/>: mostly closed, as a long-lived community's are,
    /// with one in ten in each open state, each at its place on the bench's grid. Values are generated here, so they are
    /// written as literals in big batches.
    /// </summary>
    public async Task<long> TopUpAsync(long size)
    {
        await using var c = await _db.OpenConnectionAsync();
        var have = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM tickets WHERE community_id = @CommunityId", new { CommunityId });
        string[] statuses = ["closed", "closed", "closed", "closed", "closed", "closed", "submitted", "dispatched", "open_for_claim", "in_progress"];
        var created = DateTime.UtcNow.AddDays(-30).ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
        const int batch = 2000;
        var salt = Guid.NewGuid().ToString("N")[..6];
        for (var next = have; next < size; next += batch)
        {
            var sql = new StringBuilder("""
                INSERT INTO tickets (number, category_id, community_id, grid_id, latitude, longitude, location, description, channel,
                                     submitter_id, status, needs_review, version, created_at, updated_at) VALUES
                """);
            var end = Math.Min(size, next + batch);
            for (var i = next; i < end; i++)
            {
                if (i > next) sql.Append(',');
                var (lat, lng) = PlaceOf(i / Columns, i % Columns);
                // GeoJSON, longitude first, as TicketLocations writes it.
                var point = string.Create(CultureInfo.InvariantCulture, $"{{\"type\":\"Point\",\"coordinates\":[{lng:F6},{lat:F6}]}}");
                sql.Append(CultureInfo.InvariantCulture,
                    $"('B{salt}-{i}',{CategoryId},{CommunityId},{GridId},{lat:F6},{lng:F6},ST_GeomFromGeoJSON('{point}',1,4326),'种子数据：第{i}号诉求','mini_program',{ResidentId},'{statuses[i % statuses.Length]}',0,0,'{created}','{created}')");
            }
            await c.ExecuteAsync(sql.ToString(), commandTimeout: 600);
        }
        return await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM tickets WHERE community_id = @CommunityId", new { CommunityId });
    }

    /// <summary>A cursor nine tenths of the way down the community's tickets (newest first).</summary>
    public async Task<long> DeepCursorAsync(long size)
    {
        await using var c = await _db.OpenConnectionAsync();
        return await c.ExecuteScalarAsync<long>(
            "SELECT id FROM tickets WHERE community_id = @CommunityId ORDER BY id LIMIT 1 OFFSET @offset",
            new { CommunityId, offset = size / 10 });
    }

    /// <summary>
    /// A report as <c>POST /api/v1/tickets</c> runs it, on one connection: the caller (as authentication resolves it),
    /// TicketReporting.CreateAsync itself, then the ticket read back for the answer (TicketQueries.FindWithEventsAsync).
    /// </summary>
    public async Task SubmitThroughDriverAsync(long i)
    {
        await using var c = await _db.OpenConnectionAsync();
        var caller = await CallerAsync(c, ResidentId);
        var request = new CreateTicketRequest(CategoryId, $"基准测试：路灯不亮 #{i}", CommunityId: CommunityId);
        var outcome = await _reporting.CreateAsync(c, caller, Guid.NewGuid().ToString("N"), request, CancellationToken.None);
        if (outcome is not TicketOutcome.Done(var id))
            throw new InvalidOperationException($"The bench's report failed: {outcome}.");
        _ = await TicketQueries.FindWithEventsAsync(c, id, CancellationToken.None);
    }

    /// <summary>
    /// The search <c>GET /api/v1/tickets/nearby</c> runs, 100 m around the point, after the caller, on one connection:
    /// NearbyTicketsApi's own SQL and parameters.
    /// </summary>
    public async Task<int> NearbyThroughDriverAsync(double latitude, double longitude)
    {
        await using var c = await _db.OpenConnectionAsync();
        await CallerAsync(c, ResidentId);
        var rows = await c.QueryAsync(NearbyTicketsApi.Sql(byCategory: true), NearbyTicketsApi.Parameters(latitude, longitude, CategoryId, 100));
        return rows.Count();
    }

    /// <summary>
    /// The list page <c>GET /api/v1/tickets</c> answers community staff with the bench's filters, on one connection:
    /// the caller, then TicketListQuery.PageAsync itself (one branch per part of the caller's visibility).
    /// </summary>
    public async Task<int> ListThroughDriverAsync(long? after)
    {
        await using var c = await _db.OpenConnectionAsync();
        var caller = await CallerAsync(c, StaffId);
        var rows = await _list.PageAsync(c, caller, new TicketListFilter(OpenStates, CommunityId: CommunityId),
            after is { } cursor ? new TicketCursor(cursor) : null, 21, CancellationToken.None);
        return rows.Count;
    }

    /// <summary>The caller alone: the statement authentication runs for every signed-in request.</summary>
    public async Task CallerThroughDriverAsync()
    {
        await using var c = await _db.OpenConnectionAsync();
        await CallerAsync(c, StaffId);
    }

    public static readonly string[] OpenStates = ["submitted", "dispatched", "open_for_claim", "in_progress"];

    /// <summary>Caller.LoadAsync as CallerResolution runs it for the bench's tokens (whose session is <see cref="Session"/>).</summary>
    private static async Task<CallerScope> CallerAsync(DbConnection c, long userId) =>
        new(await Caller.LoadAsync(c, userId, Session, CancellationToken.None)
            ?? throw new InvalidOperationException($"The bench's user {userId} is missing or blocked."));

    /// <summary>The session (refresh-token family) the bench's access tokens name, so the caller's session check runs as for a signed-in user.</summary>
    public const string Session = "bench-session";
}
