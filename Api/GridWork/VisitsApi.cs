using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using Dapper;
using Linli.Api.Auth;
using Linli.Api.Houses;
using Linli.Api.Tickets;
using Linli.Domain.GridWork;
using Linli.Domain.Stats;
using Linli.Infrastructure.Crypto;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Linli.Api.Hosting;

namespace Linli.Api.GridWork;

/// <summary>
/// The field log (民情日志, 走、记、办、回、评): visits, calls and meetings with households. Each issue found becomes
/// a patrol ticket through the ordinary reporting path, reported on the household's behalf and linked to the visit.
/// </summary>
public static class VisitsApi
{
    public const int MaxPageSize = 50;

    public static RouteGroupBuilder MapVisits(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/visits").WithTags("Visits").RequireAuthorization(Policies.SignedIn);
        group.MapPost("/", LogVisit).WithName(nameof(LogVisit))
            .WithSummary("Log a visit; its issues become patrol tickets")
            .WithDescription("Staff of the house's grid or community, or the person assigned to the household, log a visit, call or "
                + "meeting with a household (`householdId`) or at a house (`houseId`, staff only), with a note, their own uploaded "
                + "photos and where they were. Each of `issues` becomes a ticket with channel `patrol` reported on the household "
                + "head's behalf (only staff of the place file issues: 403 otherwise), and the answer shows the tickets and their "
                + "states. An issue WeChat's content check refuses is listed under `unfiled`. 404 for a household or house the "
                + "caller may not visit. The Idempotency-Key header names the visit: a retry with the same key answers 200 with "
                + "the visit the first request logged (filing any of its issues that the first request did not get to), never "
                + "a second visit.");
        group.MapGet("/", ListVisits).WithName(nameof(ListVisits))
            .WithSummary("The visit log")
            .WithDescription("Visits the caller may see, newest first: their own, their communities' (community staff), their grids' "
                + "(grid workers), all (admins). Filters: household, house, grid, visitor and China dates `from`/`to`.");
        group.MapGet("/{id:long}", GetVisit).WithName(nameof(GetVisit))
            .WithSummary("One visit with its tickets' states")
            .WithDescription("Visible to whoever sees it in the list; 404 otherwise.");
        return group;
    }

    private sealed class PlaceRow
    {
        public long HouseId { get; init; }
        public string HouseCode { get; init; } = "";
        public long CommunityId { get; init; }
        public long GridId { get; init; }
        public long Manages { get; init; }
        public long Assigned { get; init; }
        public string? HeadName { get; init; }
        public byte[]? HeadPhoneCipher { get; init; }
        /// <summary>The visit this caller already logged under the request's Idempotency-Key.</summary>
        public long? Replayed { get; init; }
    }

