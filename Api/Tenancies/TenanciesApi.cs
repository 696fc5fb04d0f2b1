using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using System.Security.Claims;
using Dapper;
using Linli.Api.Auth;
using Linli.Api.Homes;
using Linli.Api.Hosting;
using Linli.Api.Houses;
using Linli.Domain.Houses;
using Linli.Domain.People;
using Linli.Infrastructure.Audit;
using Linli.Infrastructure.Crypto;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Linli.Api.Tenancies;

/// <summary>
/// Tenants registered against houses (以房管人): by the landlord or staff, or by the tenant scanning the
/// house code (then the landlord confirms). Staff find every house a person rented (以人找房).
/// </summary>
public static class TenanciesApi
{
    public static RouteGroupBuilder MapTenancies(this IEndpointRouteBuilder app)
    {
        var houses = app.MapGroup("/api/v1/houses/{houseId:long}/tenancies").WithTags("Tenancies").RequireAuthorization(Policies.SignedIn);
        houses.MapPost("/", RegisterTenancy).WithName(nameof(RegisterTenancy))
            .WithSummary("Register a tenant")
            .WithDescription("Records a tenant of a house; the identity document and phone are stored encrypted and shown masked. The landlord and staff of the house's grid (403 otherwise); the tenancy is active at once. The same person already living there is a 409.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict);
        houses.MapGet("/", ListHouseTenancies).WithName(nameof(ListHouseTenancies))
            .WithSummary("List a house's tenants")
            .WithDescription("The house's tenancies, documents and phones masked. The landlord and staff of the house's grid (403 otherwise). Changes nothing.")
            .ProducesProblem(StatusCodes.Status403Forbidden);

        // A tenant registering themselves from a scanned code: rate limited like the card itself.
        app.MapPost("/api/v1/h/{code}/tenancies", RegisterSelf).WithName(nameof(RegisterSelf))
            .WithSummary("Register myself as a tenant")
            .WithDescription("A tenant moving in registers from the scanned house code; the registration waits for the landlord to confirm it. Any signed-in user. Every well-formed request answers the same 202, whether or not this person already has an open tenancy there: the code is printed on the door, so a different answer would tell anyone whether that person lives in the house. The landlord sees and resolves duplicates.")
            .WithTags("Tenancies")
            .RequireAuthorization(Policies.SignedIn).RequireRateLimiting(RateLimits.Anonymous);

        var group = app.MapGroup("/api/v1/tenancies").WithTags("Tenancies").RequireAuthorization(Policies.SignedIn);
        group.MapPost("/{id:long}/confirm", ConfirmTenancy).WithName(nameof(ConfirmTenancy))
            .WithSummary("Confirm a tenant's registration")
            .WithDescription("The landlord or staff of the grid confirm a tenant's own registration: pending becomes active (403 for anyone else). A tenancy that is not pending is a 409.")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapPost("/{id:long}/decline", DeclineTenancy).WithName(nameof(DeclineTenancy))
            .WithSummary("Decline a tenant's registration")
            .WithDescription("The landlord or staff of the grid decline a tenant's own registration: pending becomes declined (403 for anyone else). A tenancy that is not pending is a 409.")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapPost("/{id:long}/move-out", MoveOut).WithName(nameof(MoveOut))
            .WithSummary("Record a move-out")
            .WithDescription("Ends an active tenancy on a date, not before the move-in. The landlord, staff of the grid and the tenant themself (403 otherwise). A tenancy that is not active is a 409.")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        // POST, so the number never travels in a URL (logs, proxies, history); audited and limited per user.
        group.MapPost("/lookup", LookupByDocument).WithName(nameof(LookupByDocument))
            .WithSummary("Find a person's houses (以人找房)")
            .WithDescription("Every house a person with this identity document rented, within the caller's scope, the number masked so that nothing can be recovered by trying. Grid workers, community staff, street leaders and admins, with a reason: every look-up writes an audit row (who, when, why, the number's keyed hash, never the number), and each user has a quota per hour (429 with Retry-After).")
            .RequireAuthorization(Policies.GridStaff).RequireRateLimiting(RateLimits.Lookup);
        group.MapGet("/{id:long}/document", ReadDocument).WithName(nameof(ReadDocument))
            .WithSummary("Read a tenant's full document")
            .WithDescription("The full identity number and phone of a tenancy, given a reason; each read writes an audit row in the same transaction. Staff of the house's community or grid.")
            .RequireAuthorization(Policies.GridStaff);
        group.MapGet("/document-reads", ListDocumentReads).WithName(nameof(ListDocumentReads))
            .WithSummary("List audited document reads")
            .WithDescription("The audit trail of full document reads, newest first, optionally for one tenancy; page with before. Admins only. Changes nothing.")
            .RequireAuthorization(Policies.Admin);
        return group;
    }

    private static async Task<Results<Created<TenancyDto>, NotFound, ValidationProblem, ProblemHttpResult>> RegisterTenancy(
        long houseId, RegisterTenancyRequest body, Caller caller, RequestConnection db, FieldProtector protector, TimeProvider clock, CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        var house = await HousesApi.ReadHouseAsync(connection, caller, houseId, ct);
        if (house is null)
            return TypedResults.NotFound();
        if (!house.CallerManages && house.LandlordId != caller.UserId)
            return HousesApi.Forbidden("Only the landlord and the staff of the house's grid register its tenants.");
        return await RegisterAsync(connection, protector, clock, caller, house.Id, body, body.TenantUserId, TenancyStatus.Active, ct);
    }

    /// <summary>
    /// A tenant's own registration from the code on the door. Every well-formed request gets the same 202, whether a
    /// registration was recorded or this person already has an open one here: the code is printed on the door, and a
    /// different answer would tell anyone who has a number whether that person lives in the house. The landlord sees
    /// the house's registrations and resolves what is duplicate.
    /// </summary>
    private static async Task<Results<Accepted<SelfRegistrationDto>, NotFound, ValidationProblem>> RegisterSelf(
        string code, RegisterTenancyRequest body, Caller caller, RequestConnection db, FieldProtector protector, TimeProvider clock, CancellationToken ct)
    {
        var normalised = HouseCode.Normalise(code);
        if (normalised is null)
            return TypedResults.NotFound();
        var connection = await db.OpenAsync(ct);
        var houseId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM houses WHERE code = @code", new { code = normalised }, cancellationToken: ct));
        if (houseId is null)
            return TypedResults.NotFound();
        // The tenant is the caller, whatever the body says; the landlord confirms or declines.
        var outcome = await RegisterAsync(connection, protector, clock, caller, houseId.Value, body, caller.UserId, TenancyStatus.Pending, ct);
        if (outcome.Result is ValidationProblem invalid)
            return invalid;
        return TypedResults.Accepted((string?)null, SelfRegistrationDto.SentToLandlord);
    }

    private static async Task<Results<Created<TenancyDto>, NotFound, ValidationProblem, ProblemHttpResult>> RegisterAsync(
        DbConnection connection, FieldProtector protector, TimeProvider clock, Caller caller, long houseId,
        RegisterTenancyRequest body, long? tenantUserId, TenancyStatus status, CancellationToken ct)
    {
        // RegisterTenancyRequest's annotations and Validate have run: what is left needs the database.
        var (name, type, room, moveIn) = (body.Name.Trim(), body.DocumentType!.Value, body.Room.Trim(), body.MoveInDate!.Value);
        var number = IdentityDocument.Normalise(body.DocumentNumber);
        var phone = PhoneNumber.Normalise(body.Phone);
        if (tenantUserId is { } userId && await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT id FROM users WHERE id = @userId", new { userId }, cancellationToken: ct)) is null)
            throw Invalid.Field("tenantUserId", "No such user.");

        var documentHash = protector.Hash(number);
        var typeName = DbEnum.Name(type);
        // ux_tenancies_open makes a second open tenancy impossible; this look-up (on the same key) lets us say so clearly.
        const string openSql = "SELECT status FROM tenancies WHERE open_key = CONCAT(@houseId, ':', @typeName, ':', HEX(@documentHash))";
        var open = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(openSql, new { houseId, typeName, documentHash }, cancellationToken: ct));
        if (open is not null)
            return OpenTenancyConflict(open);

        var now = clock.GetUtcNow().UtcDateTime;
        long id;
        try
        {
            id = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
                INSERT INTO tenancies (house_id, tenant_name, document_type, document_cipher, document_hash, phone_cipher, phone_hash,
                                       room, move_in_date, tenant_user_id, status, registered_by, created_at, updated_at)
                VALUES (@houseId, @name, @typeName, @documentCipher, @documentHash, @phoneCipher, @phoneHash,
                        @room, @moveIn, @tenantUserId, @status, @me, @now, @now);
                SELECT LAST_INSERT_ID();
                """, new
            {
                houseId, name, typeName, documentCipher = protector.Encrypt(number), documentHash,
                phoneCipher = protector.Encrypt(phone), phoneHash = protector.Hash(phone), room,
                moveIn = moveIn.ToDateTime(TimeOnly.MinValue), tenantUserId, status = DbEnum.Name(status), me = caller.UserId, now,
            }, cancellationToken: ct));
        }
        catch (DbException)
        {
            // Lost a race with a simultaneous registration of the same person: the unique key refused ours.
            open = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(openSql, new { houseId, typeName, documentHash }, cancellationToken: ct));
            if (open is null)
                throw;
            return OpenTenancyConflict(open);
        }
        await ResidentHomes.TenancyActiveAsync(connection, null, id, clock.GetUtcNow(), ct);
        var row = await ReadTenancyAsync(connection, caller, id, ct);
        return TypedResults.Created($"/api/v1/tenancies/{id}", row!.ToDto(protector));
    }

    private static ProblemHttpResult OpenTenancyConflict(string status) =>
        TypedResults.Problem(title: "This person already has an open tenancy in this house.",
            detail: $"The existing tenancy is {status}.", statusCode: StatusCodes.Status409Conflict,
            extensions: new Dictionary<string, object?> { ["currentStatus"] = status });

    private static async Task<Results<Ok<IReadOnlyList<TenancyDto>>, NotFound, ProblemHttpResult>> ListHouseTenancies(
        long houseId, Caller caller, RequestConnection db, FieldProtector protector, CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        var house = await HousesApi.ReadHouseAsync(connection, caller, houseId, ct);
        if (house is null)
            return TypedResults.NotFound();
        if (!house.CallerManages && house.LandlordId != caller.UserId)
            return HousesApi.Forbidden("Only the landlord and the staff of the house's grid see its tenants.");
        // Current and past, newest first, on ix_tenancies_house.
        var rows = await connection.QueryAsync<TenancyRow>(new CommandDefinition($$"""
            SELECT {{TenancyRow.Columns}}
            FROM tenancies t JOIN houses h ON h.id = t.house_id
            WHERE t.house_id = @houseId
            ORDER BY t.id DESC
            """, caller.With(new { houseId }), cancellationToken: ct));
        return TypedResults.Ok<IReadOnlyList<TenancyDto>>(rows.Select(r => r.ToDto(protector)).ToList());
    }

    private static Task<Results<Ok<TenancyDto>, NotFound, ProblemHttpResult>> ConfirmTenancy(
        long id, Caller caller, RequestConnection db, FieldProtector protector, TimeProvider clock, CancellationToken ct) =>
        DecideAsync(id, TenancyStatus.Active, caller, db, protector, clock, ct);

    private static Task<Results<Ok<TenancyDto>, NotFound, ProblemHttpResult>> DeclineTenancy(
        long id, Caller caller, RequestConnection db, FieldProtector protector, TimeProvider clock, CancellationToken ct) =>
        DecideAsync(id, TenancyStatus.Declined, caller, db, protector, clock, ct);

    /// <summary>The landlord (or staff) answers a tenant's own registration: pending → active or declined.</summary>
    private static async Task<Results<Ok<TenancyDto>, NotFound, ProblemHttpResult>> DecideAsync(
        long id, TenancyStatus decision, Caller caller, RequestConnection db, FieldProtector protector, TimeProvider clock, CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        var tenancy = await ReadTenancyAsync(connection, caller, id, ct);
        if (tenancy is null)
            return TypedResults.NotFound();
        if (!tenancy.CallerKeepsHouse)
            return HousesApi.Forbidden("Only the landlord and the staff of the house's grid confirm or decline a registration.");
        // The status guard in the WHERE makes a double click (or two landlords' phones) answer once.
        var changed = await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE tenancies SET status = @decision, decided_by = @me, decided_at = @now, updated_at = @now
            WHERE id = @id AND status = 'pending'
            """, new { id, decision = DbEnum.Name(decision), me = caller.UserId, now = clock.GetUtcNow().UtcDateTime }, cancellationToken: ct));
        if (changed == 0)
            return StateConflict("Only a pending registration can be confirmed or declined.", tenancy.Status);
        await ResidentHomes.TenancyActiveAsync(connection, null, id, clock.GetUtcNow(), ct);
        var updated = await ReadTenancyAsync(connection, caller, id, ct);
        return TypedResults.Ok(updated!.ToDto(protector));
    }

