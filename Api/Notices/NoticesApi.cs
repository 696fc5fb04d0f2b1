using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Linli.Api.Auth;
using Linli.Api.Hosting;
using Linli.Api.Houses;
using Linli.Domain.Notices;
using Linli.Domain.Stats;
using Linli.Infrastructure.Notifications;
using Linli.Infrastructure.Wechat;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Linli.Api.Notices;

/// <summary>
/// Notices (公告, issue 15): community staff and street leaders publish to the residents of a community, some grids or
/// some buildings; residents read theirs, pinned first; publishers see read receipts, and acknowledgements of a
/// convention per household, counted.
/// </summary>
public static class NoticesApi
{
    public const int MaxPageSize = 50;
    public const int MaxPhotos = 9;
    public const int MaxAudienceParts = 50;
    public const string PublishedKind = "notice_published";
    public const string EmergencyKind = "notice_emergency";
    /// <summary>The residents' list's cursor: 1 or 0 (pinned or not) and the last notice's id.</summary>
    public const string CursorPattern = "[01]\\.[0-9]{1,18}";

    public static IServiceCollection AddNotices(this IServiceCollection services, IConfiguration configuration) =>
        services.Configure<NoticeOptions>(configuration.GetSection(NoticeOptions.Section));

    public static RouteGroupBuilder MapNotices(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/communities/{communityId:long}/notices", ListPublishedNotices).WithName(nameof(ListPublishedNotices))
            .WithTags("Notices").RequireAuthorization(Policies.CommunityStaff)
            .WithSummary("A community's notices with their receipts")
            .WithDescription("Community staff of the community, street leaders of its street office and admins: every notice "
                + "published to it, newest first, each with its audience and its receipts counted. 404 for a community outside "
                + "the caller's. Changes nothing.");

        var group = app.MapGroup("/api/v1/notices").WithTags("Notices").RequireAuthorization(Policies.SignedIn);
        group.MapPost("/", PublishNotice).WithName(nameof(PublishNotice)).RequireAuthorization(Policies.CommunityStaff)
            .WithSummary("Publish a notice")
            .WithDescription("Community staff of the audience's community, street leaders of its street office and admins (403 for "
                + "another community). The audience is fixed now: every resident whose home (PUT /api/v1/me/home, a tenancy, an "
                + "owned house, a household) is in the community, or in one of `gridIds` or `buildings`. Title and body pass "
                + "WeChat's content check (422 when refused; `needsReview` when WeChat cannot answer). Each recipient gets exactly "
                + "one in-app notification and one subscribe message (`notice_published`, or `notice_emergency`); the messages "
                + "wait out the quiet hours (`Notices:QuietFrom`–`QuietUntil`, China time), an emergency's go at once. The "
                + "Idempotency-Key header names the notice: a retry with the same key answers 200 with the notice the first "
                + "request published, and nobody is told twice.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/", ListNotices).WithName(nameof(ListNotices))
            .WithSummary("My notices")
            .WithDescription("Any signed-in user: the notices they were in the audience of, pinned ones first, then newest, a page "
                + "at a time (pass `nextCursor` as `cursor`). Marks nothing read.");
        group.MapGet("/{id:long}", GetNotice).WithName(nameof(GetNotice))
            .WithSummary("Read one notice")
            .WithDescription("For its recipients and for those who may publish to its community; 404 for anyone else. Marks "
                + "nothing read (POST …/read does).");
        group.MapPost("/{id:long}/read", ReadNotice).WithName(nameof(ReadNotice))
            .WithSummary("Say I have read a notice")
            .WithDescription("A recipient's read receipt: the first time counts, repeating changes nothing. 404 for anyone not in "
                + "the notice's audience.");
        group.MapPost("/{id:long}/acknowledge", AcknowledgeNotice).WithName(nameof(AcknowledgeNotice))
            .WithSummary("Acknowledge a convention")
            .WithDescription("A recipient acknowledges a convention (居民公约) for their household; it also counts as read, and "
                + "repeating changes nothing. A household is the one the resident registered, else the house they live in, else "
                + "the resident alone. 409 with `kind` for a notice that is not a convention; 404 for anyone not in its audience.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/{id:long}/receipts", GetNoticeReceipts).WithName(nameof(GetNoticeReceipts))
            .WithSummary("How many read a notice")
            .WithDescription("For those who may publish to the notice's community: how many recipients, how many read it, how "
                + "many households and how many of them acknowledged it, also per grid. Counts only, never who; 404 for anyone else.");
        return group;
    }

