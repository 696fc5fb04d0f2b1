using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using Dapper;
using Linli.Api.Auth;
using Linli.Api.Homes;
using Linli.Api.Hosting;
using Linli.Api.Houses;
using Linli.Api.Tickets;
using Linli.Domain.GridWork;
using Linli.Domain.Stats;
using Linli.Infrastructure.Audit;
using Linli.Infrastructure.Crypto;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Linli.Api.GridWork;

/// <summary>
/// Households (户) and their members: registered by a resident scanning the house code (the grid worker confirms)
/// or by staff during a visit, kept current by the resident, listed by grid and tag for the grid's staff.
/// </summary>
public static class HouseholdsApi
{
    public const int MaxPageSize = 100;

    public static RouteGroupBuilder MapHouseholds(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/h/{code}/households", RegisterHousehold).WithName(nameof(RegisterHousehold)).WithTags("Households")
            .RequireAuthorization(Policies.SignedIn).RequireRateLimiting(RateLimits.Anonymous)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Register a household in the house whose QR code was scanned")
            .WithDescription("Anyone signed in registers their own household (status pending, the caller keeps it current, the grid's "
                + "worker confirms it). Staff of the house's grid or community register one during a visit: it is confirmed at once "
                + "and has no owner. ID numbers, phones and tags are stored encrypted. 404 for an unknown code; 409 when the caller "
                + "already registered a household in this house.");

        var group = app.MapGroup("/api/v1/households").WithTags("Households").RequireAuthorization(Policies.SignedIn);
        group.MapGet("/", ListHouseholds).WithName(nameof(ListHouseholds)).RequireAuthorization(Policies.GridStaff)
            .WithSummary("List households by grid and tag")
            .WithDescription("Grid workers see their grids' households, community staff their communities', admins all: e.g. the "
                + "elderly living alone in one grid (`gridId`, `tag=elderly_alone`). Each line shows the head, the member count and "
                + "the tags, no numbers. Newest first; pass `nextBefore` as `before` for the next page.");
        group.MapGet("/{id:long}", GetHousehold).WithName(nameof(GetHousehold))
            .WithSummary("Read one household")
            .WithDescription("For the resident who registered it and the staff of its grid or community: members with masked ID "
                + "numbers and phones, and their tags. 404 for anyone else.");
        group.MapPut("/{id:long}", UpdateHousehold).WithName(nameof(UpdateHousehold))
            .WithSummary("Keep a household current")
            .WithDescription("Replaces the occupancy and the whole member list. The resident who registered it may change it (a "
                + "confirmed household then waits for the grid worker again); staff of its grid or community may change it and it "
                + "stays confirmed. 404 for anyone else.");
        group.MapPost("/{id:long}/confirm", ConfirmHousehold).WithName(nameof(ConfirmHousehold)).RequireAuthorization(Policies.GridStaff)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Confirm a household a resident registered")
            .WithDescription("Staff of the household's grid or community confirm a pending household (pending → confirmed). 409 with "
                + "`currentStatus` when it is not pending; 404 outside the caller's grids and communities.");
        group.MapGet("/{id:long}/personal-data", ReadHouseholdPersonalData).WithName(nameof(ReadHouseholdPersonalData))
            .RequireAuthorization(Policies.GridStaff)
            .WithSummary("Read the members' full ID numbers and phones (audited)")
            .WithDescription("Staff of the household's grid or community, with a `reason`: every read writes an audit row (who, when, "
                + "which household, why) in the same transaction, so there is no read without its record. Answers `Cache-Control: no-store`.");
        return group;
    }

    public static async Task<Results<Created<HouseholdDto>, NotFound, ValidationProblem, ProblemHttpResult>> RegisterHousehold(
        string code, HouseholdRequest body, Caller caller, IHouseLookup houses, RequestConnection db, FieldProtector protector,
        TimeProvider clock, CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        if (await houses.FindByCodeAsync(connection, code, ct) is not { } house)
            return TypedResults.NotFound();
        var (members, errors) = HouseholdStore.Check(body, ChinaStandardTime.DateOf(clock.GetUtcNow()));
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);

