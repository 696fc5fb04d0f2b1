using System.Data.Common;
using System.Globalization;
using Dapper;
using Linli.Api.Auth;
using Linli.Api.Tickets;
using Linli.Domain.Identity;
using Linli.Domain.Stats;
using Linli.Api.Hosting;
using Microsoft.Extensions.Options;

namespace Linli.Api.Stats;

/// <summary>What the ticket figures are grouped by.</summary>
public enum TicketDimension
{
    Time,
    Community,
    Grid,
    Category,
    Department,
    PartyMember,
}

/// <summary>Who asks, and for which tickets: received between two UTC instants, optionally in one community.</summary>
public sealed record StatsScope(Caller Caller, long? CommunityId, DateTime StartUtc, DateTime EndUtc)
{
    /// <summary>
    /// What the caller's figures cover as a predicate over <see cref="Caller.With"/>'s parameters, null for an admin:
    /// what <paramref name="communityColumn"/> puts in the communities they are staff of (a street leader's street office
    /// folded in), and what <paramref name="departmentColumn"/> puts in their departments (both fixed text). Each role adds its own indexed
    /// predicate only when the caller holds it.
    /// </summary>
    public string? ScopeSql(string communityColumn = "t.community_id", string departmentColumn = "t.department_id")
    {
        if (Caller.IsAdmin)
            return null;
        var parts = new List<string>();
        if (Caller.ScopeIds(Roles.CommunityStaff).Count > 0)
            parts.Add($"{communityColumn} IN @staffCommunities");
        if (Caller.ScopeIds(Roles.DepartmentStaff).Count > 0)
            parts.Add($"{departmentColumn} IN @departments");
        return parts.Count switch
        {
            0 => "1 = 0",
            1 => parts[0],
            _ => "(" + string.Join(" OR ", parts) + ")",
        };
    }
}

/// <summary>
/// The ticket figures. Community staff, street leaders and admins read the figures kept per community day and month
/// (<see cref="TicketFiguresStore"/>: a street office's year is half a million tickets at a million, too many to read
/// one by one when asked); department staff, whose tickets cut across communities, have theirs computed from the
/// tickets when asked. Both sum the same <see cref="TicketFigures"/> of the same <see cref="TicketFacts"/>, so they agree.
/// </summary>
public sealed class TicketStatsQueries(RequestConnection db, TimeProvider clock, IOptions<TicketOptions> options)
{
    /// <summary>One group's figures. <paramref name="EscalatedTo"/>[i] counts the tickets that climbed to level i + 1 or beyond.</summary>
    public sealed record Group(string? Key, TicketCounts Counts, DurationSummary Dispatch, DurationSummary Accept, DurationSummary Resolve,
        IReadOnlyList<long> EscalatedTo)
    {
        public static readonly Group Empty = new(null, TicketCounts.Zero, DurationSummary.None, DurationSummary.None, DurationSummary.None, []);
    }

    /// <summary>The figures; <paramref name="Levels"/> is how many escalation levels every group reports (the configured steps, or more if reached).</summary>
    public sealed record Result(Group Totals, IReadOnlyList<Group> Groups, int Levels);

    /// <summary>
    /// Whether the caller may see this community's figures: its staff (street leaders of its street office), department
    /// staff (their department's tickets in it) and admins, for a community that exists.
    /// </summary>
    public async Task<bool> MaySeeCommunityAsync(Caller caller, long communityId, CancellationToken ct)
    {
        if (caller.ScopeIds(Roles.CommunityStaff).Contains(communityId))
            return true;
        if (!caller.IsAdmin && !caller.Has(Roles.DepartmentStaff))
            return false;
        var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM communities WHERE id = @communityId", new { communityId }, cancellationToken: ct)) > 0;
    }

