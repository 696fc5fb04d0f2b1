using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Dapper;
using Linli.Api.Csv;

namespace Linli.Api.Tickets;

/// <summary>What <c>GET /api/v1/tickets</c> filters on, validated. The created range is UTC, end exclusive.</summary>
public sealed record TicketListFilter(
    IReadOnlyList<string> States, long? CategoryId = null, long? CommunityId = null, long? GridId = null, long? DepartmentId = null,
    bool Mine = false, bool? Overdue = null, string? Text = null, DateTime? CreatedFromUtc = null, DateTime? CreatedBeforeUtc = null,
    bool? Escalated = null)
{
    /// <summary>
    /// The dispatch queue (status=submitted alone) puts the tickets most people follow first, then the newest; its
    /// cursor is "followers.id". A ticket gaining followers while someone pages may show twice or be passed over:
    /// the queue is short and reloaded, so raising what many wait for wins over a frozen order.
    /// </summary>
    public bool SortsByFollowers => States is ["submitted"];
}

/// <summary>A position in the ticket list: after this id, and in the dispatch queue after this many followers too.</summary>
public sealed record TicketCursor(long After, int? AfterFollowers = null);

/// <summary>
/// The ticket list, as one JSON page or as every matching ticket in a CSV download: one WHERE clause for both,
/// so the spreadsheet holds exactly the tickets the list would page through (scope and filters alike).
/// </summary>
public sealed class TicketListQuery(TimeProvider clock)
{
    public async Task<IReadOnlyList<TicketRow>> PageAsync(DbConnection connection, CallerScope caller, TicketListFilter filter, TicketCursor? after, int take, CancellationToken ct)
    {
        // Newest first, keyset on id; the dispatch queue by followers first (ix_tickets_dispatch_queue). One branch per
        // part of the caller's visibility, each walking its own (scope, id) index in this order and stopping at @take:
        // the OR-ed rule made MariaDB merge the indexes and sort every visible ticket (1.3 s at a million tickets).
        // The union holds the first @take of each part, so it holds the page's; UNION drops a ticket seen twice.
        var order = filter.SortsByFollowers ? "t.followers DESC, t.id DESC" : "t.id DESC";
        var keyset = after is null ? ""
            : filter.SortsByFollowers ? " AND (t.followers < @afterFollowers OR (t.followers = @afterFollowers AND t.id < @after))"
            : " AND t.id < @after";
        var filters = Filters(filter) + keyset;
        var parts = caller.VisibilityParts();
        var branches = parts.Count == 1
            ? $"SELECT t.id FROM tickets t WHERE {parts[0]}{filters} ORDER BY {order} LIMIT @take"
            : string.Join("\n    UNION\n    ", parts.Select(part => $"(SELECT t.id FROM tickets t WHERE {part}{filters} ORDER BY {order} LIMIT @take)"));
        var sql = $"""
            SELECT t.id, t.number, t.status, t.category_id, c.name AS category_name, t.community_id, t.grid_id,
                   t.description, t.channel, t.due_at, t.escalation_level, t.created_at, t.updated_at, t.followers
            FROM (
                {branches}
            ) page
            JOIN tickets t ON t.id = page.id
            JOIN ticket_categories c ON c.id = t.category_id
            ORDER BY {order} LIMIT @take
            """;
        var rows = await connection.QueryAsync<TicketRow>(new CommandDefinition(sql, Parameters(caller, filter, after, take), cancellationToken: ct));
        return rows.ToList();
    }

    /// <summary>Every matching ticket, newest first, streamed from the database to the response on the request's connection.</summary>
    public CsvResult Csv(DbConnection connection, CallerScope caller, TicketListFilter filter, string fileName) =>
        new(fileName, TicketCsv.Header, CsvRowsAsync(connection, caller, filter, CancellationToken.None));

    private async IAsyncEnumerable<IReadOnlyList<string?>> CsvRowsAsync(
        DbConnection connection, CallerScope caller, TicketListFilter filter, [EnumeratorCancellation] CancellationToken ct)
    {
        var sql = $"""
            SELECT t.number AS Number, t.created_at AS CreatedAt, cm.name AS Community, g.name AS Grid, c.name AS Category,
                   t.status AS Status, d.name AS Department, t.due_at AS DueAt, t.resolved_at AS ResolvedAt,
                   t.satisfaction AS Satisfaction, t.reopen_count AS ReopenCount, t.description AS Description
            FROM tickets t
            JOIN ticket_categories c ON c.id = t.category_id
            JOIN communities cm ON cm.id = t.community_id
            LEFT JOIN grids g ON g.id = t.grid_id
            LEFT JOIN departments d ON d.id = COALESCE(t.handler_department_id, t.department_id)
            WHERE {Where(caller, filter)}
            ORDER BY t.id DESC
            """;
        var rows = connection.QueryUnbufferedAsync<TicketCsv.Row>(sql, Parameters(caller, filter, null, null));
        await foreach (var row in rows.WithCancellation(ct))
            yield return row.ToCells();
    }