    private static async Task<Results<Ok<TenancyDto>, NotFound, ValidationProblem, ProblemHttpResult>> MoveOut(
        long id, MoveOutRequest body, Caller caller, RequestConnection db, FieldProtector protector, TimeProvider clock, CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        var tenancy = await ReadTenancyAsync(connection, caller, id, ct);
        if (tenancy is null)
            return TypedResults.NotFound();
        if (!tenancy.CallerKeepsHouse && tenancy.TenantUserId != caller.UserId)
            return HousesApi.Forbidden("Only the landlord, the staff of the house's grid and the tenant record a move-out.");
        var date = body.Date!.Value;
        if (date < DateOnly.FromDateTime(tenancy.MoveInDate))
            throw Invalid.Field("date", "Not before the move-in date.");
        var changed = await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE tenancies SET status = 'moved_out', move_out_date = @date, updated_at = @now
            WHERE id = @id AND status = 'active'
            """, new { id, date = date.ToDateTime(TimeOnly.MinValue), now = clock.GetUtcNow().UtcDateTime }, cancellationToken: ct));
        if (changed == 0)
            return StateConflict("Only an active tenancy can end with a move-out.", tenancy.Status);
        await ResidentHomes.TenancyEndedAsync(connection, null, id, ct);
        var updated = await ReadTenancyAsync(connection, caller, id, ct);
        return TypedResults.Ok(updated!.ToDto(protector));
    }

    private static ProblemHttpResult StateConflict(string title, string status) =>
        TypedResults.Problem(title: title, detail: $"The tenancy is {status}.", statusCode: StatusCodes.Status409Conflict,
            extensions: new Dictionary<string, object?> { ["currentStatus"] = status });

    /// <summary>
    /// 以人找房: every house in the caller's scope the person with this number rented. Each look-up writes an audit row
    /// (who, when, why, the number's keyed hash — never the number) in the same transaction as the read, in the log
    /// admins read at <c>/tenancies/document-reads</c>.
    /// </summary>
    private static async Task<Results<Ok<TenancyLookupDto>, ValidationProblem>> LookupByDocument(
        TenancyLookupRequest body, Caller caller, RequestConnection db, FieldProtector protector, TimeProvider clock, CancellationToken ct)
    {
        // TenancyLookupRequest's annotations and Validate have run.
        var number = IdentityDocument.Normalise(body.DocumentNumber!);
        var why = body.Reason!.Trim();
        var hash = protector.Hash(number);
        var connection = await db.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await AuditLog.WriteLookupAsync(connection, transaction, caller.UserId, AuditActions.TenancyLookup, "tenancy", hash, why, clock.GetUtcNow(), ct);
        // ix_tenancies_document finds the person's tenancies; scope keeps staff to their communities and grids.
        var rows = await connection.QueryAsync<RentedRow>(new CommandDefinition($$"""
            SELECT t.id AS TenancyId, h.id AS HouseId, h.code AS HouseCode, c.name AS CommunityName, g.name AS GridName,
                   CONCAT_WS(' ', h.street, h.building, h.unit, h.door) AS Address, t.tenant_name AS TenantName, t.room AS Room,
                   t.move_in_date AS MoveInDate, t.move_out_date AS MoveOutDate, t.status AS Status
            FROM tenancies t
            JOIN houses h ON h.id = t.house_id
            JOIN communities c ON c.id = h.community_id
            JOIN grids g ON g.id = h.grid_id
            WHERE t.document_hash = @hash AND t.status IN ('active', 'moved_out') AND {{Scope.ManagesHouse}}
            ORDER BY t.move_in_date DESC, t.id DESC
            """, caller.With(new { hash }), transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        // The number's type is not asked for: it is masked by the strictest rule (first and last character).
        return TypedResults.Ok(new TenancyLookupDto(Masking.IdentityNumber(DocumentType.Passport, number), rows.Select(r => r.ToDto()).ToList()));
    }

    private sealed class RentedRow
    {
        public long TenancyId { get; init; }
        public long HouseId { get; init; }
        public string HouseCode { get; init; } = "";
        public string CommunityName { get; init; } = "";
        public string GridName { get; init; } = "";
        public string Address { get; init; } = "";
        public string TenantName { get; init; } = "";
        public string Room { get; init; } = "";
        public DateTime MoveInDate { get; init; }
        public DateTime? MoveOutDate { get; init; }
        public string Status { get; init; } = "";

        public RentedHouseDto ToDto() => new(TenancyId, HouseId, HouseCode, CommunityName, GridName, Address, TenantName, Room,
            DateOnly.FromDateTime(MoveInDate), MoveOutDate is { } m ? DateOnly.FromDateTime(m) : null, DbEnum.Parse(Status, TenancyStatus.Declined));
    }

    /// <summary>
    /// The one way to see a full identity number and phone: staff of the house's community or grid, with a
    /// reason, and an audit row written in the same transaction (no row, no number).
    /// </summary>
    private static async Task<Results<Ok<TenancyDocumentDto>, NotFound, ValidationProblem>> ReadDocument(
        long id, [Required, StringLength(500, MinimumLength = 2)] string? reason, Caller caller, HttpContext http, RequestConnection db, FieldProtector protector, TimeProvider clock, CancellationToken ct)
    {
        // The annotations bound the reason as sent, but leave a missing query parameter to the handler (it is nullable);
        // the reason is kept trimmed, and what is left must still say something.
        var why = reason?.Trim() ?? "";
        if (why.Length < 2)
            throw Invalid.Field("reason", "Say why you need the full number (2–500 characters).");
        var connection = await db.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<TenancyRow>(new CommandDefinition($$"""
            SELECT {{TenancyRow.Columns}}
            FROM tenancies t JOIN houses h ON h.id = t.house_id
            WHERE t.id = @id AND {{Scope.ManagesHouse}}
            """, caller.With(new { id }), transaction, cancellationToken: ct));
        if (row is null)
            return TypedResults.NotFound();
        await AuditLog.WriteAsync(connection, transaction, caller.UserId, AuditActions.TenancyDocumentRead, "tenancy", id, why, clock.GetUtcNow(), ct);
        await transaction.CommitAsync(ct);

        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new TenancyDocumentDto(id, row.Type,
            row.DocumentCipher is null ? null : protector.Decrypt(row.DocumentCipher), row.PhoneCipher is null ? null : protector.Decrypt(row.PhoneCipher)));
    }

    private static async Task<Results<Ok<IReadOnlyList<AuditEntryDto>>, ValidationProblem>> ListDocumentReads(
        long? tenancyId, long? before, [Range(1, 500)] int? limit, RequestConnection db, CancellationToken ct)
    {
        var take = limit ?? 100;
        var connection = await db.OpenAsync(ct);
        var entries = await AuditLog.ReadAsync(connection, "tenancy", tenancyId, before, take, ct);
        return TypedResults.Ok<IReadOnlyList<AuditEntryDto>>(entries
            .Select(e => new AuditEntryDto(e.Id, e.ActorId, e.Action, e.SubjectType, e.SubjectId,
                e.LookupHash is null ? null : Convert.ToHexStringLower(e.LookupHash), e.Reason, HouseRow.Utc(e.At)))
            .ToList());
    }

    /// <summary>A tenancy the caller may see: its house's landlord or staff, or the tenant themself.</summary>
    private static async Task<TenancyRow?> ReadTenancyAsync(DbConnection connection, Caller caller, long id, CancellationToken ct) =>
        await connection.QuerySingleOrDefaultAsync<TenancyRow>(new CommandDefinition($$"""
            SELECT {{TenancyRow.Columns}}
            FROM tenancies t JOIN houses h ON h.id = t.house_id
            WHERE t.id = @id AND ({{Scope.ReadsHouse}} OR t.tenant_user_id = @me)
            """, caller.With(new { id }), cancellationToken: ct));
}