    public async Task<Result> ComputeAsync(StatsScope scope, TicketDimension dimension, StatsBucket bucket, CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        var groups = await KeptCommunitiesAsync(connection, scope, ct) is { } communities
            ? await ReadKeptAsync(connection, communities, scope, dimension, bucket, ct)
            : await ComputeNowAsync(connection, scope, dimension, bucket, ct);

        var totals = new TicketFigures();
        foreach (var group in groups.Values)
            totals.Merge(group);
        var now = clock.GetUtcNow();
        var levels = Math.Max(options.Value.EscalationSteps.Count, totals.HighestLevel);
        return new Result(totals.ToGroup(null, now, levels),
            groups.Select(g => g.Value.ToGroup(g.Key == TicketFiguresStore.NoKey ? null : g.Key, now, levels)).ToList(), levels);
    }

    /// <summary>
    /// The communities whose kept figures answer this caller, or null when theirs are computed now: department staff see
    /// the tickets dispatched to their department in any community, which no community's figures single out.
    /// </summary>
    private static async Task<IReadOnlyCollection<long>?> KeptCommunitiesAsync(DbConnection connection, StatsScope scope, CancellationToken ct)
    {
        if (!scope.Caller.IsAdmin && scope.Caller.Has(Roles.DepartmentStaff))
            return null;
        if (scope.CommunityId is { } one)
            return [one];
        if (!scope.Caller.IsAdmin)
            return scope.Caller.ScopeIds(Roles.CommunityStaff).ToList();
        return (await connection.QueryAsync<long>(new CommandDefinition("SELECT id FROM communities", cancellationToken: ct))).AsList();
    }

    /// <summary>
    /// The kept figures: first the community days of these communities whose tickets changed since they were counted are
    /// counted again (usually none: the figures worker keeps up), then whole months are read from the months and the
    /// days around them from the days. Buckets of a day or a week read days.
    /// </summary>
    private static async Task<Dictionary<string, TicketFigures>> ReadKeptAsync(DbConnection connection, IReadOnlyCollection<long> communities,
        StatsScope scope, TicketDimension dimension, StatsBucket bucket, CancellationToken ct)
    {
        await TicketFiguresStore.RefreshAsync(connection, communities, ct);
        var from = DateOnly.FromDateTime(scope.StartUtc + ChinaStandardTime.Offset);
        var to = DateOnly.FromDateTime(scope.EndUtc + ChinaStandardTime.Offset).AddDays(-1);
        var dayRanges = new List<(DateOnly, DateOnly)>();
        DateOnly? firstMonth = null, lastMonth = null;
        var wholeMonths = dimension != TicketDimension.Time || bucket == StatsBucket.Month;
        var first = from.Day == 1 ? from : new DateOnly(from.Year, from.Month, 1).AddMonths(1);
        var last = to.AddDays(1).Day == 1 ? new DateOnly(to.Year, to.Month, 1) : new DateOnly(to.Year, to.Month, 1).AddMonths(-1);
        if (wholeMonths && first <= last)
        {
            (firstMonth, lastMonth) = (first, last);
            if (from < first)
                dayRanges.Add((from, first.AddDays(-1)));
            if (last.AddMonths(1) <= to)
                dayRanges.Add((last.AddMonths(1), to));
        }
        else
        {
            dayRanges.Add((from, to));
        }
        // A kept row always has a group (rows exist only for claimed tickets by party member); a month row is read only for
        // month buckets, whose start it is.
        return await TicketFiguresStore.ReadAsync(connection, communities, DimName(dimension), dayRanges, firstMonth, lastMonth,
            (community, start, dimId) => KeyOf(dimension, bucket, community, start, dimId)!, ct);
    }