    public static async Task<Results<Created<NoticeDto>, Ok<NoticeDto>, ValidationProblem, ProblemHttpResult>> PublishNotice(
        PublishNoticeRequest request,
        [FromHeader(Name = IdempotencyKeys.Header), Required(ErrorMessage = IdempotencyKeys.Message),
            StringLength(IdempotencyKeys.MaxLength, MinimumLength = 1, ErrorMessage = IdempotencyKeys.Message)] string? idempotencyKey,
        Caller caller, RequestConnection db, ContentCheck contentCheck, NotificationWriter notifications,
        IOptions<NoticeOptions> options, TimeProvider clock, CancellationToken ct)
    {
        if (IdempotencyKeys.Missing(idempotencyKey) is { } missing)
            return TypedResults.ValidationProblem(missing);
        var communityId = request.Audience.CommunityId!.Value;
        if (!NoticeQueries.MayPublish(caller, communityId))
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed",
                detail: "Only the community's staff and its street leaders publish its notices.");
        var now = clock.GetUtcNow();
        if (request.PinnedUntil is { } pin && pin <= now)
            throw Invalid.Field("pinnedUntil", "Pin until a time in the future.");
        var kind = request.Kind!.Value;
        var title = request.Title.Trim();
        var body = request.Body.Trim();
        var gridIds = request.Audience.GridIds?.Distinct().Order().ToList() ?? [];
        var buildings = request.Audience.Buildings?.Select(b => new NoticeBuilding(b.Street.Trim(), b.Building.Trim())).Distinct().ToList() ?? [];
        var photoIds = request.PhotoIds?.Distinct().ToList() ?? [];
        var audience = AudienceSql(gridIds, buildings);
        audience.Parameters.AddDynamicParams(new { communityId, gridIds, me = caller.UserId, idempotencyKey });

        var connection = await db.OpenAsync(ct);
        // Primary keys of communities and users; ux_grids_community_name for the grids; ix_houses_building for the buildings.
        var known = await connection.QuerySingleAsync<Lookups>(new CommandDefinition($"""
            SELECT (SELECT name FROM communities WHERE id = @communityId AND is_active = 1) AS community_name,
                   (SELECT COUNT(*) FROM grids WHERE community_id = @communityId AND id IN @gridIds) AS grids,
                   {(buildings.Count == 0 ? "0" : $"(SELECT COUNT(DISTINCT h.street, h.building) FROM houses h WHERE h.community_id = @communityId AND {audience.Buildings})")} AS buildings,
                   (SELECT openid FROM users WHERE id = @me) AS open_id,
                   {ReplayedSql} AS replayed
            """, audience.Parameters, cancellationToken: ct));
        // A retry of a publication already made under this key: that notice, told to nobody again.
        if (known.Replayed is { } replayed)
            return TypedResults.Ok(await PublishedAsync(connection, replayed, caller, options.Value, now, ct));
        if (known.CommunityName is null)
            throw Invalid.Field("audience.communityId", "Unknown community.");
        if (gridIds.Count > 0 && known.Grids != gridIds.Count)
            throw Invalid.Field("audience.gridIds", "Every grid must be one of the community's.");
        if (known.Buildings != buildings.Count)
            throw Invalid.Field("audience.buildings", "Every building must have a registered house in the community.");

