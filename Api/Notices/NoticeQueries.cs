using System.Data.Common;
using System.Text.Json;
using Dapper;
using Linli.Api.Auth;
using Linli.Api.Houses;
using Linli.Api.Tickets;
using Linli.Domain.Identity;
using Linli.Domain.Notices;

namespace Linli.Api.Notices;

/// <summary>A notice as one caller reads it: as a recipient (with their receipt) or as one who may publish to its community.</summary>
public sealed class NoticeRow
{
    public long Id { get; init; }
    public long CommunityId { get; init; }
    public string Kind { get; init; } = "";
    public string Title { get; init; } = "";
    public string Body { get; init; } = "";
    public string AudienceJson { get; init; } = "";
    public DateTimeOffset? PinnedUntil { get; init; }
    public bool NeedsReview { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>1 when the caller is in the notice's audience.</summary>
    public long IsRecipient { get; init; }
    public DateTimeOffset? ReadAt { get; init; }
    public DateTimeOffset? AcknowledgedAt { get; init; }
    /// <summary>1 while the notice is pinned (its pinned_until is still ahead); the residents' list sorts on it first.</summary>
    public long Pinned { get; init; }

    /// <summary>A kind the code does not know reads as a plain notice: nothing to acknowledge, no quiet hours skipped.</summary>
    public NoticeKind KindValue => DbEnum.Parse(Kind, NoticeKind.Notice);

    public NoticeItemDto ToItem(IReadOnlyList<NoticePhotoDto> photos) => new(
        Id, CommunityId, KindValue, Title, Body, photos, Pinned == 1, PinnedUntil, CreatedAt, ReadAt,
        KindValue.NeedsAcknowledgement(), AcknowledgedAt);

    public NoticeDto ToDto(IReadOnlyList<NoticePhotoDto> photos, DateTimeOffset messagesFrom, NoticeReceiptsDto receipts) => new(
        Id, CommunityId, KindValue, Title, Body, photos, JsonSerializer.Deserialize<NoticeAudienceDto>(AudienceJson, NoticeQueries.Json)!,
        PinnedUntil, NeedsReview, CreatedAt, messagesFrom, receipts);
}

/// <summary>The queries of notices that more than one operation (and the uploads feature) runs.</summary>
public static class NoticeQueries
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Whether <c>n.pinned_until</c> is still ahead of <c>@now</c>.</summary>
    public const string PinnedSql = "(n.pinned_until IS NOT NULL AND n.pinned_until > @now)";

    /// <summary>The columns of <see cref="NoticeRow"/> for notices <c>n</c> and the caller's receipt <c>r</c> (a LEFT JOIN allowed).</summary>
    public const string Columns = $"""
        n.id, n.community_id, n.kind, n.title, n.body, n.audience_json, n.pinned_until, n.needs_review, n.created_at,
        CAST(r.user_id IS NOT NULL AS SIGNED) AS is_recipient, r.read_at, r.acknowledged_at,
        CAST({PinnedSql} AS SIGNED) AS pinned
        """;