        var staff = caller.Can(Domain.Identity.Roles.CommunityStaff, house.CommunityId) || caller.Can(Domain.Identity.Roles.GridWorker, house.GridId);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // ux_households_owner: one household per resident and house; staff-registered households have no owner.
        var inserted = await connection.ExecuteAsync(new CommandDefinition("""
            INSERT IGNORE INTO households (house_id, occupancy, status, owner_user_id, registered_by, confirmed_by, confirmed_at, created_at, updated_at)
            VALUES (@houseId, @occupancy, @status, @owner, @me, @confirmedBy, @confirmedAt, @now, @now)
            """, new
        {
            houseId = house.HouseId, occupancy = DbEnum.Name(body.Occupancy!.Value),
            status = DbEnum.Name(staff ? HouseholdStatus.Confirmed : HouseholdStatus.Pending),
            owner = staff ? (long?)null : caller.UserId, me = caller.UserId,
            confirmedBy = staff ? (long?)caller.UserId : null, confirmedAt = staff ? (DateTime?)now : null, now,
        }, transaction, cancellationToken: ct));
        if (inserted == 0)
        {
            await transaction.RollbackAsync(ct);
            var existing = await connection.QuerySingleAsync<(long Id, string Status)>(new CommandDefinition(
                "SELECT id, status FROM households WHERE house_id = @houseId AND owner_user_id = @me",
                new { houseId = house.HouseId, me = caller.UserId }, cancellationToken: ct));
            return TypedResults.Problem(title: "You already registered a household in this house.",
                detail: $"Household {existing.Id} is {existing.Status}; keep it current with PUT /api/v1/households/{existing.Id}.",
                statusCode: StatusCodes.Status409Conflict,
                extensions: new Dictionary<string, object?> { ["householdId"] = existing.Id, ["currentStatus"] = existing.Status });
        }
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT LAST_INSERT_ID()", transaction: transaction, cancellationToken: ct));
        await HouseholdStore.WriteMembersAsync(connection, transaction, protector, id, members, ct);
        // The resident who registers their own household lives there; staff registering one during a visit do not.
        if (!staff)
            await ResidentHomes.LivesInHouseAsync(connection, transaction, caller.UserId, house.HouseId, HomeSources.Household, clock.GetUtcNow(), ct, householdId: id);
        var row = await HouseholdStore.ReadAsync(connection, transaction, caller, id, ct);
        var stored = await HouseholdStore.MembersAsync(connection, transaction, [id], ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Created($"/api/v1/households/{id}", row!.ToDto(stored, protector));
    }

    public static async Task<Results<Ok<HouseholdDto>, NotFound>> GetHousehold(
        long id, Caller caller, RequestConnection db, FieldProtector protector, CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        var row = await HouseholdStore.ReadAsync(connection, null, caller, id, ct);
        if (row is null || !(row.CallerManages || row.OwnerUserId == caller.UserId))
            return TypedResults.NotFound();
        return TypedResults.Ok(row.ToDto(await HouseholdStore.MembersAsync(connection, null, [id], ct), protector));
    }

