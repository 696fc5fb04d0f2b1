using System.Data.Common;
using Dapper;
using Linli.Api.Hosting;
using Linli.Domain.Identity;
using Linli.Domain.Tickets;
using Linli.Infrastructure.Crypto;
using Linli.Infrastructure.Data;
using Linli.Infrastructure.Wechat;

namespace Linli.Api.Tickets;

/// <summary>
/// Reporting a problem (居民点单): the checks of the report, WeChat's content check, and the new ticket with its first
/// timeline event and photos in one transaction. An Idempotency-Key makes a retried report answer the first ticket.
/// </summary>
public sealed partial class TicketReporting(
    TimeProvider clock,
    FieldProtector protector,
    IHouseLookup houses,
    RequestValidator validator,
    ContentCheck contentCheck)
{
    public const int MaxPhotos = 9;
    public static readonly string[] Channels = ["mini_program", "patrol", "phone", "on_behalf"];

    /// <summary>
    /// A report from inside the service (a visit's issue, the demo): no endpoint validated its request, so it first
    /// meets the same rules a report through the API does (<see cref="RequestValidator"/>), then <see cref="CreateAsync"/>.
    /// </summary>
    public async Task<TicketOutcome> CreateCheckedAsync(DbConnection conn, CallerScope caller, string idempotencyKey, CreateTicketRequest request,
        CancellationToken ct) =>
        await validator.ErrorsAsync(request, ct) is { Count: > 0 } errors
            ? new TicketOutcome.Invalid(errors)
            : await CreateAsync(conn, caller, idempotencyKey, request, ct);

    /// <summary>
    /// A report whose request the endpoint validated. A deadlock or lock wait runs the whole report again: the
    /// Idempotency-Key makes that safe.
    /// </summary>
    public Task<TicketOutcome> CreateAsync(DbConnection conn, CallerScope caller, string? idempotencyKey, CreateTicketRequest request, CancellationToken ct) =>
        LockConflictRetry.RunAsync(() => CreateOnceAsync(conn, caller, idempotencyKey, request, ct), ct);

    private async Task<TicketOutcome> CreateOnceAsync(DbConnection conn, CallerScope caller, string? idempotencyKey, CreateTicketRequest request, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (IdempotencyKeys.Missing(idempotencyKey) is { } missing)
            return new TicketOutcome.Invalid(missing);

        // Everything the checks look up, in one statement, each by its primary key: a ticket already reported under
        // this key (ticket_idempotency's (user_id, idempotency_key)), the category, the grid or community, the openid.
        var known = await conn.QuerySingleAsync<Lookups>(new CommandDefinition("""
            SELECT (SELECT ticket_id FROM ticket_idempotency WHERE user_id = @me AND idempotency_key = @idempotencyKey) AS replayed,
                   (SELECT name FROM ticket_categories WHERE id = @categoryId AND is_active = 1) AS category_name,
                   (SELECT community_id FROM grids WHERE id = @gridId AND is_active = 1) AS grid_community_id,
                   (SELECT id FROM communities WHERE id = @communityId AND is_active = 1) AS community_id,
                   (SELECT openid FROM users WHERE id = @me) AS open_id
            """, new { me = caller.UserId, idempotencyKey, request.CategoryId, request.GridId, request.CommunityId }, cancellationToken: ct));
        if (known.Replayed is { } replayed)
            return new TicketOutcome.Replayed(replayed);

        // The request's own rules (CreateTicketRequest's annotations and Validate) ran before this; what is left needs
        // the trimmed text or the database.
        var description = request.Description.Trim();
        if (description.Length < 5)
            errors["description"] = ["The description must be 5 to 1000 characters."];
        if (known.CategoryName is null)
            errors["categoryId"] = ["Unknown category."];
        var photoIds = request.PhotoIds?.Distinct().ToList() ?? [];
        var contactPhone = NormalisePhone(request.ContactPhone);
        var channel = request.Channel ?? "mini_program";
        var onBehalfPhone = NormalisePhone(request.OnBehalfPhone);
        var onBehalfName = request.OnBehalfName?.Trim();

        long? houseId = null, communityId = null, gridId = null;
        if (!string.IsNullOrWhiteSpace(request.HouseCode))
        {
            var house = await houses.FindByCodeAsync(conn, request.HouseCode.Trim(), ct);
            if (house is null)
                errors["houseCode"] = ["Unknown house code."];
            else
                (houseId, communityId, gridId) = house.Value;
        }
        else if (request.GridId is { } requestedGrid)
        {
            communityId = known.GridCommunityId;
            if (communityId is null)
                errors["gridId"] = ["Unknown grid."];
            else if (request.CommunityId is { } c && c != communityId)
                errors["gridId"] = ["The grid is not in that community."];
            gridId = requestedGrid;
        }
        else
        {
            // The request names a community when it names neither a house nor a grid (CreateTicketRequest.Validate).
            communityId = known.CommunityId;
            if (communityId is null)
                errors["communityId"] = ["Unknown community."];
        }
        if (errors.Count > 0)
            return new TicketOutcome.Invalid(errors);

        if (channel != "mini_program"
            && !(caller.IsAdmin || caller.StaffCommunities.Contains(communityId!.Value) || (gridId is { } g && caller.Grids.Contains(g))))
            return new TicketOutcome.Forbidden("Only grid workers and community staff of this place report by patrol, phone or on behalf of someone.");

        var check = await contentCheck.CheckAsync(known.OpenId ?? "", request.Address is null ? description : $"{description}\n{request.Address}", ct);
        if (check == ContentSuggestion.Risky)
            return new TicketOutcome.Refused("The description contains content that cannot be published. Please rephrase it.");
        var needsReview = check != ContentSuggestion.Pass;

        var now = clock.GetUtcNow();
        // The number is taken before the transaction, so the day's counter row is locked for one statement, not
        // until commit: concurrent reports then commit together instead of one after another.
        var day = await TicketNumbers.TakeAsync(conn, now, ct);
        await using var transaction = await conn.BeginTransactionAsync(ct);
        // The ticket, then its Idempotency-Key: a concurrent request with the same key waits at the key for this one to
        // commit, then finds it taken and rolls its own ticket back. The last SELECT answers the ticket's id only when
        // the key was written (ROW_COUNT() is 0 when IGNORE skipped a taken key); all three in one round trip, in SQL
        // that MySQL 8 runs as MariaDB does (no INSERT … RETURNING).
        var written = await conn.QuerySingleOrDefaultAsync<long?>(new CommandDefinition($"""
            INSERT INTO tickets (number, category_id, community_id, grid_id, house_id, house_code, address, latitude, longitude, location,
                                 description, channel, submitter_id, contact_phone_cipher, on_behalf_name, on_behalf_phone_cipher,
                                 needs_review, status, version, created_at, updated_at)
            VALUES ({TicketNumbers.TakenSql}, @categoryId, @communityId, @gridId, @houseId, @houseCode, @address, @latitude, @longitude, {TicketLocations.Sql("location")},
                    @description, @channel, @me, @contactCipher, @onBehalfName, @onBehalfCipher,
                    @needsReview, 'submitted', 0, @now, @now);
            INSERT IGNORE INTO ticket_idempotency (user_id, idempotency_key, ticket_id, created_at)
            VALUES (@me, @idempotencyKey, LAST_INSERT_ID(), @now);
            SELECT IF(ROW_COUNT() = 1, LAST_INSERT_ID(), NULL)
            """, new
        {
            numberPrefix = TicketNumbers.Prefix(day),
            categoryId = request.CategoryId,
            communityId,
            gridId,
            houseId,
            // Stored as printed on the house (upper case), whatever case the phone sent.
            houseCode = houseId is null ? null : Linli.Domain.Houses.HouseCode.Normalise(request.HouseCode),
            address = request.Address?.Trim(),
            latitude = request.Location is { } l1 ? (decimal?)Math.Round((decimal)l1.Latitude, 6) : null,
            longitude = request.Location is { } l2 ? (decimal?)Math.Round((decimal)l2.Longitude, 6) : null,
            location = request.Location is { } l3
                ? TicketLocations.Point((double)Math.Round((decimal)l3.Latitude, 6), (double)Math.Round((decimal)l3.Longitude, 6))
                : TicketLocations.Nowhere,
            description,
            channel,
            me = caller.UserId,
            idempotencyKey,
            contactCipher = contactPhone is null ? null : protector.Encrypt(contactPhone),
            onBehalfName = string.IsNullOrEmpty(onBehalfName) ? null : onBehalfName,
            onBehalfCipher = onBehalfPhone is null ? null : protector.Encrypt(onBehalfPhone),
            needsReview,
            now = now.UtcDateTime,
        }, transaction, cancellationToken: ct));
        if (written is not { } ticketId)
        {
            await transaction.RollbackAsync(ct);
            var first = await conn.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT ticket_id FROM ticket_idempotency WHERE user_id = @me AND idempotency_key = @idempotencyKey",
                new { me = caller.UserId, idempotencyKey }, cancellationToken: ct));
            return new TicketOutcome.Replayed(first);
        }
        await TicketTimeline.AppendEventAsync(conn, transaction, ticketId, caller.UserId, ReporterRole(caller, channel), "report", null,
            TicketState.Submitted, channel == "mini_program" ? null : channel, false, now, ct);
        if (!await TicketTimeline.AttachPhotosAsync(conn, transaction, photoIds, caller.UserId, ticketId, toLastEvent: false, now, ct))
        {
            await transaction.RollbackAsync(ct);
            return TicketOutcome.Invalid.Of("photoIds", "Each photo must be your own upload, not yet attached to a ticket.");
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

    /// <summary>A phone as stored: the digits without the spaces and dashes <see cref="CreateTicketRequest.PhonePattern"/> allows between them.</summary>
    private static string? NormalisePhone(string? phone) =>
        phone?.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);

    private sealed class Lookups
    {
        public long? Replayed { get; init; }
        public string? CategoryName { get; init; }
        public long? GridCommunityId { get; init; }
        public long? CommunityId { get; init; }
        public string? OpenId { get; init; }
    }
}
