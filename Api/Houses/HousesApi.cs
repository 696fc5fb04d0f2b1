using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using System.Security.Claims;
using Dapper;
using Linli.Api.Auth;
using Linli.Api.Homes;
using Linli.Api.Hosting;
using Linli.Domain.Houses;
using Linli.Domain.People;
using Linli.Infrastructure.Crypto;
using Linli.Infrastructure.Qr;
using Linli.Infrastructure.Wechat;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Linli.Api.Houses;

/// <summary>
/// Rental houses and their codes (一房一码): staff register houses and print their codes; landlords see theirs;
/// anyone may scan a code (<see cref="HouseCardApi"/>).
/// </summary>
public static class HousesApi
{
    public static RouteGroupBuilder MapHouses(this IEndpointRouteBuilder app)
    {
        // Landlords read their houses whatever roles their token carries: scope is in every query.
        var group = app.MapGroup("/api/v1/houses").WithTags("Houses").RequireAuthorization(Policies.SignedIn);
        group.MapPost("/", CreateHouse).WithName(nameof(CreateHouse))
            .WithSummary("Register a house (一房一码)")
            .WithDescription("Registers a house in a grid and gives it a new QR identity. The landlord is an existing user (landlordId) or a phone (landlordPhone) that attaches when its owner binds it. Grid workers of the grid, community staff of its community and admins (403 otherwise).")
            .RequireAuthorization(Policies.GridStaff);
        group.MapGet("/", ListHouses).WithName(nameof(ListHouses))
            .WithSummary("List houses")
            .WithDescription("The houses the caller may see, oldest first, a page at a time, filtered by community, grid, landlord or a text (a house code or part of the address). Staff see their scope, landlords their own houses. Changes nothing.");
        group.MapGet("/{id:long}", GetHouse).WithName(nameof(GetHouse))
            .WithSummary("Read a house")
            .WithDescription("One house with its landlord (phone masked). Its landlord and staff whose scope holds it; for anyone else it does not exist (404).");
        group.MapPut("/{id:long}", UpdateHouse).WithName(nameof(UpdateHouse))
            .WithSummary("Change a house")
            .WithDescription("Replaces a house's grid, address, rooms and use, and its landlord when landlordId or landlordPhone is given. Staff managing its grid, and the grid it moves to (403 otherwise).")
            .RequireAuthorization(Policies.GridStaff);
        group.MapGet("/landlord-offers", ListLandlordOffers).WithName(nameof(ListLandlordOffers))
            .WithSummary("Houses offered to me as their landlord")
            .WithDescription("The houses staff named the caller landlord of, waiting for the caller to accept. Any signed-in user, for themselves; changes nothing.");
        group.MapPost("/{id:long}/landlord/accept", AcceptLandlord).WithName(nameof(AcceptLandlord))
            .WithSummary("Accept being a house's landlord")
            .WithDescription("The caller becomes the landlord of a house staff offered them, and gets the landlord role. 404 when the house was not offered to the caller (or the offer was withdrawn or already accepted).");
        group.MapGet("/{id:long}/qrcode.png", GetHouseQrCode).WithName(nameof(GetHouseQrCode))
            .WithSummary("A house's QR code")
            .WithDescription("The house's QR code as a PNG: a WeChat mini-program code when WeChat is Live, a standard QR code of https://{Qr:Host}/h/{code} otherwise. Its landlord and staff whose scope holds it. WeChat being unavailable is a 502 or 503.")
            .WithMetadata(new FileDownload("The QR code image.", "image/png"));

        app.MapGet("/api/v1/grids/{id:long}/qrcodes.pdf", GetGridQrSheet).WithName(nameof(GetGridQrSheet))
            .WithSummary("Printable QR codes of a grid")
            .WithDescription("A PDF with the QR code of every house in the grid, to print and stick on doors. Grid workers of the grid, community staff and admins. Without a PDF licence choice (Qr:PdfLicense) or when WeChat is unavailable it is a 503.")
            .WithTags("Houses").RequireAuthorization(Policies.GridStaff)
            .WithMetadata(new FileDownload("The printable PDF.", "application/pdf"));

        app.MapHouseCard();
        return group;
    }

