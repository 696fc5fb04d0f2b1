using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using System.Globalization;
using System.Security.Claims;
using Dapper;
using Linli.Api.Auth;
using Linli.Api.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Linli.Api.Notifications;

/// <summary>The signed-in user's in-app notifications, newest first.</summary>
public static class NotificationsApi
{
    public static RouteGroupBuilder MapNotifications(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/notifications").WithTags("Notifications").RequireAuthorization(Policies.SignedIn);
        group.MapGet("/", ListNotifications).WithName(nameof(ListNotifications))
            .WithSummary("List my notifications")
            .WithDescription("The signed-in user's in-app notifications, newest first, a page at a time, with the count of unread ones. Any signed-in user, their own only; changes nothing.");
        group.MapPost("/{id:long}/read", MarkNotificationRead).WithName(nameof(MarkNotificationRead))
            .WithSummary("Mark a notification read")
            .WithDescription("Sets readAt on one of the signed-in user's notifications; another user's is a 404.");
        return group;
    }

    public sealed record NotificationDto(long Id, string Kind, long? TicketId, long? NoticeId, string Title, string Body, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt);

    public sealed record NotificationPageDto(IReadOnlyList<NotificationDto> Items, string? NextCursor, int Unread);

    private sealed class NotificationRow
    {
        public long Id { get; init; }
        public string Kind { get; init; } = "";
        public long? TicketId { get; init; }
        public long? NoticeId { get; init; }
        public string Title { get; init; } = "";
        public string Body { get; init; } = "";
        public DateTime CreatedAt { get; init; }
        public DateTime? ReadAt { get; init; }

        public NotificationDto ToDto() => new(Id, Kind, TicketId, NoticeId, Title, Body, Utc(CreatedAt), ReadAt is { } r ? Utc(r) : null);
    }

    public static async Task<Ok<NotificationPageDto>> ListNotifications(
        ClaimsPrincipal user, RequestConnection db, CancellationToken ct,
        [RegularExpression(Cursors.Pattern, ErrorMessage = Cursors.Message)] string? cursor = null, [Range(1, 50)] int limit = 20)
    {
        // An empty cursor is the first page, like none.
        long? after = string.IsNullOrEmpty(cursor) ? null : long.Parse(cursor, NumberStyles.None, CultureInfo.InvariantCulture);
        var size = limit;

        var me = user.GetUserId();
        var connection = await db.OpenAsync(ct);
        // ix_notifications_user
        var rows = (await connection.QueryAsync<NotificationRow>(new CommandDefinition($"""
            SELECT id, kind, ticket_id, notice_id, title, body, created_at, read_at FROM notifications
            WHERE user_id = @me{(after is null ? "" : " AND id < @after")}
            ORDER BY id DESC LIMIT @take
            """, new { me, after, take = size + 1 }, cancellationToken: ct))).ToList();
        var unread = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM notifications WHERE user_id = @me AND read_at IS NULL", new { me }, cancellationToken: ct));
        var page = rows.Take(size).Select(r => r.ToDto()).ToList();
        return TypedResults.Ok(new NotificationPageDto(page, rows.Count > size ? page[^1].Id.ToString(CultureInfo.InvariantCulture) : null, unread));
    }

    public static async Task<Results<NoContent, NotFound>> MarkNotificationRead(
        long id, ClaimsPrincipal user, RequestConnection db, TimeProvider clock, CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        var found = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM notifications WHERE id = @id AND user_id = @me", new { id, me = user.GetUserId() }, cancellationToken: ct));
        if (found is null)
            return TypedResults.NotFound();
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE notifications SET read_at = COALESCE(read_at, @now) WHERE id = @id",
            new { id, now = clock.GetUtcNow().UtcDateTime }, cancellationToken: ct));
        return TypedResults.NoContent();
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