    /// <summary>The notice with the caller's receipt, if any (primary keys of both); null when there is no such notice.</summary>
    public static Task<NoticeRow?> FindAsync(DbConnection connection, long id, long userId, DateTimeOffset now, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<NoticeRow>(new CommandDefinition($"""
            SELECT {Columns}
            FROM notices n
            LEFT JOIN notice_recipients r ON r.notice_id = n.id AND r.user_id = @userId
            WHERE n.id = @id
            """, new { id, userId, now = now.UtcDateTime }, cancellationToken: ct));

    /// <summary>
    /// Who speaks for a community: its staff, the street leaders of its street office (the caller folds them into the
    /// community staff scope) and admins publish its notices and see their receipts.
    /// </summary>
    public static bool MayPublish(Caller caller, long communityId) => caller.Can(Roles.CommunityStaff, communityId);

    /// <summary>A recipient reads a notice, and so does anyone who may publish to its community.</summary>
    public static bool CanSee(NoticeRow notice, Caller caller) => notice.IsRecipient == 1 || MayPublish(caller, notice.CommunityId);

    /// <summary>Whether the caller may see the notice's photos (<see cref="CanSee"/>), for the uploads feature.</summary>
    public static async Task<bool> CanSeeAsync(DbConnection connection, long noticeId, Caller caller, DateTimeOffset now, CancellationToken ct) =>
        await FindAsync(connection, noticeId, caller.UserId, now, ct) is { } notice && CanSee(notice, caller);

    /// <summary>The photos of these notices, by notice (ix_uploads_notice).</summary>
    public static async Task<ILookup<long, NoticePhotoDto>> PhotosAsync(DbConnection connection, IReadOnlyCollection<long> noticeIds, CancellationToken ct)
    {
        IEnumerable<(long Id, long NoticeId)> rows = noticeIds.Count == 0 ? [] : await connection.QueryAsync<(long Id, long NoticeId)>(
            new CommandDefinition("SELECT id, notice_id FROM uploads WHERE notice_id IN @noticeIds ORDER BY id", new { noticeIds }, cancellationToken: ct));
        return rows.ToLookup(r => r.NoticeId, r => new NoticePhotoDto(r.Id, TicketView.PhotoUrl(r.Id)));
    }

    /// <summary>The receipts of these notices, counted per notice and per grid, in two statements (primary key (notice_id, user_id)).</summary>
    public static async Task<IReadOnlyDictionary<long, NoticeReceiptsDto>> ReceiptsAsync(
        DbConnection connection, DbTransaction? transaction, IReadOnlyCollection<long> noticeIds, CancellationToken ct)
    {
        if (noticeIds.Count == 0)
            return new Dictionary<long, NoticeReceiptsDto>();
        var totals = (await connection.QueryAsync<ReceiptTotals>(new CommandDefinition("""
            SELECT notice_id, COUNT(*) AS recipients, COUNT(read_at) AS read_count, COUNT(DISTINCT household_key) AS households,
                   COUNT(DISTINCT IF(acknowledged_at IS NULL, NULL, household_key)) AS acknowledged_households
            FROM notice_recipients WHERE notice_id IN @noticeIds
            GROUP BY notice_id
            """, new { noticeIds }, transaction, cancellationToken: ct))).ToDictionary(t => t.NoticeId);
        var grids = (await connection.QueryAsync<GridReceipts>(new CommandDefinition("""
            SELECT r.notice_id, r.grid_id, g.name AS grid_name, COUNT(*) AS recipients, COUNT(r.read_at) AS read_count
            FROM notice_recipients r JOIN grids g ON g.id = r.grid_id
            WHERE r.notice_id IN @noticeIds
            GROUP BY r.notice_id, r.grid_id, g.name
            ORDER BY r.notice_id, r.grid_id
            """, new { noticeIds }, transaction, cancellationToken: ct))).ToLookup(g => g.NoticeId);
        return noticeIds.ToDictionary(id => id, id => totals.GetValueOrDefault(id) is { } t
            ? new NoticeReceiptsDto(id, (int)t.Recipients, (int)t.ReadCount, (int)t.Households, (int)t.AcknowledgedHouseholds,
                grids[id].Select(g => new NoticeGridReceiptsDto(g.GridId, g.GridName, (int)g.Recipients, (int)g.ReadCount)).ToList())
            : new NoticeReceiptsDto(id, 0, 0, 0, 0, []));
    }

    private sealed class ReceiptTotals
    {
        public long NoticeId { get; init; }
        public long Recipients { get; init; }
        public long ReadCount { get; init; }
        public long Households { get; init; }
        public long AcknowledgedHouseholds { get; init; }
    }

    private sealed class GridReceipts
    {
        public long NoticeId { get; init; }
        public long GridId { get; init; }
        public string GridName { get; init; } = "";
        public long Recipients { get; init; }
        public long ReadCount { get; init; }
    }
}