    /// <summary>The figures of the caller's tickets in the range, from the tickets themselves.</summary>
    private static async Task<Dictionary<string, TicketFigures>> ComputeNowAsync(DbConnection connection, StatsScope scope,
        TicketDimension dimension, StatsBucket bucket, CancellationToken ct)
    {
        // ix_tickets_stats for community staff, ix_tickets_department_created for department staff.
        var where = new List<string> { "t.created_at >= @startUtc", "t.created_at < @endUtc" };
        if (scope.CommunityId is not null)
            where.Add("t.community_id = @communityId");
        if (scope.ScopeSql() is { } mine)
            where.Add(mine);
        var parameters = scope.Caller.With(new { communityId = scope.CommunityId, startUtc = scope.StartUtc, endUtc = scope.EndUtc });
        var facts = await TicketFacts.ReadAsync(connection, string.Join(" AND ", where), parameters, ct);
        var dim = DimName(dimension);
        var groups = new Dictionary<string, TicketFigures>(StringComparer.Ordinal);
        foreach (var fact in facts)
        {
            if (KeyOf(dimension, bucket, fact.CommunityId, DateOnly.FromDateTime(fact.Day), TicketFiguresStore.DimId(fact, dim)) is not { } key)
                continue;
            if (!groups.TryGetValue(key, out var figures))
                groups[key] = figures = new TicketFigures();
            figures.Add(fact);
        }
        return groups;
    }

    /// <summary>The kept breakdown that holds a dimension's groups: by time and by community both sum the one row of everything.</summary>
    private static string DimName(TicketDimension dimension) => dimension switch
    {
        TicketDimension.Time or TicketDimension.Community => "all",
        TicketDimension.Grid => "grid",
        TicketDimension.Category => "category",
        TicketDimension.Department => "department",
        TicketDimension.PartyMember => "party_member",
        _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, null),
    };

    /// <summary>
    /// The group of a ticket, or of a kept row, received on <paramref name="day"/> in <paramref name="community"/> with
    /// <paramref name="dimId"/> in the dimension's breakdown (<see cref="TicketFiguresStore.DimId"/>): its bucket's first day,
    /// its community, or its id (<see cref="TicketFiguresStore.NoKey"/> for none); null when it has no group (a ticket
    /// never claimed, by party member).
    /// </summary>
    private static string? KeyOf(TicketDimension dimension, StatsBucket bucket, long community, DateOnly day, long? dimId) => dimension switch
    {
        TicketDimension.Time => ChinaStandardTime.BucketStart(day, bucket).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        TicketDimension.Community => community.ToString(CultureInfo.InvariantCulture),
        _ => dimId switch
        {
            null => null,
            0 => TicketFiguresStore.NoKey,
            { } id => id.ToString(CultureInfo.InvariantCulture),
        },
    };

    /// <summary>Names for the ids in a breakdown, by dimension.</summary>
    public async Task<IReadOnlyDictionary<long, string>> NamesAsync(TicketDimension dimension, IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        if (ids.Count == 0 || dimension == TicketDimension.Time)
            return new Dictionary<long, string>();
        var sql = dimension switch
        {
            TicketDimension.Community => "SELECT id AS Id, name AS Name FROM communities WHERE id IN @ids",
            TicketDimension.Grid => "SELECT id AS Id, name AS Name FROM grids WHERE id IN @ids",
            TicketDimension.Category => "SELECT id AS Id, name AS Name FROM ticket_categories WHERE id IN @ids",
            TicketDimension.Department => "SELECT id AS Id, name AS Name FROM departments WHERE id IN @ids",
            // The name the member reported in with; a nickname if they were never confirmed (e.g. later removed).
            TicketDimension.PartyMember => """
                SELECT u.id AS Id,
                       COALESCE((SELECT pm.name FROM party_members pm
                                 WHERE pm.user_id = u.id AND pm.status = 'confirmed'
                                 ORDER BY pm.reviewed_at DESC LIMIT 1), u.nickname, '') AS Name
                FROM users u WHERE u.id IN @ids
                """,
            _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, null),
        };
        var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<NameRow>(new CommandDefinition(sql, new { ids = ids.ToArray() }, cancellationToken: ct));
        return rows.ToDictionary(r => r.Id, r => r.Name);
    }

    public static long? ParseId(string? key) => key is null ? null : long.Parse(key, CultureInfo.InvariantCulture);

    private sealed class NameRow
    {
        public long Id { get; set; }
        public string Name { get; set; } = "";
    }
}
