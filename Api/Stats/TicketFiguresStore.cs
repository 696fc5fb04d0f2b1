using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Dapper;

namespace Linli.Api.Stats;

/// <summary>
/// The ticket figures kept per community and China day, and per month (migration 0114): counted again for the days
/// whose tickets changed (<see cref="RefreshAsync"/>: by the figures worker, and by every request for its own communities
/// before it reads, so an answer is never older than the request), and summed when asked (<see cref="ReadAsync"/>).
/// </summary>
public static class TicketFiguresStore
{
    /// <summary>The breakdowns kept, as the <c>dim</c> column names them; <c>all</c> is the one row of everything.</summary>
    private static readonly string[] Dimensions = ["all", "grid", "category", "department", "party_member"];

    /// <summary>Community days counted again per transaction: small enough that a request waiting for the lock waits little.</summary>
    private const int DaysPerRound = 100;
    private const int RowsPerInsert = 500;
    private const string LockName = "linli.ticket_figures";

    /// <summary>
    /// Counts again every community day (of <paramref name="communities"/>, or of all when null) whose tickets changed,
    /// except those whose changes are still uncommitted: their transactions leave them stale for the next refresh.
    /// One round of counting at a time (a named lock), so two never write the same month from different snapshots.
    /// Returns the community days counted.
    /// </summary>
    public static async Task<int> RefreshAsync(DbConnection connection, IReadOnlyCollection<long>? communities, CancellationToken ct)
    {
        if (communities is { Count: 0 })
            return 0;
        var scope = communities is null ? "1 = 1" : "community_id IN @communities";
        var ids = communities?.ToArray();
        // ticket_figures_stale's primary key; most requests stop here.
        if (await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                $"SELECT 1 FROM ticket_figures_stale WHERE {scope} LIMIT 1", new { communities = ids }, cancellationToken: ct)) is null)
            return 0;

        var counted = 0;
        (long Community, DateTime Day)? after = null;
        while (true)
        {
            // Keyset over the stale days, so days whose rows are all held by running transactions are passed over, not retried.
            var days = (await connection.QueryAsync<(long, DateTime)>(new CommandDefinition($"""
                SELECT DISTINCT community_id, day FROM ticket_figures_stale
                WHERE {scope} {(after is null ? "" : "AND (community_id > @afterCommunity OR (community_id = @afterCommunity AND day > @afterDay))")}
                ORDER BY community_id, day
                LIMIT {DaysPerRound}
                """, new { communities = ids, afterCommunity = after?.Community, afterDay = after?.Day }, cancellationToken: ct))).ToList();
            if (days.Count == 0)
                return counted;
            // The lock is held per round, not per refresh: a request waits for one round of the worker, never for all of
            // them (after migration 0114 the worker counts every day there is).
            if (await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                    "SELECT GET_LOCK(@LockName, 60)", new { LockName }, cancellationToken: ct)) != 1)
                throw new TimeoutException("Another refresh of the ticket figures held the lock for 60 s.");
            try
            {
                counted += await CountAgainAsync(connection, days, ct);
            }
            finally
            {
                await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                    "SELECT RELEASE_LOCK(@LockName)", new { LockName }, cancellationToken: CancellationToken.None));
            }
            after = days[^1];
        }
    }

    /// <summary>
    /// One transaction: takes the stale rows of these days that no running transaction holds, counts those days again
    /// from their tickets, and sums their months again from the days. Returns the days counted.
    /// </summary>
    private static async Task<int> CountAgainAsync(DbConnection connection, IReadOnlyList<(long Community, DateTime Day)> candidates, CancellationToken ct)
    {
        // Read committed: each read sees what is committed when it runs, and no gap locks hold up the ticket writers.
        await using var tx = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
        var p = new DynamicParameters();
        var pairs = new StringBuilder();
        for (var i = 0; i < candidates.Count; i++)
        {
            p.Add($"c{i}", candidates[i].Community);
            p.Add($"d{i}", candidates[i].Day);
            pairs.Append(i == 0 ? "" : " OR ").Append(CultureInfo.InvariantCulture, $"(community_id = @c{i} AND day = @d{i})");
        }
        // SKIP LOCKED: a row held by a running writer stays for the next refresh (its change is not committed, so not
        // counted now), and this never waits for a writer, so writers and refreshes cannot deadlock.
        var locked = (await connection.QueryAsync<(long Community, DateTime Day, long Ticket)>(new CommandDefinition(
            $"SELECT community_id, day, ticket_id FROM ticket_figures_stale WHERE {pairs} FOR UPDATE SKIP LOCKED",
            p, tx, cancellationToken: ct))).ToList();
        if (locked.Count == 0)
            return 0;

        var days = locked.GroupBy(r => (r.Community, r.Day)).ToList();
        var q = new DynamicParameters();
        var stale = new StringBuilder();
        var tickets = new StringBuilder();
        var kept = new StringBuilder();
        for (var i = 0; i < days.Count; i++)
        {
            var (community, day) = days[i].Key;
            q.Add($"c{i}", community);
            q.Add($"d{i}", day);
            q.Add($"s{i}", DateTime.SpecifyKind(day.AddHours(-8), DateTimeKind.Utc));
            q.Add($"e{i}", DateTime.SpecifyKind(day.AddHours(16), DateTimeKind.Utc));
            // "x" ends the list's name: Dapper names a list's items by appending their number, and t1's first item must
            // not be taken for a list t11.
            q.Add($"t{i}x", days[i].Select(r => r.Ticket).ToArray());
            var or = i == 0 ? "" : " OR ";
            stale.Append(or).Append(CultureInfo.InvariantCulture, $"(community_id = @c{i} AND day = @d{i} AND ticket_id IN @t{i}x)");
            tickets.Append(or).Append(CultureInfo.InvariantCulture, $"(t.community_id = @c{i} AND t.created_at >= @s{i} AND t.created_at < @e{i})");
            kept.Append(or).Append(CultureInfo.InvariantCulture, $"(community_id = @c{i} AND dim IN @dims AND day = @d{i})");
        }
        q.Add("dims", Dimensions);
        await connection.ExecuteAsync(new CommandDefinition($"DELETE FROM ticket_figures_stale WHERE {stale}", q, tx, cancellationToken: ct));

        // ix_tickets_stats, one range per day.
        var facts = await TicketFacts.ReadAsync(connection, tickets.ToString(), q, ct, tx);
        var rows = new List<KeptRow>();
        foreach (var day in facts.GroupBy(f => (f.CommunityId, f.Day)))
            foreach (var dim in Dimensions)
                foreach (var group in day.GroupBy(f => DimId(f, dim)).Where(g => g.Key is not null))
                {
                    var figures = new TicketFigures();
                    foreach (var fact in group)
                        figures.Add(fact);
                    rows.Add(new KeptRow(day.Key.CommunityId, dim, day.Key.Day, group.Key!.Value, figures));
                }
        await connection.ExecuteAsync(new CommandDefinition($"DELETE FROM ticket_figures_days WHERE {kept}", q, tx, cancellationToken: ct));
        await InsertAsync(connection, tx, "ticket_figures_days", "day", rows, ct);

        await SumMonthsAsync(connection, tx, days.Select(d => (d.Key.Community, FirstOfMonth(d.Key.Day))).Distinct().ToList(), ct);
        await tx.CommitAsync(ct);
        return days.Count;
    }

    /// <summary>Each month's rows again as the sum of its days' (this transaction's own writes included).</summary>
    private static async Task SumMonthsAsync(DbConnection connection, DbTransaction tx, IReadOnlyList<(long Community, DateTime Month)> months, CancellationToken ct)
    {
        var p = new DynamicParameters();
        var days = new StringBuilder();
        var kept = new StringBuilder();
        for (var i = 0; i < months.Count; i++)
        {
            p.Add($"c{i}", months[i].Community);
            p.Add($"m{i}", months[i].Month);
            p.Add($"n{i}", months[i].Month.AddMonths(1));
            var or = i == 0 ? "" : " OR ";
            days.Append(or).Append(CultureInfo.InvariantCulture, $"(community_id = @c{i} AND dim IN @dims AND day >= @m{i} AND day < @n{i})");
            kept.Append(or).Append(CultureInfo.InvariantCulture, $"(community_id = @c{i} AND dim IN @dims AND month = @m{i})");
        }
        p.Add("dims", Dimensions);
        var sums = new Dictionary<(long, string, DateTime, long), TicketFigures>();
        var dayRows = await connection.QueryAsync<(long Community, string Dim, DateTime Day, long DimId, byte[] Figures)>(new CommandDefinition(
            $"SELECT community_id, dim, day, dim_id, figures FROM ticket_figures_days WHERE {days}", p, tx, cancellationToken: ct));
        foreach (var row in dayRows)
        {
            var key = (row.Community, row.Dim, FirstOfMonth(row.Day), row.DimId);
            if (!sums.TryGetValue(key, out var figures))
                sums[key] = figures = new TicketFigures();
            figures.MergeBytes(row.Figures);
        }
        await connection.ExecuteAsync(new CommandDefinition($"DELETE FROM ticket_figures_months WHERE {kept}", p, tx, cancellationToken: ct));
        await InsertAsync(connection, tx, "ticket_figures_months", "month",
            sums.Select(s => new KeptRow(s.Key.Item1, s.Key.Item2, s.Key.Item3, s.Key.Item4, s.Value)).ToList(), ct);
    }

    private static async Task InsertAsync(DbConnection connection, DbTransaction tx, string table, string dateColumn, IReadOnlyList<KeptRow> rows, CancellationToken ct)
    {
        foreach (var chunk in rows.Chunk(RowsPerInsert))
        {
            var p = new DynamicParameters();
            var values = new StringBuilder();
            for (var i = 0; i < chunk.Length; i++)
            {
                p.Add($"c{i}", chunk[i].Community);
                p.Add($"k{i}", chunk[i].Dim);
                p.Add($"d{i}", chunk[i].Date);
                p.Add($"i{i}", chunk[i].DimId);
                p.Add($"n{i}", chunk[i].Figures.Tickets);
                p.Add($"f{i}", chunk[i].Figures.ToBytes());
                values.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $"(@c{i}, @k{i}, @d{i}, @i{i}, @n{i}, @f{i})");
            }
            await connection.ExecuteAsync(new CommandDefinition(
                $"INSERT INTO {table} (community_id, dim, {dateColumn}, dim_id, tickets, figures) VALUES {values}", p, tx, cancellationToken: ct));
        }
    }

    /// <summary>
    /// Sums the kept figures of <paramref name="communities"/> in one breakdown (<paramref name="dim"/>) into groups named by
    /// <paramref name="keyOf"/>(community, first day the row covers, dim_id): the days of
    /// <paramref name="dayRanges"/> and the whole months from <paramref name="firstMonth"/> to <paramref name="lastMonth"/>.
    /// </summary>
    public static async Task<Dictionary<string, TicketFigures>> ReadAsync(
        DbConnection connection, IReadOnlyCollection<long> communities, string dim,
        IReadOnlyList<(DateOnly From, DateOnly To)> dayRanges, DateOnly? firstMonth, DateOnly? lastMonth,
        Func<long, DateOnly, long, string> keyOf, CancellationToken ct)
    {
        var groups = new Dictionary<string, TicketFigures>(StringComparer.Ordinal);
        if (communities.Count == 0)
            return groups;
        var p = new DynamicParameters(new { communities = communities.ToArray(), dim });
        var parts = new List<string>();
        if (dayRanges.Count > 0)
        {
            var ranges = new StringBuilder();
            for (var i = 0; i < dayRanges.Count; i++)
            {
                p.Add($"a{i}", dayRanges[i].From.ToDateTime(TimeOnly.MinValue));
                p.Add($"b{i}", dayRanges[i].To.ToDateTime(TimeOnly.MinValue));
                ranges.Append(i == 0 ? "" : " OR ").Append(CultureInfo.InvariantCulture, $"(day >= @a{i} AND day <= @b{i})");
            }
            parts.Add($"SELECT community_id, day AS start, dim_id, figures FROM ticket_figures_days WHERE community_id IN @communities AND dim = @dim AND ({ranges})");
        }
        if (firstMonth is not null && lastMonth is not null)
        {
            p.Add("firstMonth", firstMonth.Value.ToDateTime(TimeOnly.MinValue));
            p.Add("lastMonth", lastMonth.Value.ToDateTime(TimeOnly.MinValue));
            parts.Add("SELECT community_id, month, dim_id, figures FROM ticket_figures_months WHERE community_id IN @communities AND dim = @dim AND month >= @firstMonth AND month <= @lastMonth");
        }
        if (parts.Count == 0)
            return groups;
        // The primary keys (community_id, dim, day|month, dim_id): one range per community and part. Rows are merged as
        // they arrive, so the blobs of a year are never all held at once.
        var rows = connection.QueryUnbufferedAsync<(long Community, DateTime Start, long DimId, byte[] Figures)>(
            string.Join("\nUNION ALL\n", parts), p);
        await foreach (var row in rows.WithCancellation(ct))
        {
            var key = keyOf(row.Community, DateOnly.FromDateTime(row.Start), row.DimId);
            if (!groups.TryGetValue(key, out var figures))
                groups[key] = figures = new TicketFigures();
            figures.MergeBytes(row.Figures);
        }
        return groups;
    }

    /// <summary>The dictionary key of the group of tickets without a grid or department (dim_id 0).</summary>
    public const string NoKey = "";

    /// <summary>The ticket's row in a breakdown: 0 for none (no grid, not yet dispatched), null when it has no row (never claimed).</summary>
    public static long? DimId(TicketFact f, string dim) => dim switch
    {
        "all" => 0,
        "grid" => f.GridId ?? 0,
        "category" => f.CategoryId,
        "department" => f.DepartmentKey ?? 0,
        "party_member" => f.PartyMemberId,
        _ => throw new ArgumentOutOfRangeException(nameof(dim), dim, null),
    };

    private static DateTime FirstOfMonth(DateTime day) => new(day.Year, day.Month, 1);

    private sealed record KeptRow(long Community, string Dim, DateTime Date, long DimId, TicketFigures Figures);
}
