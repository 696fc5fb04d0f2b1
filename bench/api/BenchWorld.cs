using System.Data.Common;
using System.Globalization;
using System.Text;
using Dapper;

namespace Linli.Bench;

/// <summary>The bench community, its people, and the SQL the API runs, sent straight through the driver.</summary>
public sealed class BenchWorld
{
    private const string CommunityName = "基准测试社区";
    private readonly DbDataSource _db;

    private BenchWorld(DbDataSource db) => _db = db;

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
    /// The statements of a report (TicketReporting.CreateAsync, then the ticket read back for the answer), on one
    /// connection: the caller, the look-ups, the day's number, the transaction, the ticket and its timeline.
    /// </summary>
    public async Task SubmitThroughDriverAsync(long i)
    {
        var now = DateTime.UtcNow;
        var key = Guid.NewGuid().ToString("N");
        await using var c = await _db.OpenConnectionAsync();
        await c.QueryAsync("""
            SELECT CAST(u.is_blocked AS SIGNED) AS IsBlocked, r.role, r.community_id, r.grid_id, r.department_id
            FROM users u LEFT JOIN user_roles r ON r.user_id = u.id AND r.revoked_at IS NULL WHERE u.id = @ResidentId
            """, new { ResidentId });
        await c.QuerySingleAsync("""
            SELECT (SELECT ticket_id FROM ticket_idempotency WHERE user_id = @ResidentId AND idempotency_key = @key) AS replayed,
                   (SELECT name FROM ticket_categories WHERE id = @CategoryId AND is_active = 1) AS category_name,
                   (SELECT id FROM communities WHERE id = @CommunityId AND is_active = 1) AS community_id,
                   (SELECT openid FROM users WHERE id = @ResidentId) AS open_id
            """, new { ResidentId, key, CategoryId, CommunityId });
        var day = DateTime.UtcNow.AddHours(8).Date;
        var n = await c.ExecuteScalarAsync<int>("""
            INSERT INTO ticket_number_counters (day, n) VALUES (@day, LAST_INSERT_ID(1)) ON DUPLICATE KEY UPDATE n = LAST_INSERT_ID(n + 1);
            SELECT LAST_INSERT_ID();
            """, new { day });
        await using var tx = await c.BeginTransactionAsync();
        await c.ExecuteAsync("""
            INSERT IGNORE INTO ticket_idempotency (user_id, idempotency_key, ticket_id, created_at) VALUES (@ResidentId, @key, NULL, @now)
            """, new { ResidentId, key, now }, tx);
        var id = await c.ExecuteScalarAsync<long>("""
            INSERT INTO tickets (number, category_id, community_id, grid_id, description, channel, submitter_id, needs_review, status, version, created_at, updated_at)
            VALUES (@number, @CategoryId, @CommunityId, NULL, @description, 'mini_program', @ResidentId, 0, 'submitted', 0, @now, @now);
            SELECT LAST_INSERT_ID();
            """, new { number = $"S-{day:yyyyMMdd}-{n}", CategoryId, CommunityId, description = $"基准测试：路灯不亮 #{i}", ResidentId, now }, tx);
        await c.ExecuteAsync("UPDATE ticket_idempotency SET ticket_id = @id WHERE user_id = @ResidentId AND idempotency_key = @key", new { id, ResidentId, key }, tx);
        await c.ExecuteAsync("""
            INSERT INTO ticket_events (ticket_id, actor_id, actor_role, action, from_status, to_status, is_internal, created_at)
            VALUES (@id, @ResidentId, 'resident', 'report', NULL, 'submitted', 0, @now)
            """, new { id, ResidentId, now }, tx);
        await tx.CommitAsync();
        await using var read = await c.QueryMultipleAsync("""
            SELECT t.*, (SELECT GROUP_CONCAT(p.id) FROM uploads p WHERE p.ticket_id = t.id AND p.event_id IS NULL) AS photo_ids
            FROM tickets t JOIN ticket_categories c ON c.id = t.category_id JOIN communities cm ON cm.id = t.community_id
            JOIN users su ON su.id = t.submitter_id WHERE t.id = @id;
            SELECT e.*, (SELECT GROUP_CONCAT(p.id) FROM uploads p WHERE p.ticket_id = e.ticket_id AND p.event_id = e.id) AS photo_ids
            FROM ticket_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.ticket_id = @id ORDER BY e.id
            """, new { id });
        await read.ReadAsync();
        await read.ReadAsync();
    }