        var check = await contentCheck.CheckAsync(known.OpenId ?? "", $"{title}\n{body}", ct);
        if (check == ContentSuggestion.Risky)
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Content refused",
                detail: "The notice contains content that cannot be published. Please rephrase it.");

        var echoed = new NoticeAudienceDto(communityId, gridIds, buildings);
        var messagesFrom = options.Value.MessagesFrom(kind, now);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO notices (community_id, kind, title, body, audience_json, pinned_until, needs_review, published_by, created_at)
            VALUES (@communityId, @kind, @title, @body, @audienceJson, @pinnedUntil, @needsReview, @me, @now);
            SELECT LAST_INSERT_ID();
            """, new
        {
            communityId, kind = DbEnum.Name(kind), title, body, audienceJson = JsonSerializer.Serialize(echoed, NoticeQueries.Json),
            pinnedUntil = request.PinnedUntil?.UtcDateTime, needsReview = check != ContentSuggestion.Pass, me = caller.UserId,
            now = now.UtcDateTime,
        }, transaction, cancellationToken: ct));
        // Then its key, before the audience: a request with the same key running at the same time waits here for the
        // other's transaction, finds the key taken once that commits (nothing inserted), and answers that notice.
        if (await connection.ExecuteAsync(new CommandDefinition("""
                INSERT IGNORE INTO notice_idempotency (user_id, idempotency_key, notice_id, created_at)
                VALUES (@me, @idempotencyKey, @id, @now)
                """, new { me = caller.UserId, idempotencyKey, id, now = now.UtcDateTime }, transaction, cancellationToken: ct)) == 0)
        {
            await transaction.RollbackAsync(ct);
            var first = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                $"SELECT {ReplayedSql}", new { me = caller.UserId, idempotencyKey }, cancellationToken: ct));
            return TypedResults.Ok(await PublishedAsync(connection, first, caller, options.Value, now, ct));
        }
        if (photoIds.Count > 0 && await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE uploads SET notice_id = @id, attached_at = @now
                WHERE id IN @photoIds AND uploader_id = @me AND ticket_id IS NULL AND visit_id IS NULL AND notice_id IS NULL
                """, new { id, photoIds, me = caller.UserId, now = now.UtcDateTime }, transaction, cancellationToken: ct)) != photoIds.Count)
            throw Invalid.Field("photoIds", "Each photo must be your own upload, not yet attached to anything.");
        audience.Parameters.Add("noticeId", id);
        // The audience as it is now, in one statement (ix_resident_homes_community); the primary key admits each resident once.
        await connection.ExecuteAsync(new CommandDefinition($"""
            INSERT INTO notice_recipients (notice_id, user_id, grid_id, household_key)
            SELECT @noticeId, r.user_id, r.grid_id,
                   CASE WHEN r.household_id IS NOT NULL THEN CONCAT('f:', r.household_id)
                        WHEN r.house_id IS NOT NULL THEN CONCAT('h:', r.house_id)
                        ELSE CONCAT('u:', r.user_id) END
            FROM resident_homes r
            JOIN users u ON u.id = r.user_id AND u.is_blocked = 0
            LEFT JOIN houses h ON h.id = r.house_id
            WHERE r.community_id = @communityId{audience.Residents}
            """, audience.Parameters, transaction, cancellationToken: ct));
        await notifications.WriteForNoticeAsync(connection, transaction, id, Told(kind, title, body, known.CommunityName, now), messagesFrom, ct);
        var receipts = await NoticeQueries.ReceiptsAsync(connection, transaction, [id], ct);
        await transaction.CommitAsync(ct);

        var photos = await NoticeQueries.PhotosAsync(connection, [id], ct);
        return TypedResults.Created($"/api/v1/notices/{id}", new NoticeDto(
            id, communityId, kind, title, body, photos[id].ToList(), echoed, request.PinnedUntil?.ToUniversalTime(),
            check != ContentSuggestion.Pass, now, messagesFrom, receipts[id]));
    }

    public static async Task<Ok<NoticePageDto>> ListNotices(
        Caller caller, RequestConnection db, TimeProvider clock, CancellationToken ct,
        [RegularExpression(CursorPattern, ErrorMessage = Cursors.Message)] string? cursor = null, [Range(1, MaxPageSize)] int limit = 20)
    {
        var after = string.IsNullOrEmpty(cursor) ? null : cursor.Split('.') is [var pinned, var last]
            ? new { afterPinned = long.Parse(pinned, CultureInfo.InvariantCulture), afterId = long.Parse(last, CultureInfo.InvariantCulture) }
            : null;
        var connection = await db.OpenAsync(ct);
        // ix_notice_recipients_user (user_id, notice_id): the caller's notices, then each by its primary key. Being pinned
        // depends on the clock, so the order is computed and sorted; one resident's notices are few.
        var rows = (await connection.QueryAsync<NoticeRow>(new CommandDefinition($"""
            SELECT {NoticeQueries.Columns}
            FROM notice_recipients r
            JOIN notices n ON n.id = r.notice_id
            WHERE r.user_id = @me{(after is null ? "" : $" AND ({NoticeQueries.PinnedSql} < @afterPinned OR ({NoticeQueries.PinnedSql} = @afterPinned AND n.id < @afterId))")}
            ORDER BY pinned DESC, n.id DESC
            LIMIT @take
            """, new { me = caller.UserId, now = clock.GetUtcNow().UtcDateTime, after?.afterPinned, after?.afterId, take = limit + 1 },
            cancellationToken: ct))).ToList();
        var page = rows.Take(limit).ToList();
        var photos = await NoticeQueries.PhotosAsync(connection, page.Select(r => r.Id).ToList(), ct);
        var next = rows.Count > limit ? string.Create(CultureInfo.InvariantCulture, $"{page[^1].Pinned}.{page[^1].Id}") : null;
        return TypedResults.Ok(new NoticePageDto(page.Select(r => r.ToItem(photos[r.Id].ToList())).ToList(), next));
    }

    public static async Task<Results<Ok<PublishedNoticePageDto>, NotFound>> ListPublishedNotices(
        long communityId, Caller caller, RequestConnection db, IOptions<NoticeOptions> options, TimeProvider clock, CancellationToken ct,
        [RegularExpression(Cursors.Pattern, ErrorMessage = Cursors.Message)] string? cursor = null, [Range(1, MaxPageSize)] int limit = 20)
    {
        if (!NoticeQueries.MayPublish(caller, communityId))
            return TypedResults.NotFound();
        long? before = string.IsNullOrEmpty(cursor) ? null : long.Parse(cursor, NumberStyles.None, CultureInfo.InvariantCulture);
        var connection = await db.OpenAsync(ct);
        // ix_notices_community (community_id, id), newest first.
        var rows = (await connection.QueryAsync<NoticeRow>(new CommandDefinition($"""
            SELECT {NoticeQueries.Columns}
            FROM notices n
            LEFT JOIN notice_recipients r ON r.notice_id = n.id AND r.user_id = @me
            WHERE n.community_id = @communityId{(before is null ? "" : " AND n.id < @before")}
            ORDER BY n.id DESC
            LIMIT @take
            """, new { communityId, me = caller.UserId, before, now = clock.GetUtcNow().UtcDateTime, take = limit + 1 },
            cancellationToken: ct))).ToList();
        var page = rows.Take(limit).ToList();
        var ids = page.Select(r => r.Id).ToList();
        var photos = await NoticeQueries.PhotosAsync(connection, ids, ct);
        var receipts = await NoticeQueries.ReceiptsAsync(connection, null, ids, ct);
        var items = page.Select(r => r.ToDto(photos[r.Id].ToList(), options.Value.MessagesFrom(r.KindValue, r.CreatedAt), receipts[r.Id])).ToList();
        return TypedResults.Ok(new PublishedNoticePageDto(items,
            rows.Count > limit ? page[^1].Id.ToString(CultureInfo.InvariantCulture) : null));
    }

    public static async Task<Results<Ok<NoticeItemDto>, NotFound>> GetNotice(
        long id, Caller caller, RequestConnection db, TimeProvider clock, CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        var notice = await NoticeQueries.FindAsync(connection, id, caller.UserId, clock.GetUtcNow(), ct);
        if (notice is null || !NoticeQueries.CanSee(notice, caller))
            return TypedResults.NotFound();
        var photos = await NoticeQueries.PhotosAsync(connection, [id], ct);
        return TypedResults.Ok(notice.ToItem(photos[id].ToList()));
    }

    public static async Task<Results<NoContent, NotFound>> ReadNotice(
        long id, Caller caller, RequestConnection db, TimeProvider clock, CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        // Primary key (notice_id, user_id): only a recipient has the row.
        var found = await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE notice_recipients SET read_at = COALESCE(read_at, @now) WHERE notice_id = @id AND user_id = @me
            """, new { id, me = caller.UserId, now = clock.GetUtcNow().UtcDateTime }, cancellationToken: ct));
        return found == 0 && !await IsRecipientAsync(connection, id, caller.UserId, ct) ? TypedResults.NotFound() : TypedResults.NoContent();
    }

    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> AcknowledgeNotice(
        long id, Caller caller, RequestConnection db, TimeProvider clock, CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        var now = clock.GetUtcNow();
        var notice = await NoticeQueries.FindAsync(connection, id, caller.UserId, now, ct);
        if (notice is not { IsRecipient: 1 })
            return TypedResults.NotFound();
        if (!notice.KindValue.NeedsAcknowledgement())
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Only a convention is acknowledged.",
                detail: $"This notice is a {notice.Kind}; reading it is enough.",
                extensions: new Dictionary<string, object?> { ["kind"] = notice.Kind });
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE notice_recipients SET acknowledged_at = COALESCE(acknowledged_at, @now), read_at = COALESCE(read_at, @now)
            WHERE notice_id = @id AND user_id = @me
            """, new { id, me = caller.UserId, now = now.UtcDateTime }, cancellationToken: ct));
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<NoticeReceiptsDto>, NotFound>> GetNoticeReceipts(
        long id, Caller caller, RequestConnection db, CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        var communityId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT community_id FROM notices WHERE id = @id", new { id }, cancellationToken: ct));
        if (communityId is null || !NoticeQueries.MayPublish(caller, communityId.Value))
            return TypedResults.NotFound();
        return TypedResults.Ok((await NoticeQueries.ReceiptsAsync(connection, null, [id], ct))[id]);
    }

    private static async Task<bool> IsRecipientAsync(DbConnection connection, long id, long userId, CancellationToken ct) =>
        await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT 1 FROM notice_recipients WHERE notice_id = @id AND user_id = @userId", new { id, userId }, cancellationToken: ct)) is not null;

    /// <summary>The in-app words and the subscribe message's values of a new notice: title, kind, community, time.</summary>
    private static Notice Told(NoticeKind kind, string title, string body, string communityName, DateTimeOffset now) =>
        new(kind == NoticeKind.Emergency ? EmergencyKind : PublishedKind, null, $"【{kind.Label()}】{title}", body,
            new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                [NoticeValues.Title] = title,
                [NoticeValues.Category] = kind.Label(),
                [NoticeValues.Community] = communityName,
                [NoticeValues.Text] = body,
                [NoticeValues.Time] = now.ToString("O", CultureInfo.InvariantCulture),
            });

    /// <summary>
    /// The audience as SQL over <c>resident_homes r</c> and their house <c>h</c>: nothing more for the whole community, else
    /// its grids or buildings. Only fixed text is built; every street and building name is a parameter.
    /// </summary>
    private static (string Residents, string Buildings, DynamicParameters Parameters) AudienceSql(
        IReadOnlyList<long> gridIds, IReadOnlyList<NoticeBuilding> buildings)
    {
        var parameters = new DynamicParameters();
        var pairs = new List<string>();
        for (var i = 0; i < buildings.Count; i++)
        {
            parameters.Add($"street{i}", buildings[i].Street);
            parameters.Add($"building{i}", buildings[i].Building);
            pairs.Add($"(h.street = @street{i} AND h.building = @building{i})");
        }
        var buildingSql = "(" + string.Join(" OR ", pairs) + ")";
        var parts = new List<string>();
        if (gridIds.Count > 0)
            parts.Add("r.grid_id IN @gridIds");
        if (pairs.Count > 0)
            parts.Add(buildingSql);
        return (parts.Count == 0 ? "" : " AND (" + string.Join(" OR ", parts) + ")", buildingSql, parameters);
    }

    /// <summary>The notice the caller published under <c>@idempotencyKey</c> (notice_idempotency's primary key); NULL when none.</summary>
    private const string ReplayedSql = "(SELECT notice_id FROM notice_idempotency WHERE user_id = @me AND idempotency_key = @idempotencyKey)";

    /// <summary>A notice as its publisher saw it when it was published: its audience, when its messages go, its receipts now.</summary>
    private static async Task<NoticeDto> PublishedAsync(DbConnection connection, long id, Caller caller, NoticeOptions options, DateTimeOffset now, CancellationToken ct)
    {
        var notice = await NoticeQueries.FindAsync(connection, id, caller.UserId, now, ct)
            ?? throw new InvalidOperationException($"Notice {id} has an Idempotency-Key but no row.");
        var photos = await NoticeQueries.PhotosAsync(connection, [id], ct);
        var receipts = await NoticeQueries.ReceiptsAsync(connection, null, [id], ct);
        return notice.ToDto(photos[id].ToList(), options.MessagesFrom(notice.KindValue, notice.CreatedAt), receipts[id]);
    }

    private sealed class Lookups
    {
        public string? CommunityName { get; init; }
        public long Grids { get; init; }
        public long Buildings { get; init; }
        public string? OpenId { get; init; }
        /// <summary>The notice this caller already published under the request's Idempotency-Key.</summary>
        public long? Replayed { get; init; }
    }
}