    private static async Task<Results<Created<HouseDto>, ValidationProblem, ProblemHttpResult>> CreateHouse(
        CreateHouseRequest body, Caller caller, RequestConnection db, FieldProtector protector, TimeProvider clock, CancellationToken ct)
    {
        // CreateHouseRequest's annotations and Validate have run: what is left needs the database.
        var (communityId, gridId, rooms, use) = (body.CommunityId!.Value, body.GridId!.Value, body.Rooms!.Value, body.Use!.Value);
        var address = AddressOf(body.Street, body.Building, body.Unit, body.Door);
        var connection = await db.OpenAsync(ct);
        var grid = await FindGridAsync(connection, caller, gridId, ct);
        if (grid is null || grid.CommunityId != communityId || grid.IsActive == 0)
            throw Invalid.Field("gridId", "No such grid in use in this community.");
        if (grid.Manages == 0)
            return Forbidden("Only the community's staff and the grid's workers register houses here.");

        var now = clock.GetUtcNow();
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var landlord = await ResolveLandlordAsync(connection, transaction, protector, body.LandlordId, body.LandlordPhone, ct);
        var code = await UnusedCodeAsync(connection, transaction, ct);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO houses (code, community_id, grid_id, street, building, unit, door, landlord_id, offered_landlord_id,
                                pending_landlord_phone_cipher, pending_landlord_phone_hash, rooms, house_use, created_by, created_at, updated_at)
            VALUES (@code, @communityId, @gridId, @Street, @Building, @Unit, @Door, @LandlordId, @OfferedTo,
                    @PendingCipher, @PendingHash, @rooms, @use, @me, @now, @now);
            SELECT LAST_INSERT_ID();
            """, new
        {
            code, communityId, gridId, address.Street, address.Building, address.Unit, address.Door,
            landlord.LandlordId, landlord.OfferedTo, landlord.PendingCipher, landlord.PendingHash,
            rooms, use = DbEnum.Name(use), me = caller.UserId, now = now.UtcDateTime,
        }, transaction, cancellationToken: ct));
        if (landlord.LandlordId is { } landlordId)
            await PendingLandlords.GrantLandlordAsync(connection, transaction, landlordId, caller.UserId, now, ct);
        await ResidentHomes.HouseChangedAsync(connection, transaction, id, ownerNews: true, now, ct);
        await transaction.CommitAsync(ct);

        var house = await ReadHouseAsync(connection, caller, id, ct);
        return TypedResults.Created($"/api/v1/houses/{id}", house!.ToDto(protector));
    }

    private static async Task<Results<Ok<HousePage>, ValidationProblem>> ListHouses(
        long? communityId, long? gridId, long? landlordId, [StringLength(100)] string? q,
        [RegularExpression(Cursors.Pattern, ErrorMessage = Cursors.Message)] string? cursor, [Range(1, 200)] int? limit,
        Caller caller, RequestConnection db, FieldProtector protector, PendingLandlords pending, CancellationToken ct)
    {
        var take = limit ?? 50;
        // The pattern allows at most 18 digits, always a long; an empty cursor (which a pattern lets through) is the first page.
        var after = string.IsNullOrEmpty(cursor) ? 0 : long.Parse(cursor, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture);
        await pending.AttachForUserAsync(caller.UserId, ct);

        var query = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        var connection = await db.OpenAsync(ct);
        // Keyset pagination on the primary key; a community or grid filter walks ix_houses_community / ix_houses_grid.
        var rows = (await connection.QueryAsync<HouseRow>(new CommandDefinition($$"""
            SELECT {{HouseRow.Columns}}
            {{HouseRow.From}}
            WHERE {{Scope.ReadsHouse}}
              AND (@communityId IS NULL OR h.community_id = @communityId)
              AND (@gridId IS NULL OR h.grid_id = @gridId)
              AND (@landlordId IS NULL OR h.landlord_id = @landlordId)
              AND (@query IS NULL OR h.code = @code OR CONCAT_WS(' ', h.street, h.building, h.unit, h.door) LIKE @like)
              AND h.id > @after
            ORDER BY h.id
            LIMIT @take
            """, caller.With(new
        {
            communityId, gridId, landlordId, query,
            code = HouseCode.Normalise(query) ?? "", like = query is null ? null : "%" + EscapeLike(query) + "%",
            after, take = take + 1,
        }), cancellationToken: ct))).ToList();

        var more = rows.Count > take;
        var page = rows.Take(take).Select(r => r.ToDto(protector)).ToList();
        return TypedResults.Ok(new HousePage(page, more ? page[^1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture) : null));
    }

    private static async Task<Results<Ok<HouseDto>, NotFound>> GetHouse(
        long id, Caller caller, RequestConnection db, FieldProtector protector, PendingLandlords pending, CancellationToken ct)
    {
        await pending.AttachForUserAsync(caller.UserId, ct);
        var connection = await db.OpenAsync(ct);
        var house = await ReadHouseAsync(connection, caller, id, ct);
        return house is null ? TypedResults.NotFound() : TypedResults.Ok(house.ToDto(protector));
    }

    private static async Task<Results<Ok<HouseDto>, NotFound, ValidationProblem, ProblemHttpResult>> UpdateHouse(
        long id, UpdateHouseRequest body, Caller caller, RequestConnection db, FieldProtector protector, TimeProvider clock, CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        var house = await ReadHouseAsync(connection, caller, id, ct);
        if (house is null)
            return TypedResults.NotFound();
        if (!house.CallerManages)
            return Forbidden("Only the community's staff and the grid's workers change a house.");

        var (gridId, rooms, use) = (body.GridId!.Value, body.Rooms!.Value, body.Use!.Value);
        var address = AddressOf(body.Street, body.Building, body.Unit, body.Door);
        if (gridId != house.GridId)
        {
            var grid = await FindGridAsync(connection, caller, gridId, ct);
            if (grid is null || grid.CommunityId != house.CommunityId || grid.IsActive == 0)
                throw Invalid.Field("gridId", "No such grid in use in the house's community.");
            if (grid.Manages == 0)
                return Forbidden("You can move a house only into a grid you manage.");
        }

        var now = clock.GetUtcNow();
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var changesLandlord = body.LandlordId is not null || !string.IsNullOrWhiteSpace(body.LandlordPhone);
        var landlord = changesLandlord
            ? await ResolveLandlordAsync(connection, transaction, protector, body.LandlordId, body.LandlordPhone, ct)
            : default;

        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE houses
            SET grid_id = @gridId, street = @Street, building = @Building, unit = @Unit, door = @Door,
                rooms = @rooms, house_use = @use, updated_at = @now,
                landlord_id = IF(@byPhone, @LandlordId, landlord_id),
                pending_landlord_phone_cipher = IF(@byPhone, @PendingCipher, pending_landlord_phone_cipher),
                pending_landlord_phone_hash = IF(@byPhone, @PendingHash, pending_landlord_phone_hash),
                offered_landlord_id = IF(@changesLandlord, @OfferedTo, offered_landlord_id)
            WHERE id = @id
            """, new
        {
            id, gridId, address.Street, address.Building, address.Unit, address.Door, rooms, use = DbEnum.Name(use),
            now = now.UtcDateTime, changesLandlord, byPhone = changesLandlord && landlord.OfferedTo is null,
            landlord.LandlordId, landlord.OfferedTo, landlord.PendingCipher, landlord.PendingHash,
        }, transaction, cancellationToken: ct));
        if (landlord.LandlordId is { } landlordId)
            await PendingLandlords.GrantLandlordAsync(connection, transaction, landlordId, caller.UserId, now, ct);
        await ResidentHomes.HouseChangedAsync(connection, transaction, id, ownerNews: changesLandlord || use != house.Use, now, ct);
        await transaction.CommitAsync(ct);

        var updated = await ReadHouseAsync(connection, caller, id, ct);
        return TypedResults.Ok(updated!.ToDto(protector));
    }

    /// <summary>The houses staff named the caller landlord of, waiting for the caller to accept.</summary>
    private static async Task<Ok<IReadOnlyList<HouseDto>>> ListLandlordOffers(
        Caller caller, RequestConnection db, FieldProtector protector, CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        // ix_houses_offered_landlord
        var rows = await connection.QueryAsync<HouseRow>(new CommandDefinition($$"""
            SELECT {{HouseRow.Columns}}
            {{HouseRow.From}}
            WHERE h.offered_landlord_id = @me
            ORDER BY h.id
            """, caller.With(), cancellationToken: ct));
        return TypedResults.Ok<IReadOnlyList<HouseDto>>(rows.Select(r => r.ToDto(protector)).ToList());
    }

    /// <summary>
    /// The caller accepts the house staff offered them: they become its landlord, with the landlord role. 404 when the
    /// house was not offered to the caller (or the offer was withdrawn or already accepted).
    /// </summary>
    private static async Task<Results<Ok<HouseDto>, NotFound>> AcceptLandlord(
        long id, Caller caller, RequestConnection db, FieldProtector protector, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var connection = await db.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var accepted = await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE houses
            SET landlord_id = @me, offered_landlord_id = NULL,
                pending_landlord_phone_cipher = NULL, pending_landlord_phone_hash = NULL, updated_at = @now
            WHERE id = @id AND offered_landlord_id = @me
            """, new { id, me = caller.UserId, now = now.UtcDateTime }, transaction, cancellationToken: ct));
        if (accepted == 0)
            return TypedResults.NotFound();
        await PendingLandlords.GrantLandlordAsync(connection, transaction, caller.UserId, caller.UserId, now, ct);
        await ResidentHomes.HouseChangedAsync(connection, transaction, id, ownerNews: true, now, ct);
        await transaction.CommitAsync(ct);
        var house = await ReadHouseAsync(connection, caller, id, ct);
        return TypedResults.Ok(house!.ToDto(protector));
    }

    private static async Task<Results<FileContentHttpResult, NotFound, ProblemHttpResult>> GetHouseQrCode(
        long id, Caller caller, RequestConnection db, HouseQrImages images, CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        var house = await ReadHouseAsync(connection, caller, id, ct);
        if (house is null)
            return TypedResults.NotFound();
        try
        {
            var image = await images.PngAsync(house.Id, house.Code, ct);
            return TypedResults.File(image, HouseQrImages.ContentType(image));
        }
        catch (WechatException e)
        {
            return WechatProblem(e);
        }
    }

    private static async Task<Results<FileContentHttpResult, NotFound, ProblemHttpResult>> GetGridQrSheet(
        long id, Caller caller, RequestConnection db, HouseQrImages images, CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        var grid = await FindGridAsync(connection, caller, id, ct);
        if (grid is null)
            return TypedResults.NotFound();
        if (grid.Manages == 0)
            return Forbidden("Only the community's staff and the grid's workers print its codes.");

        // Sorted as a grid worker walks the grid: street, building, unit, door.
        var houses = (await connection.QueryAsync<HouseRow>(new CommandDefinition($$"""
            SELECT {{HouseRow.Columns}}
            {{HouseRow.From}}
            WHERE h.grid_id = @id
            ORDER BY h.street, h.building, h.unit, h.door, h.id
            """, caller.With(new { id }), cancellationToken: ct))).ToList();

        var entries = new List<HouseSheetEntry>(houses.Count);
        try
        {
            foreach (var h in houses)
            {
                entries.Add(images.UsesWechat
                    ? new HouseSheetEntry(h.Code, h.FullAddress, null, await images.PngAsync(h.Id, h.Code, ct))
                    : new HouseSheetEntry(h.Code, h.FullAddress, images.Options.LinkFor(h.Code), null));
            }
        }
        catch (WechatException e)
        {
            return WechatProblem(e);
        }

        try
        {
            var pdf = HouseSheetPdf.Render($"{grid.CommunityName} {grid.Name}", entries, images.Options);
            return TypedResults.File(pdf, "application/pdf", $"grid-{id}-qrcodes.pdf");
        }
        catch (FileNotFoundException e)
        {
            return TypedResults.Problem(title: "Printable sheets are not configured.", detail: e.Message,
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    internal static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(title: "Not in your scope.", detail: detail, statusCode: StatusCodes.Status403Forbidden);

    private static ProblemHttpResult WechatProblem(WechatException e) =>
        e.IsUnavailable
            ? TypedResults.Problem(title: "WeChat did not answer.", detail: "Try again in a minute.", statusCode: StatusCodes.Status503ServiceUnavailable)
            : TypedResults.Problem(title: "WeChat refused the mini-program code.", detail: $"WeChat errcode {e.ErrCode}.",
                statusCode: StatusCodes.Status502BadGateway);

    internal static async Task<HouseRow?> ReadHouseAsync(DbConnection connection, Caller caller, long id, CancellationToken ct) =>
        await connection.QuerySingleOrDefaultAsync<HouseRow>(new CommandDefinition($$"""
            SELECT {{HouseRow.Columns}}
            {{HouseRow.From}}
            WHERE h.id = @id AND {{Scope.ReadsHouse}}
            """, caller.With(new { id }), cancellationToken: ct));

    private sealed class GridRow
    {
        public long Id { get; init; }
        public long CommunityId { get; init; }
        public string Name { get; init; } = "";
        public string CommunityName { get; init; } = "";
        public long Manages { get; init; }
        public long IsActive { get; init; }
    }

    private static async Task<GridRow?> FindGridAsync(DbConnection connection, Caller caller, long gridId, CancellationToken ct) =>
        await connection.QuerySingleOrDefaultAsync<GridRow>(new CommandDefinition($$"""
            SELECT g.id AS Id, g.community_id AS CommunityId, g.name AS Name, c.name AS CommunityName,
                   CAST({{Scope.ManagesGrid}} AS SIGNED) AS Manages, CAST(g.is_active AS SIGNED) AS IsActive
            FROM grids g JOIN communities c ON c.id = g.community_id
            WHERE g.id = @gridId
            """, caller.With(new { gridId }), cancellationToken: ct));

    private sealed record Address(string Street, string Building, string? Unit, string Door);

    /// <summary>The address as stored: trimmed, an empty unit none (the request's annotations bound each part).</summary>
    private static Address AddressOf(string street, string building, string? unit, string door) =>
        new(street.Trim(), building.Trim(), string.IsNullOrWhiteSpace(unit) ? null : unit.Trim(), door.Trim());

    /// <summary>The landlord a request names: attached at once (<see cref="LandlordId"/>, by their own bound phone), waiting for
    /// that phone (<see cref="PendingHash"/>), or offered to a user by id until they accept (<see cref="OfferedTo"/>).</summary>
    private readonly record struct Landlord(long? LandlordId, byte[]? PendingCipher, byte[]? PendingHash, long? OfferedTo = null);

    /// <summary>
    /// A phone: the user who bound that phone if there is one, otherwise the phone is kept (encrypted, hashed) until
    /// its owner signs in and binds it. An existing user by id is only offered the house: staff naming someone must not
    /// by itself give them the landlord role and the tenants' data (<see cref="AcceptLandlord"/>).
    /// </summary>
    private static async Task<Landlord> ResolveLandlordAsync(DbConnection connection, DbTransaction transaction, FieldProtector protector,
        long? landlordId, string? landlordPhone, CancellationToken ct)
    {
        if (landlordId is { } id)
        {
            var exists = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT id FROM users WHERE id = @id", new { id }, transaction, cancellationToken: ct));
            return exists is null ? throw Invalid.Field("landlordId", "No such user.") : new Landlord(null, null, null, OfferedTo: id);
        }
        // [PhonePattern] let through only numbers PhoneNumber.Problem accepts.
        var phone = PhoneNumber.Normalise(landlordPhone!);
        var hash = protector.Hash(phone);
        var userId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM users WHERE phone_hash = @hash ORDER BY id LIMIT 1", new { hash }, transaction, cancellationToken: ct));
        return userId is not null ? new Landlord(userId, null, null) : new Landlord(null, protector.Encrypt(phone), hash);
    }

    /// <summary>A fresh random code; a collision (about one in 10^11 per house at Chuanfang's size) just draws again.</summary>
    private static async Task<string> UnusedCodeAsync(DbConnection connection, DbTransaction transaction, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var code = HouseCode.New();
            var taken = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT id FROM houses WHERE code = @code", new { code }, transaction, cancellationToken: ct));
            if (taken is null)
                return code;
        }
        throw new InvalidOperationException("Five random house codes in a row were taken: the generator is broken.");
    }

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