    public static async Task<Results<Created<VisitDto>, Ok<VisitDto>, NotFound, ValidationProblem, ProblemHttpResult>> LogVisit(
        VisitRequest body,
        [FromHeader(Name = IdempotencyKeys.Header), Required(ErrorMessage = IdempotencyKeys.Message),
            StringLength(IdempotencyKeys.MaxLength, MinimumLength = 1, ErrorMessage = IdempotencyKeys.Message)] string? idempotencyKey,
        Caller caller, RequestConnection db, TicketReporting reporting, FieldProtector protector, TimeProvider clock, CancellationToken ct)
    {
        if (IdempotencyKeys.Missing(idempotencyKey) is { } missing)
            return TypedResults.ValidationProblem(missing);
        var now = clock.GetUtcNow();
        var visitedAt = body.VisitedAt ?? now;
        if (visitedAt > now.AddMinutes(5) || visitedAt < now.AddDays(-31))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["visitedAt"] = ["Within the last 31 days, not in the future."] });
        var issues = body.Issues ?? [];
        if (issues.Select((issue, i) => (issue, i)).Where(x => x.issue is null).Select(x => x.i).ToList() is { Count: > 0 } nulls)
            return TypedResults.ValidationProblem(nulls.ToDictionary(i => $"issues[{i}]", _ => new[] { "An issue, not null." }));
        var photoIds = body.PhotoIds?.Distinct().ToList() ?? [];

        var connection = await db.OpenAsync(ct);
        var place = await connection.QuerySingleOrDefaultAsync<PlaceRow>(new CommandDefinition(body.HouseholdId is not null
            ? $$"""
              SELECT h.id AS HouseId, h.code AS HouseCode, h.community_id AS CommunityId, h.grid_id AS GridId,
                     CAST({{Scope.ManagesHouse}} AS SIGNED) AS Manages,
                     EXISTS (SELECT 1 FROM contact_assignments a WHERE a.household_id = hh.id AND a.user_id = @me AND a.ended_at IS NULL) AS Assigned,
                     m.name AS HeadName, m.phone_cipher AS HeadPhoneCipher, {{ReplayedSql}} AS Replayed
              FROM households hh JOIN houses h ON h.id = hh.house_id
              LEFT JOIN household_members m ON m.household_id = hh.id AND m.relation = 'head'
              WHERE hh.id = @householdId
              """
            : $$"""
              SELECT h.id AS HouseId, h.code AS HouseCode, h.community_id AS CommunityId, h.grid_id AS GridId,
                     CAST({{Scope.ManagesHouse}} AS SIGNED) AS Manages, 0 AS Assigned, {{ReplayedSql}} AS Replayed
              FROM houses h WHERE h.id = @houseId
              """, caller.With(new { householdId = body.HouseholdId, houseId = body.HouseId, idempotencyKey }), cancellationToken: ct));
        if (place is null || (place.Manages == 0 && place.Assigned == 0))
            return TypedResults.NotFound();
        if (issues.Count > 0 && place.Manages == 0)
            return HousesApi.Forbidden("Only grid workers and community staff of this place turn a visit's issues into patrol tickets.");

        var categoryIds = issues.Select(i => i.CategoryId!.Value).Distinct().ToList();
        var active = categoryIds.Count == 0 ? [] : (await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT id FROM ticket_categories WHERE id IN @categoryIds AND is_active = 1", new { categoryIds }, cancellationToken: ct))).ToHashSet();
        var unknown = issues.Select((issue, i) => (issue, i)).Where(x => !active.Contains(x.issue.CategoryId!.Value)).ToList();
        if (unknown.Count > 0)
            return TypedResults.ValidationProblem(unknown.ToDictionary(x => $"issues[{x.i}].categoryId", _ => new[] { "Unknown category." }));

        // A retry of a visit already logged under this key goes straight to its issues; otherwise the visit is written.
        var (visitId, replayed) = (place.Replayed ?? 0, place.Replayed is not null);
        if (!replayed)
        {
            if (await WriteAsync(connection, caller, body, place, idempotencyKey!, visitedAt, now, photoIds, ct) is not { } written)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["photoIds"] = ["Each photo must be your own upload, not yet attached to a ticket or visit."],
                });
            }
            (visitId, replayed) = written;
        }
        var unfiled = await FileIssuesAsync(connection, caller, reporting, protector, place, body.Location, issues, visitId, ct);
        var dto = (await ReadAsync(connection, caller, "v.id = @visitId", new { visitId }, 1, ct)).Single() with { Unfiled = unfiled };
        return replayed ? TypedResults.Ok(dto) : TypedResults.Created($"/api/v1/visits/{visitId}", dto);
    }

    /// <summary>
    /// The visit, its key and its photos in one transaction: the new visit's id, or the visit of a request with the same
    /// key that got there first (replayed); null when a photo is not the caller's to attach (nothing is written).
    /// </summary>
    private static async Task<(long VisitId, bool Replayed)?> WriteAsync(DbConnection connection, Caller caller, VisitRequest body, PlaceRow place,
        string idempotencyKey, DateTimeOffset visitedAt, DateTimeOffset now, List<long> photoIds, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var visitId = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO visits (household_id, house_id, community_id, grid_id, visitor_id, kind, note, latitude, longitude, visited_at, created_at)
            VALUES (@HouseholdId, @HouseId, @CommunityId, @GridId, @me, @kind, @note, @latitude, @longitude, @visitedAt, @now);
            SELECT LAST_INSERT_ID();
            """, new
        {
            body.HouseholdId, place.HouseId, place.CommunityId, place.GridId, me = caller.UserId,
            kind = DbEnum.Name(body.Kind!.Value), note = body.Note.Trim(),
            latitude = body.Location is { } l1 ? (decimal?)Math.Round((decimal)l1.Latitude, 6) : null,
            longitude = body.Location is { } l2 ? (decimal?)Math.Round((decimal)l2.Longitude, 6) : null,
            visitedAt = visitedAt.UtcDateTime, now = now.UtcDateTime,
        }, transaction, cancellationToken: ct));
        // Then its key, before the photos: a request with the same key running at the same time waits here for the
        // other's transaction, finds the key taken once that commits (nothing inserted), and answers that visit.
        if (await connection.ExecuteAsync(new CommandDefinition("""
                INSERT IGNORE INTO visit_idempotency (user_id, idempotency_key, visit_id, created_at)
                VALUES (@me, @idempotencyKey, @visitId, @now)
                """, new { me = caller.UserId, idempotencyKey, visitId, now = now.UtcDateTime }, transaction, cancellationToken: ct)) == 0)
        {
            await transaction.RollbackAsync(ct);
            return (await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                $"SELECT {ReplayedSql}", new { me = caller.UserId, idempotencyKey }, cancellationToken: ct)), true);
        }
        if (photoIds.Count > 0 && await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE uploads SET visit_id = @visitId, attached_at = @now
                WHERE id IN @photoIds AND uploader_id = @me AND ticket_id IS NULL AND visit_id IS NULL
                """, new { visitId, photoIds, me = caller.UserId, now = now.UtcDateTime }, transaction, cancellationToken: ct)) != photoIds.Count)
        {
            await transaction.RollbackAsync(ct);
            return null;
        }
        await transaction.CommitAsync(ct);
        return (visitId, false);
    }

    /// <summary>
    /// Each issue through the reporting path every ticket takes (content check, number, timeline), linked to the visit;
    /// the issues that could not be filed, with why. The key ties a ticket to its visit and position, so the same issue
    /// is never filed twice: a retry files only what the first request did not get to (it may have ended between the
    /// visit and its tickets) and finds the rest filed.
    /// </summary>
    private static async Task<List<UnfiledIssueDto>> FileIssuesAsync(DbConnection connection, Caller caller, TicketReporting reporting,
        FieldProtector protector, PlaceRow place, VisitLocation? location, IReadOnlyList<VisitIssueRequest> issues, long visitId, CancellationToken ct)
    {
        var unfiled = new List<UnfiledIssueDto>();
        var scope = new CallerScope(caller);
        var headPhone = place.HeadPhoneCipher is null ? null : protector.Decrypt(place.HeadPhoneCipher);
        var onBehalfName = place.HeadName is { Length: > 50 } name ? name[..50] : place.HeadName;
        for (var i = 0; i < issues.Count; i++)
        {
            var outcome = await reporting.CreateCheckedAsync(connection, scope, $"visit-{visitId}-{i}", new CreateTicketRequest(
                issues[i].CategoryId, issues[i].Description, HouseCode: place.HouseCode,
                Location: location is { } l ? new LocationDto(l.Latitude, l.Longitude) : null,
                Channel: "patrol", OnBehalfName: onBehalfName, OnBehalfPhone: headPhone), ct);
            var ticketId = outcome switch
            {
                TicketOutcome.Done done => done.TicketId,
                TicketOutcome.Replayed replayed => replayed.TicketId,
                _ => (long?)null,
            };
            if (ticketId is not null)
            {
                // IGNORE: a retry, or the first request still at work, may have linked this position already.
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT IGNORE INTO visit_tickets (visit_id, position, ticket_id) VALUES (@visitId, @i, @ticketId)",
                    new { visitId, i, ticketId }, cancellationToken: ct));
            }
            else
            {
                unfiled.Add(new UnfiledIssueDto(i, outcome switch
                {
                    TicketOutcome.Refused(var reason) => reason,
                    TicketOutcome.Forbidden(var reason) => reason,
                    TicketOutcome.Invalid(var errors) => string.Join(" ", errors.SelectMany(e => e.Value)),
                    _ => "The issue could not be filed.",
                }));
            }
        }
        return unfiled;
    }

    /// <summary>The visit the caller logged under <c>@idempotencyKey</c> (visit_idempotency's primary key); NULL when none.</summary>
    private const string ReplayedSql = "(SELECT visit_id FROM visit_idempotency WHERE user_id = @me AND idempotency_key = @idempotencyKey)";

    public static async Task<Ok<VisitPageDto>> ListVisits(
        long? householdId, long? houseId, long? gridId, long? visitorId, DateOnly? from, DateOnly? to, long? before,
        [Range(1, MaxPageSize)] int? limit, Caller caller, RequestConnection db, CancellationToken ct)
    {
        var take = limit ?? 20;
        var filters = new List<string>();
        if (householdId is not null)
            filters.Add("v.household_id = @householdId");
        if (houseId is not null)
            filters.Add("v.house_id = @houseId");
        if (gridId is not null)
            filters.Add("v.grid_id = @gridId");
        if (visitorId is not null)
            filters.Add("v.visitor_id = @visitorId");
        if (from is not null)
            filters.Add("v.visited_at >= @start");
        if (to is not null)
            filters.Add("v.visited_at < @end");
        if (before is not null)
            filters.Add("v.id < @before");
        var connection = await db.OpenAsync(ct);
        var items = await ReadAsync(connection, caller, filters.Count == 0 ? "1 = 1" : string.Join(" AND ", filters), new
        {
            householdId, houseId, gridId, visitorId, before,
            start = from is { } f ? ChinaStandardTime.UtcRange(f, f).StartUtc : (DateTime?)null,
            end = to is { } t ? ChinaStandardTime.UtcRange(t, t).EndUtc : (DateTime?)null,
        }, take, ct);
        return TypedResults.Ok(new VisitPageDto(items, items.Count == take ? items[^1].Id : null));
    }

    public static async Task<Results<Ok<VisitDto>, NotFound>> GetVisit(long id, Caller caller, RequestConnection db, CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        var found = await ReadAsync(connection, caller, "v.id = @id", new { id }, 1, ct);
        return found.Count == 0 ? TypedResults.NotFound() : TypedResults.Ok(found[0]);
    }

    /// <summary>Visits the caller sees matching <paramref name="where"/> (fixed text only), newest first, with photos and tickets.</summary>
    private static async Task<IReadOnlyList<VisitDto>> ReadAsync(DbConnection connection, Caller caller, string where, object parameters,
        int take, CancellationToken ct)
    {
        var p = caller.With(parameters);
        p.Add("take", take);
        var rows = (await connection.QueryAsync<VisitRow>(new CommandDefinition($$"""
            SELECT {{VisitRow.Columns}}
            {{VisitRow.From}}
            WHERE {{where}} AND {{VisitRow.Visible}}
            ORDER BY v.id DESC
            LIMIT @take
            """, p, cancellationToken: ct))).ToList();
        if (rows.Count == 0)
            return [];
        var ids = rows.Select(r => r.Id).ToList();
        // ix_uploads_visit; visit_tickets' primary key.
        var photos = (await connection.QueryAsync<(long VisitId, long Id)>(new CommandDefinition(
            "SELECT visit_id, id FROM uploads WHERE visit_id IN @ids ORDER BY id", new { ids }, cancellationToken: ct))).ToLookup(x => x.VisitId, x => x.Id);
        var tickets = (await connection.QueryAsync<VisitTicketRow>(new CommandDefinition("""
            SELECT vt.visit_id AS VisitId, t.id AS TicketId, t.number AS Number, t.status AS Status, t.description AS Description
            FROM visit_tickets vt JOIN tickets t ON t.id = vt.ticket_id
            WHERE vt.visit_id IN @ids ORDER BY vt.visit_id, vt.position
            """, new { ids }, cancellationToken: ct))).ToLookup(t => t.VisitId);
        return rows.Select(r => r.ToDto(photos[r.Id], tickets[r.Id])).ToList();
    }
}
