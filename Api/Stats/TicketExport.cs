using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using Dapper;
using Linli.Api.Csv;

namespace Linli.Api.Stats;

/// <summary>
/// The ticket list as a spreadsheet: every ticket in scope received in the range, oldest first, times in
/// China Standard Time. No phone numbers or names of residents: only what the figures are made of.
/// Rows stream from the database to the response, so a year of a whole street office never sits in memory.
/// </summary>
public sealed class TicketExport(DbDataSource db)
{
    public static readonly IReadOnlyList<string> Header =
        ["编号", "受理时间", "社区", "网格", "类别", "状态", "部门", "期限", "办结时间", "满意度", "重开次数", "诉求内容"];

    private static readonly Dictionary<string, string> StatusNames = new(StringComparer.Ordinal)
    {
        ["submitted"] = "待派单", ["dispatched"] = "已派单", ["open_for_claim"] = "待领单", ["in_progress"] = "办理中",
        ["resolved"] = "已办结", ["closed"] = "已关闭", ["cancelled"] = "已撤销", ["rejected"] = "已驳回",
    };

    public CsvResult ToCsv(StatsScope scope, string fileName) => new(fileName, Header, RowsAsync(scope, CancellationToken.None));

    private async IAsyncEnumerable<IReadOnlyList<string?>> RowsAsync(StatsScope scope, [EnumeratorCancellation] CancellationToken ct)
    {
        var where = new List<string> { "t.created_at >= @startUtc", "t.created_at < @endUtc" };
        if (scope.CommunityId is not null)
            where.Add("t.community_id = @communityId");
        if (!scope.IsAdmin)
            where.Add("""
                t.community_id IN (SELECT ur.community_id FROM user_roles ur
                                   WHERE ur.user_id = @me AND ur.role = 'community_staff' AND ur.revoked_at IS NULL)
                """);
        await using var connection = await db.OpenConnectionAsync(ct);
        // ix_tickets_stats (or ix_tickets_created for admins over every community)
        var rows = connection.QueryUnbufferedAsync<ExportRow>($"""
            SELECT t.number AS Number, t.created_at AS CreatedAt, c.name AS Community, g.name AS Grid, cat.name AS Category,
                   t.status AS Status, d.name AS Department, t.due_at AS DueAt, t.resolved_at AS ResolvedAt,
                   t.satisfaction AS Satisfaction, t.reopen_count AS ReopenCount, t.description AS Description
            FROM tickets t
            JOIN communities c ON c.id = t.community_id
            JOIN ticket_categories cat ON cat.id = t.category_id
            LEFT JOIN grids g ON g.id = t.grid_id
            LEFT JOIN departments d ON d.id = COALESCE(t.handler_department_id, t.department_id)
            WHERE {string.Join(" AND ", where)}
            ORDER BY t.created_at, t.id
            """, new { me = scope.UserId, communityId = scope.CommunityId, startUtc = scope.StartUtc, endUtc = scope.EndUtc });
        await foreach (var row in rows.WithCancellation(ct))
            yield return row.ToCells();
    }

    private static string? China(DateTime? utc) =>
        utc?.Add(Domain.Stats.ChinaStandardTime.Offset).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private sealed class ExportRow
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