    public static async Task<Results<Ok<HouseholdDto>, NotFound, ValidationProblem>> UpdateHousehold(
        long id, HouseholdRequest body, Caller caller, RequestConnection db, FieldProtector protector, TimeProvider clock, CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var row = await HouseholdStore.ReadAsync(connection, transaction, caller, id, ct);
        if (row is null || !(row.CallerManages || row.OwnerUserId == caller.UserId))
            return TypedResults.NotFound();
        var (members, errors) = HouseholdStore.Check(body, ChinaStandardTime.DateOf(clock.GetUtcNow()));
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);
        // The resident's own change waits for the grid worker again; staff's stands.
        var backToPending = !row.CallerManages;
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE households SET occupancy = @occupancy, updated_at = @now, version = version + 1,
                   status = IF(@backToPending, 'pending', status),
                   confirmed_by = IF(@backToPending, NULL, confirmed_by), confirmed_at = IF(@backToPending, NULL, confirmed_at)
            WHERE id = @id
            """, new { id, occupancy = DbEnum.Name(body.Occupancy!.Value), backToPending, now = clock.GetUtcNow().UtcDateTime },
            transaction, cancellationToken: ct));
        await HouseholdStore.WriteMembersAsync(connection, transaction, protector, id, members, ct);
        var updated = await HouseholdStore.ReadAsync(connection, transaction, caller, id, ct);
        var stored = await HouseholdStore.MembersAsync(connection, transaction, [id], ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(updated!.ToDto(stored, protector));
    }

    public static async Task<Results<Ok<HouseholdDto>, NotFound, ProblemHttpResult>> ConfirmHousehold(
        long id, Caller caller, RequestConnection db, FieldProtector protector, TimeProvider clock, CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        var row = await HouseholdStore.ReadAsync(connection, null, caller, id, ct);
        if (row is null || !row.CallerManages)
            return TypedResults.NotFound();
        // The status guard makes a double tap confirm once.
        var changed = await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE households SET status = 'confirmed', confirmed_by = @me, confirmed_at = @now, updated_at = @now, version = version + 1
            WHERE id = @id AND status = 'pending'
            """, new { id, me = caller.UserId, now = clock.GetUtcNow().UtcDateTime }, cancellationToken: ct));
        if (changed == 0)
            return TypedResults.Problem(title: "Only a pending household can be confirmed.", detail: $"The household is {row.Status}.",
                statusCode: StatusCodes.Status409Conflict, extensions: new Dictionary<string, object?> { ["currentStatus"] = row.Status });
        var updated = await HouseholdStore.ReadAsync(connection, null, caller, id, ct);
        return TypedResults.Ok(updated!.ToDto(await HouseholdStore.MembersAsync(connection, null, [id], ct), protector));
    }

    public static async Task<Ok<HouseholdPageDto>> ListHouseholds(
        long? gridId, [OneOf(typeof(QueryWords), nameof(QueryWords.Tags))] string? tag,
        [OneOf(typeof(QueryWords), nameof(QueryWords.HouseholdStatuses))] string? status, long? before, [Range(1, MaxPageSize)] int? limit,
        Caller caller, RequestConnection db, FieldProtector protector, CancellationToken ct)
    {
        var take = limit ?? 50;
        var filters = new List<string> { Scope.ManagesHouse };
        if (gridId is not null)
            filters.Add("h.grid_id = @gridId");
        if (tag is not null)
            filters.Add("hh.id IN (SELECT household_id FROM household_tags WHERE tag_hash = @tagHash)");
        if (status is not null)
            filters.Add("hh.status = @status");
        if (before is not null)
            filters.Add("hh.id < @before");
        var connection = await db.OpenAsync(ct);
        // ix_houses_grid narrows to the grid, ix_household_tags_tag to the tag; only fixed fragments are joined here.
        var rows = (await connection.QueryAsync<HouseholdRow>(new CommandDefinition($$"""
            SELECT {{HouseholdRow.Columns}}
            {{HouseholdRow.From}}
            WHERE {{string.Join(" AND ", filters)}}
            ORDER BY hh.id DESC
            LIMIT @take
            """, caller.With(new
        {
            gridId, tagHash = tag is null ? null : HouseholdStore.TagHash(protector, DbEnum.Parse(tag, HouseholdTag.ElderlyAlone)), status, before, take,
        }), cancellationToken: ct))).ToList();
        var members = (await HouseholdStore.MembersAsync(connection, null, rows.Select(r => r.Id).ToList(), ct)).ToLookup(m => m.HouseholdId);
        var items = rows.Select(r =>
        {
            var own = members[r.Id].ToList();
            return new HouseholdListItemDto(r.Id, r.HouseId, r.HouseCode, r.Address, r.GridId, r.GridName,
                own.FirstOrDefault(m => m.Relation == "head")?.Name ?? "", own.Count, r.State,
                own.SelectMany(m => m.Tags(protector)).Distinct().Order().ToList());
        }).ToList();
        return TypedResults.Ok(new HouseholdPageDto(items, rows.Count == take ? rows[^1].Id : null));
    }

    public static async Task<Results<Ok<HouseholdPersonalDataDto>, NotFound>> ReadHouseholdPersonalData(
        long id, [Required, StringLength(500, MinimumLength = 2)] string reason, Caller caller, HttpContext http,
        RequestConnection db, FieldProtector protector, TimeProvider clock, CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var row = await HouseholdStore.ReadAsync(connection, transaction, caller, id, ct);
        if (row is null || !row.CallerManages)
            return TypedResults.NotFound();
        var members = await HouseholdStore.MembersAsync(connection, transaction, [id], ct);
        await AuditLog.WriteAsync(connection, transaction, caller.UserId, AuditActions.HouseholdPersonalDataRead, "household", id,
            reason.Trim(), clock.GetUtcNow(), ct);
        await transaction.CommitAsync(ct);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new HouseholdPersonalDataDto(id, members.Select(m => m.ToPersonalData(protector)).ToList()));
    }
}
