using System.Data.Common;
using System.Text.RegularExpressions;
using Dapper;
using Linli.Domain.Identity;
using Linli.Domain.Tickets;
using Linli.Infrastructure.Crypto;
using Linli.Infrastructure.Notifications;
using Linli.Infrastructure.Wechat;
using Microsoft.Extensions.Options;

namespace Linli.Api.Tickets;

/// <summary>
/// Reporting tickets and moving them through the state machine. Every change runs in one transaction
/// with its timeline event and its notifications; a transition only lands if the ticket's version is
/// still the one the decision was made on, so of two simultaneous actions exactly one wins.
/// </summary>
public sealed partial class TicketWorkflow(
    DbDataSource db,
    TimeProvider clock,
    FieldProtector protector,
    IHouseLookup houses,
    NotificationWriter notifications,
    IServiceProvider services,
    IOptions<TicketOptions> options,
    ILogger<TicketWorkflow> logger)
{
    public const int MaxPhotos = 9;
    public static readonly string[] Channels = ["mini_program", "patrol", "phone", "on_behalf"];
    private const int ContentCheckScene = 3;

    [GeneratedRegex(@"^\+?[0-9]{5,20}$")]
    private static partial Regex PhonePattern();

    // ---------------------------------------------------------------- reporting (点单)

    public async Task<TicketOutcome> CreateAsync(CallerScope caller, string? idempotencyKey, CreateTicketRequest request, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(idempotencyKey) || idempotencyKey.Length > 100)
            return Invalid("Idempotency-Key", "The Idempotency-Key header is required (at most 100 characters).");

        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            // Primary key (user_id, idempotency_key).
            var existing = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT ticket_id FROM ticket_idempotency WHERE user_id = @me AND idempotency_key = @idempotencyKey",
                new { me = caller.UserId, idempotencyKey }, cancellationToken: ct));
            if (existing is { } replayed)
                return new TicketOutcome.Replayed(replayed);
        }

        // The request's shape was validated before the handler ran (CreateTicketRequest's annotations).
        var description = request.Description.Trim();
        var contactPhone = NormalisePhone(request.ContactPhone);
        var channel = request.Channel ?? "mini_program";
        var onBehalfPhone = NormalisePhone(request.OnBehalfPhone);
        var onBehalfName = request.OnBehalfName?.Trim();
        var photoIds = request.PhotoIds?.Distinct().ToList() ?? [];

        await using var conn = await db.OpenConnectionAsync(ct);
        string? categoryName = null;
        if (request.CategoryId is { } categoryId)
        {
            categoryName = await conn.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT name FROM ticket_categories WHERE id = @categoryId AND is_active = 1", new { categoryId }, cancellationToken: ct));
            if (categoryName is null)
                errors["categoryId"] = ["Unknown category."];
        }

        long? houseId = null, communityId = null, gridId = null;
        if (!string.IsNullOrWhiteSpace(request.HouseCode))
        {
            var house = await houses.FindByCodeAsync(request.HouseCode.Trim(), ct);
            if (house is null)
                errors["houseCode"] = ["Unknown house code."];
            else
                (houseId, communityId, gridId) = house.Value;
        }
        else if (request.GridId is { } requestedGrid)
        {
            communityId = await conn.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT community_id FROM grids WHERE id = @requestedGrid AND is_active = 1", new { requestedGrid }, cancellationToken: ct));
            if (communityId is null)
                errors["gridId"] = ["Unknown grid."];
            else if (request.CommunityId is { } c && c != communityId)
                errors["gridId"] = ["The grid is not in that community."];
            gridId = requestedGrid;
        }
        else if (request.CommunityId is { } requestedCommunity)
        {
            communityId = await conn.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT id FROM communities WHERE id = @requestedCommunity AND is_active = 1", new { requestedCommunity }, cancellationToken: ct));
            if (communityId is null)
                errors["communityId"] = ["Unknown community."];
        }
        if (errors.Count > 0)
            return new TicketOutcome.Invalid(errors);

        if (channel != "mini_program"
            && !(caller.IsAdmin || caller.StaffCommunities.Contains(communityId!.Value) || (gridId is { } g && caller.Grids.Contains(g))))
            return new TicketOutcome.Forbidden("Only grid workers and community staff of this place report by patrol, phone or on behalf of someone.");

        var openid = await conn.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT openid FROM users WHERE id = @me", new { me = caller.UserId }, cancellationToken: ct));
        var check = await CheckContentAsync(openid ?? "", request.Address is null ? description : $"{description}\n{request.Address}", ct);
        if (check == ContentSuggestion.Risky)
            return new TicketOutcome.Refused("The description contains content that cannot be published. Please rephrase it.");
        var needsReview = check != ContentSuggestion.Pass;

        var now = clock.GetUtcNow();
        // The number is taken before the transaction, so the day's counter row is locked for one statement, not
        // until commit: concurrent reports then commit together instead of one after another.
        var number = await TicketNumbers.NextAsync(conn, now, ct);
        await using var transaction = await conn.BeginTransactionAsync(ct);
        // The key first: a concurrent request with the same key waits here for this one, then finds it taken.
        var claimed = await conn.ExecuteAsync(new CommandDefinition("""
            INSERT IGNORE INTO ticket_idempotency (user_id, idempotency_key, ticket_id, created_at)
            VALUES (@me, @idempotencyKey, NULL, @now)
            """, new { me = caller.UserId, idempotencyKey, now = now.UtcDateTime }, transaction, cancellationToken: ct));
        if (claimed == 0)
        {
            await transaction.RollbackAsync(ct);
            var first = await conn.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT ticket_id FROM ticket_idempotency WHERE user_id = @me AND idempotency_key = @idempotencyKey",
                new { me = caller.UserId, idempotencyKey }, cancellationToken: ct));
            return first is { } id ? new TicketOutcome.Replayed(id) : Invalid("Idempotency-Key", "This key is in use by a request that has not finished.");
        }

        var ticketId = await conn.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO tickets (number, category_id, community_id, grid_id, house_id, house_code, address, latitude, longitude,
                                 description, channel, submitter_id, contact_phone_cipher, on_behalf_name, on_behalf_phone_cipher,
                                 needs_review, status, version, created_at, updated_at)
            VALUES (@number, @categoryId, @communityId, @gridId, @houseId, @houseCode, @address, @latitude, @longitude,
                    @description, @channel, @me, @contactCipher, @onBehalfName, @onBehalfCipher,
                    @needsReview, 'submitted', 0, @now, @now);
            SELECT LAST_INSERT_ID();
            """, new
        {
            number,
            categoryId = request.CategoryId,
            communityId,
            gridId,
            houseId,
            // Stored as printed on the house (upper case), whatever case the phone sent.
            houseCode = houseId is null ? null : Linli.Domain.Houses.HouseCode.Normalise(request.HouseCode),
            address = request.Address?.Trim(),
            latitude = request.Location is { } l1 ? (decimal?)Math.Round((decimal)l1.Latitude, 6) : null,
            longitude = request.Location is { } l2 ? (decimal?)Math.Round((decimal)l2.Longitude, 6) : null,
            description,
            channel,
            me = caller.UserId,
            contactCipher = contactPhone is null ? null : protector.Encrypt(contactPhone),
            onBehalfName = string.IsNullOrEmpty(onBehalfName) ? null : onBehalfName,
            onBehalfCipher = onBehalfPhone is null ? null : protector.Encrypt(onBehalfPhone),
            needsReview,
            now = now.UtcDateTime,
        }, transaction, cancellationToken: ct));
        await conn.ExecuteAsync(new CommandDefinition(
            "UPDATE ticket_idempotency SET ticket_id = @ticketId WHERE user_id = @me AND idempotency_key = @idempotencyKey",
            new { ticketId, me = caller.UserId, idempotencyKey }, transaction, cancellationToken: ct));
        await AppendEventAsync(conn, transaction, ticketId, caller.UserId, ReporterRole(caller, channel), "report", null,
            TicketState.Submitted, channel == "mini_program" ? null : channel, false, now, ct);
        if (!await AttachPhotosAsync(conn, transaction, photoIds, caller.UserId, ticketId, null, now, ct))
        {
            await transaction.RollbackAsync(ct);
            return Invalid("photoIds", "Each photo must be your own upload, not yet attached to a ticket.");
        }
        await transaction.CommitAsync(ct);
        return new TicketOutcome.Done(ticketId);
    }

    private static string ReporterRole(CallerScope caller, string channel) => channel switch
    {
        "mini_program" => Roles.Resident,
        _ when caller.Has(Roles.CommunityStaff) => Roles.CommunityStaff,
        _ when caller.Has(Roles.GridWorker) => Roles.GridWorker,
        _ => caller.IsAdmin ? Roles.Admin : Roles.Resident,
    };

    private async Task<ContentSuggestion> CheckContentAsync(string openid, string text, CancellationToken ct)
    {
        var wechat = services.GetService<IWechatClient>();
        if (wechat is null)
            return ContentSuggestion.Review;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.ContentCheckTimeoutSeconds));
        try
        {
            return (await wechat.CheckTextAsync(openid, text, ContentCheckScene, timeout.Token)).Suggestion;
        }
        catch (WechatException e)
        {
            LogContentCheckUnavailable(e.ErrCode);
            return ContentSuggestion.Review;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            LogContentCheckUnavailable(null);
            return ContentSuggestion.Review;
        }
    }

    private static string? NormalisePhone(string? phone)
    {
        if (phone is null)
            return null;
        var compact = phone.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        return PhonePattern().IsMatch(compact) ? compact : null;
    }

    // ---------------------------------------------------------------- transitions

    /// <summary>Applies one action. <paramref name="caller"/> is null for the system (auto-close).</summary>
    public async Task<TicketOutcome> ApplyAsync(CallerScope? caller, long ticketId, TicketAction action, TicketActionRequest request, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        var ticket = await TicketQueries.FindAsync(connection, ticketId, ct);
        if (ticket is null)
            return new TicketOutcome.NotFound();
        var relation = caller?.RelationTo(ticket) ?? TicketCaller.System;
        // A party member of the community was told of the ticket when it was published: when another member
        // claims it first, the late ones hear "already in progress" (409), not "no such ticket" (404).
        if (caller is not null && !caller.CanSee(ticket) && !(relation.IsPartyMember && action == TicketAction.Claim))
            return new TicketOutcome.NotFound();

        var decision = TicketRules.Decide(ticket.Facts, action, relation, now);
        switch (decision.Verdict)
        {
            case TicketVerdict.Forbidden:
                return new TicketOutcome.Forbidden(decision.Reason!);
            case TicketVerdict.WrongState or TicketVerdict.LimitReached:
                return new TicketOutcome.Conflict(ticket.State, TicketRules.AllowedActions(ticket.Facts, relation, now), decision.Reason!);
        }

        var errors = Validate(action, request, now);
        if (action == TicketAction.Dispatch && request.DepartmentId is { } departmentId && !errors.ContainsKey("departmentId"))
        {
            var known = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT id FROM departments WHERE id = @departmentId AND is_active = 1", new { departmentId }, cancellationToken: ct));
            if (known is null)
                errors["departmentId"] = ["Unknown department."];
        }
        if (errors.Count > 0)
            return new TicketOutcome.Invalid(errors);

        var me = caller?.UserId;
        var to = decision.To!.Value;
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var changed = await connection.ExecuteAsync(new CommandDefinition($"""
            UPDATE tickets SET status = @to, version = version + 1, updated_at = @now{SetClause(action)}
            WHERE id = @id AND version = @version
            """, new
        {
            id = ticket.Id,
            version = ticket.Version,
            to = to.ToCode(),
            now = now.UtcDateTime,
            me,
            departmentId = request.DepartmentId,
            dueAt = request.DueAt?.UtcDateTime,
            satisfaction = request.Satisfaction,
            comment = request.Comment?.Trim(),
        }, transaction, cancellationToken: ct));
        if (changed == 0)
        {
            await transaction.RollbackAsync(ct);
            var current = await TicketQueries.FindAsync(connection, ticketId, ct);
            var facts = current?.Facts ?? ticket.Facts;
            var currentRelation = current is null ? relation : caller?.RelationTo(current) ?? TicketCaller.System;
            return new TicketOutcome.Conflict(facts.State, TicketRules.AllowedActions(facts, currentRelation, now),
                "Someone else acted on this ticket at the same moment; reload it and try again.");
        }

        var note = EventNote(action, request);
        var eventId = await AppendEventAsync(connection, transaction, ticket.Id, me, ActorRole(action, relation, caller, ticket),
            action.ToCode(), ticket.State, to, note, action == TicketAction.Note, now, ct);
        var photoIds = request.PhotoIds?.Distinct().ToList() ?? [];
        if (!await AttachPhotosAsync(connection, transaction, photoIds, me ?? 0, ticket.Id, eventId, now, ct))
        {
            await transaction.RollbackAsync(ct);
            return Invalid("photoIds", "Each photo must be your own upload, not yet attached to a ticket.");
        }
        await NotifyAsync(connection, transaction, ticket, action, to, request, me, note, now, ct);
        await transaction.CommitAsync(ct);
        return new TicketOutcome.Done(ticket.Id);
    }

    private static Dictionary<string, string[]> Validate(TicketAction action, TicketActionRequest r, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Require(string field, string? value, int max)
        {
            if (string.IsNullOrWhiteSpace(value))
                errors[field] = [$"{field} is required for {action.ToCode()}."];
            else if (value.Trim().Length > max)
                errors[field] = [$"{field} must be at most {max} characters."];
        }
        void Optional(string field, string? value, int max)
        {
            if (value is not null && value.Trim().Length > max)
                errors[field] = [$"{field} must be at most {max} characters."];
        }
        switch (action)
        {
            case TicketAction.Dispatch:
                if (r.DepartmentId is null)
                    errors["departmentId"] = ["Choose the department to dispatch to."];
                goto case TicketAction.Publish;
            case TicketAction.Publish:
                if (r.DueAt is { } due && due <= now)
                    errors["dueAt"] = ["The due time must be in the future."];
                Optional("note", r.Note, 1000);
                break;
            case TicketAction.Reject or TicketAction.Return or TicketAction.Reopen:
                Require("reason", r.Reason, 1000);
                break;
            case TicketAction.Recall:
                Optional("note", r.Note, 1000);
                break;
            case TicketAction.Progress:
                Require("note", r.Note, 1000);
                break;
            case TicketAction.Resolve:
                Require("result", r.Result, 1000);
                break;
            case TicketAction.Evaluate:
                if (r.Satisfaction is not (>= 1 and <= 5))
                    errors["satisfaction"] = ["Satisfaction is 1 to 5."];
                Optional("comment", r.Comment, 500);
                break;
            case TicketAction.Note:
                Require("text", r.Text, 1000);
                break;
        }
        var photos = r.PhotoIds?.Distinct().Count() ?? 0;
        if (photos > 0 && action is not (TicketAction.Progress or TicketAction.Resolve))
            errors["photoIds"] = ["Photos go with progress or resolve."];
        else if (photos > MaxPhotos)
            errors["photoIds"] = [$"At most {MaxPhotos} photos."];
        return errors;
    }

    /// <summary>The columns an action sets besides status and version. Fixed text only.</summary>
    private static string SetClause(TicketAction action) => action switch
    {
        TicketAction.Dispatch => ", department_id = @departmentId, due_at = @dueAt, dispatched_by = @me, overdue_notified_at = NULL",
        TicketAction.Publish => ", department_id = NULL, due_at = @dueAt, dispatched_by = @me, overdue_notified_at = NULL",
        TicketAction.Take => ", handler_user_id = @me, handler_department_id = NULL",
        TicketAction.Reject or TicketAction.Cancel or TicketAction.AutoClose => ", closed_at = @now",
        TicketAction.Accept => ", handler_user_id = @me, handler_department_id = department_id",
        TicketAction.Return => ", department_id = NULL, handler_user_id = NULL, handler_department_id = NULL",
        TicketAction.Recall => ", department_id = NULL",
        TicketAction.Claim => ", handler_user_id = @me, handler_department_id = NULL",
        TicketAction.Resolve => ", resolved_at = @now",
        TicketAction.Evaluate => ", satisfaction = @satisfaction, evaluation_comment = @comment, closed_at = @now",
        TicketAction.Reopen => ", reopen_count = reopen_count + 1, resolved_at = NULL",
        TicketAction.Urge => ", last_urged_at = @now",
        _ => "",
    };

    private static string? EventNote(TicketAction action, TicketActionRequest r) => (action switch
    {
        TicketAction.Reject or TicketAction.Return or TicketAction.Reopen => r.Reason,
        TicketAction.Resolve => r.Result,
        TicketAction.Note => r.Text,
        TicketAction.Evaluate => r.Comment,
        _ => r.Note,
    })?.Trim();

    /// <summary>The role the caller acts in, for the timeline.</summary>
    private static string ActorRole(TicketAction action, TicketCaller relation, CallerScope? caller, TicketRow ticket)
    {
        if (caller is null)
            return "system";
        string StaffRole() => caller.StaffCommunities.Contains(ticket.CommunityId) ? Roles.CommunityStaff : Roles.Admin;
        string HandlerRole() =>
            ticket.HandlerDepartmentId is { } hd && caller.Departments.Contains(hd) ? Roles.DepartmentStaff
            : caller.PartyCommunities.Contains(ticket.CommunityId) && !relation.IsCommunityStaff ? Roles.PartyMember
            : relation.IsCommunityStaff ? StaffRole()
            : Roles.PartyMember;
        return action switch
        {
            TicketAction.Dispatch or TicketAction.Publish or TicketAction.Take or TicketAction.Reject
                or TicketAction.Recall or TicketAction.Withdraw => StaffRole(),
            TicketAction.Accept => Roles.DepartmentStaff,
            TicketAction.Return when ticket.State == TicketState.Dispatched => Roles.DepartmentStaff,
            TicketAction.Claim => Roles.PartyMember,
            TicketAction.Evaluate or TicketAction.Reopen or TicketAction.Cancel or TicketAction.Urge => Roles.Resident,
            TicketAction.Note when relation.IsCommunityStaff => StaffRole(),
            TicketAction.Note when relation.IsDepartmentStaff => Roles.DepartmentStaff,
            _ => HandlerRole(),
        };
    }

    private static async Task<long> AppendEventAsync(DbConnection connection, DbTransaction transaction, long ticketId, long? actorId,
        string actorRole, string action, TicketState? from, TicketState to, string? note, bool isInternal, DateTimeOffset now, CancellationToken ct) =>
        await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO ticket_events (ticket_id, actor_id, actor_role, action, from_status, to_status, note, is_internal, created_at)
            VALUES (@ticketId, @actorId, @actorRole, @action, @from, @to, @note, @isInternal, @now);
            SELECT LAST_INSERT_ID();
            """, new { ticketId, actorId, actorRole, action, from = from?.ToCode(), to = to.ToCode(), note, isInternal, now = now.UtcDateTime },
            transaction, cancellationToken: ct));

    /// <summary>Attaches the caller's own unattached uploads; false when any id is not one.</summary>
    private static async Task<bool> AttachPhotosAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<long> ids,
        long uploaderId, long ticketId, long? eventId, DateTimeOffset now, CancellationToken ct)
    {
        if (ids.Count == 0)
            return true;
        var attached = await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE uploads SET ticket_id = @ticketId, event_id = @eventId, attached_at = @now
            WHERE id IN @ids AND uploader_id = @uploaderId AND ticket_id IS NULL
            """, new { ids, uploaderId, ticketId, eventId, now = now.UtcDateTime }, transaction, cancellationToken: ct));
        return attached == ids.Count;
    }

    // ---------------------------------------------------------------- notifications

    private async Task NotifyAsync(DbConnection connection, DbTransaction transaction, TicketRow ticket, TicketAction action, TicketState to,
        TicketActionRequest request, long? me, string? note, DateTimeOffset now, CancellationToken ct)
    {
        async Task Send(IEnumerable<long> userIds, string kind, string title, string? text = null)
        {
            var recipients = userIds.Where(id => id != me).ToList();
            if (recipients.Count > 0)
                await notifications.WriteAsync(connection, transaction, recipients, TicketNotices.For(kind, ticket, to, title, text, now), ct);
        }
        async Task<IReadOnlyList<long>> Holders(string role, string column, long scopeId) =>
            (await connection.QueryAsync<long>(new CommandDefinition($"""
                SELECT DISTINCT user_id FROM user_roles WHERE {column} = @scopeId AND role = @role AND revoked_at IS NULL
                """, new { scopeId, role }, transaction, cancellationToken: ct))).ToList();
        long[] Submitter() => [ticket.SubmitterId];
        long[] Handler() => ticket.HandlerUserId is { } h ? [h] : [];

        switch (action)
        {
            case TicketAction.Dispatch:
                await Send(Submitter(), "ticket_dispatched", "您的诉求已派单", note);
                await Send(await Holders(Roles.DepartmentStaff, "department_id", request.DepartmentId!.Value), "ticket_assigned", "有新的派单待接单", note);
                break;
            case TicketAction.Publish:
                await Send(await Holders(Roles.PartyMember, "community_id", ticket.CommunityId), "ticket_published", "有新的诉求待党员领单", note);
                break;
            case TicketAction.Accept:
                await Send(Submitter(), "ticket_accepted", "您的诉求已被部门接单");
                break;
            case TicketAction.Claim:
                await Send(Submitter(), "ticket_claimed", "您的诉求已被党员领单");
                break;
            case TicketAction.Resolve:
                await Send(Submitter(), "ticket_resolved", "您的诉求已办结，请评价", note);
                break;
            case TicketAction.Reject:
                await Send(Submitter(), "ticket_rejected", "您的诉求未被受理", note);
                break;
            case TicketAction.AutoClose:
                await Send(Submitter(), "ticket_closed", "您的诉求已自动关闭");
                break;
            case TicketAction.Reopen:
                await Send(Handler(), "ticket_reopened", "居民对办理结果不满意，诉求已重新打开", note);
                break;
            case TicketAction.Evaluate:
                await Send(Handler(), "ticket_evaluated", $"居民已评价：{request.Satisfaction} 星", note);
                break;
            case TicketAction.Urge:
                var urged = ticket.State == TicketState.InProgress ? Handler()
                    : ticket.DispatchedBy is { } by ? [by]
                    : await Holders(Roles.CommunityStaff, "community_id", ticket.CommunityId);
                await Send(urged, "ticket_urged", "居民催办");
                break;
        }
    }

    private static TicketOutcome.Invalid Invalid(string field, string message) =>
        new(new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] });

    [LoggerMessage(Level = LogLevel.Warning, Message = "WeChat content check unavailable (errcode {ErrCode}); the ticket is flagged for review")]
    private partial void LogContentCheckUnavailable(int? errCode);
}