    /// <summary>
    /// The search NearbyTicketsApi runs, 100 m around the point, through the driver: its Sql(byCategory: true) and the box
    /// of TicketLocations.Box written out here, since the bench does not reference the API.
    /// </summary>
    public async Task<int> NearbyThroughDriverAsync(double latitude, double longitude)
    {
        const double meters = 100;
        var degrees = meters * 1.1 / MetresPerDegree;
        var spread = degrees / Math.Cos((Math.Abs(latitude) + degrees) * Math.PI / 180);
        var (south, north, west, east) = (latitude - degrees, latitude + degrees, longitude - spread, longitude + spread);
        var here = string.Create(CultureInfo.InvariantCulture, $"{{\"type\":\"Point\",\"coordinates\":[{longitude:R},{latitude:R}]}}");
        var box = string.Create(CultureInfo.InvariantCulture,
            $"{{\"type\":\"Polygon\",\"coordinates\":[[[{west:R},{south:R}],[{east:R},{south:R}],[{east:R},{north:R}],[{west:R},{north:R}],[{west:R},{south:R}]]]}}");
        await using var c = await _db.OpenConnectionAsync();
        var rows = await c.QueryAsync("""
            SELECT t.id, t.category_id, (SELECT c.name FROM ticket_categories c WHERE c.id = t.category_id) AS category_name,
                   t.description, t.status, t.created_at, t.followers, ST_Distance_Sphere(t.location, ST_GeomFromGeoJSON(@here, 1, 4326)) AS distance
            FROM tickets t FORCE INDEX (sx_tickets_location)
            WHERE MBRContains(ST_GeomFromGeoJSON(@box, 1, 4326), t.location)
              AND t.latitude IS NOT NULL AND t.needs_review = 0 AND t.status IN @open AND t.category_id = @CategoryId
              AND ST_Distance_Sphere(t.location, ST_GeomFromGeoJSON(@here, 1, 4326)) <= @meters
            ORDER BY distance, t.id
            LIMIT 20
            """, new { here, box, open = new[] { "submitted", "dispatched", "open_for_claim", "in_progress" }, CategoryId, meters });
        return rows.Count();
    }

    /// <summary>
    /// The list SELECT that TicketsApi.ListTickets runs for community staff with these filters: one branch per part of
    /// CallerScope.VisibilityParts (submitter, handler, staff community), as TicketListQuery.PageAsync builds it.
    /// </summary>
    public async Task<int> ListThroughDriverAsync(long? after)
    {
        await using var c = await _db.OpenConnectionAsync();
        var filters = $" AND t.status IN @states AND t.community_id = @CommunityId{(after is null ? "" : " AND t.id < @after")}";
        string[] parts = ["t.submitter_id = @me", "t.handler_user_id = @me", "t.community_id IN @staffCommunities"];
        var rows = await c.QueryAsync($"""
            SELECT t.id, t.number, t.status, t.category_id, c.name AS category_name, t.community_id, t.grid_id,
                   t.description, t.channel, t.due_at, t.escalation_level, t.created_at, t.updated_at, t.followers
            FROM (
                {string.Join(" UNION ", parts.Select(part => $"(SELECT t.id FROM tickets t WHERE {part}{filters} ORDER BY t.id DESC LIMIT @take)"))}
            ) page
            JOIN tickets t ON t.id = page.id
            JOIN ticket_categories c ON c.id = t.category_id
            ORDER BY t.id DESC LIMIT @take
            """, new { me = StaffId, staffCommunities = new[] { CommunityId }, after, states = new[] { "submitted", "dispatched", "open_for_claim", "in_progress" }, CommunityId, take = 21 });
        return rows.Count();
    }
}