    /// <summary>The caller's visibility and the filters. Only fixed fragments are appended; every value is a parameter.</summary>
    private static string Where(CallerScope caller, TicketListFilter f) => caller.VisibilitySql() + Filters(f);

    /// <summary>The filters, each an <c>AND</c> on <c>t</c>: fixed fragments only, every value a parameter.</summary>
    private static string Filters(TicketListFilter f)
    {
        var sql = new StringBuilder();
        if (f.States.Count == 1) sql.Append(" AND t.status = @status");
        if (f.States.Count > 1) sql.Append(" AND t.status IN @states");
        if (f.CategoryId is not null) sql.Append(" AND t.category_id = @categoryId");
        if (f.CommunityId is not null) sql.Append(" AND t.community_id = @communityId");
        if (f.GridId is not null) sql.Append(" AND t.grid_id = @gridId");
        if (f.DepartmentId is not null) sql.Append(" AND (t.department_id = @departmentId OR t.handler_department_id = @departmentId)");
        if (f.Mine) sql.Append(" AND (t.submitter_id = @me OR t.handler_user_id = @me)");
        if (f.Overdue == true) sql.Append(" AND t.status IN ('dispatched', 'in_progress') AND t.due_at < @now");
        if (f.Escalated == true) sql.Append(" AND t.escalation_level > 0");
        if (f.Escalated == false) sql.Append(" AND t.escalation_level = 0");
        if (f.Overdue == false) sql.Append(" AND NOT (t.status IN ('dispatched', 'in_progress') AND t.due_at IS NOT NULL AND t.due_at < @now)");
        if (!string.IsNullOrWhiteSpace(f.Text)) sql.Append(" AND (t.number = @text OR t.description LIKE @like)");
        if (f.CreatedFromUtc is not null) sql.Append(" AND t.created_at >= @createdFrom");
        if (f.CreatedBeforeUtc is not null) sql.Append(" AND t.created_at < @createdBefore");
        return sql.ToString();
    }

    private object Parameters(CallerScope caller, TicketListFilter f, TicketCursor? after, int? take) => caller.Caller.With(new
    {
        after = after?.After,
        afterFollowers = after?.AfterFollowers,
        status = f.States.Count > 0 ? f.States[0] : null,
        states = f.States,
        categoryId = f.CategoryId,
        communityId = f.CommunityId,
        gridId = f.GridId,
        departmentId = f.DepartmentId,
        now = clock.GetUtcNow().UtcDateTime,
        text = f.Text?.Trim(),
        like = f.Text is null ? null : "%" + EscapeLike(f.Text.Trim()) + "%",
        createdFrom = f.CreatedFromUtc,
        createdBefore = f.CreatedBeforeUtc,
        take,
    });

    private static string EscapeLike(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}

/// <summary>
/// A ticket as a spreadsheet row, headed in Chinese for the staff who open it in Excel, times in China Standard Time.
/// No phone numbers or names of residents: the list shows none, and neither does its download.
/// </summary>
public static class TicketCsv
{
    public static readonly IReadOnlyList<string> Header =
        ["编号", "受理时间", "社区", "网格", "类别", "状态", "部门", "期限", "办结时间", "满意度", "重开次数", "诉求内容"];

    private static readonly Dictionary<string, string> StatusNames = new(StringComparer.Ordinal)
    {
        ["submitted"] = "待派单", ["dispatched"] = "已派单", ["open_for_claim"] = "待领单", ["in_progress"] = "办理中",
        ["resolved"] = "已办结", ["closed"] = "已关闭", ["cancelled"] = "已撤销", ["rejected"] = "已驳回", ["merged"] = "已合并",
        ["return_visit"] = "待回访",
    };

    private static string? China(DateTime? utc) =>
        utc?.Add(Domain.Stats.ChinaStandardTime.Offset).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public sealed class Row
    {
        public string Number { get; set; } = "";
        public DateTime CreatedAt { get; set; }
        public string Community { get; set; } = "";
        public string? Grid { get; set; }
        public string Category { get; set; } = "";
        public string Status { get; set; } = "";
        public string? Department { get; set; }
        public DateTime? DueAt { get; set; }
        public DateTime? ResolvedAt { get; set; }
        public int? Satisfaction { get; set; }
        public int ReopenCount { get; set; }
        public string Description { get; set; } = "";

        public IReadOnlyList<string?> ToCells() =>
        [
            Number, China(CreatedAt), Community, Grid, Category, StatusNames.GetValueOrDefault(Status, Status), Department,
            China(DueAt), China(ResolvedAt), Satisfaction?.ToString(CultureInfo.InvariantCulture),
            ReopenCount.ToString(CultureInfo.InvariantCulture), Description,
        ];
    }
}
