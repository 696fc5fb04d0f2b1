using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using Dapper;
using Linli.Api.Auth;
using Linli.Api.Hosting;
using Linli.Api.Houses;
using Linli.Api.Tickets;
using Linli.Domain.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Linli.Api.Homes;

/// <summary>
/// My community (issue 15): a resident says where they live, so the community can reach them with notices.
/// Staff see how many residents each grid has, never who they are.
/// </summary>
public static class HomesApi
{
    public static RouteGroupBuilder MapHomes(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1").WithTags("Homes").RequireAuthorization(Policies.SignedIn);
        group.MapGet("/me/home", GetMyHome).WithName(nameof(GetMyHome))
            .WithSummary("Where I live")
            .WithDescription("The caller's community, grid and (when known) house, and what set it. Any signed-in user, their own "
                + "only; 404 when nothing says where they live yet. Changes nothing.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/me/home", SetMyHome).WithName(nameof(SetMyHome))
            .WithSummary("Say where I live: a community and grid")
            .WithDescription("Any signed-in user, for themselves, choosing the community and one of its grids in the mini-program. "
                + "Replaces the caller's home; scanning the house's code (PUT /api/v1/me/home/house), an active tenancy, a house they "
                + "own and live in (own_use) or a household they register set it too, the latest wins. Notices to that community "
                + "or grid reach the caller from then on. An unknown grid, or a grid of another community, is a 400 naming `gridId`.");
        group.MapPut("/me/home/house", SetMyHomeHouse).WithName(nameof(SetMyHomeHouse))
            .WithSummary("Say where I live: the house whose code I scanned")
            .WithDescription("Any signed-in user, for themselves, with the code on the house's QR plate (any case): the house's "
                + "community, grid and building become the caller's home, replacing any other. Notices to that community, grid or "
                + "building reach the caller from then on. An unknown code is a 400 naming `houseCode`.");
        group.MapGet("/communities/{communityId:long}/resident-counts", CountResidents).WithName(nameof(CountResidents))
            .RequireAuthorization(Policies.CommunityStaff)
            .WithSummary("Residents per grid")
            .WithDescription("Community staff of the community, street leaders of its street office and admins: how many residents "
                + "live in each grid of the community, by what they or their tenancy, house or household said. Counts only; who "
                + "lives where is never listed here. 404 for a community outside the caller's. Changes nothing.");
        return group;
    }

    /// <summary>Body of <c>PUT /api/v1/me/home</c>: a community and one of its grids.</summary>
    public sealed record SetHomeRequest(
        [Required, Range(1, long.MaxValue)] long? CommunityId,
        [Required, Range(1, long.MaxValue)] long? GridId);

    /// <summary>Body of <c>PUT /api/v1/me/home/house</c>: the code printed under the house's QR code (any case).</summary>
    public sealed record SetHouseHomeRequest(
        [Required, StringLength(Domain.Houses.HouseCode.MaxLength, MinimumLength = Domain.Houses.HouseCode.MinLength)] string HouseCode);

    /// <summary>Where the caller lives; <c>source</c> says what set it: declared, house_code, tenancy, owner or household.</summary>
    public sealed record HomeDto(
        long CommunityId, string CommunityName, long GridId, string GridName, string? HouseCode, string? Street, string? Building,
        [property: OneOf(typeof(HomeSources), nameof(HomeSources.All))] string Source, DateTimeOffset UpdatedAt);

    public sealed record GridResidentsDto(long GridId, string GridName, int Residents);

    public sealed record ResidentCountsDto(long CommunityId, int Residents, IReadOnlyList<GridResidentsDto> Grids);

    public static async Task<Results<Ok<HomeDto>, NotFound>> GetMyHome(Caller caller, RequestConnection db, CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        return await FindAsync(connection, caller.UserId, ct) is { } home ? TypedResults.Ok(home) : TypedResults.NotFound();
    }

    public static async Task<Ok<HomeDto>> SetMyHome(SetHomeRequest request, Caller caller, RequestConnection db, TimeProvider clock, CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        // Primary keys of grids and communities; a retired grid or community takes no new residents.
        var gridCommunity = await connection.ExecuteScalarAsync<long?>(new CommandDefinition("""
            SELECT g.community_id FROM grids g JOIN communities c ON c.id = g.community_id
            WHERE g.id = @GridId AND g.is_active = 1 AND c.is_active = 1
            """, new { request.GridId }, cancellationToken: ct));
        if (gridCommunity is null)
            throw Invalid.Field("gridId", "Unknown grid.");
        if (gridCommunity != request.CommunityId)
            throw Invalid.Field("gridId", "The grid is not in that community.");
        await ResidentHomes.DeclareAsync(connection, caller.UserId, request.CommunityId!.Value, request.GridId!.Value, clock.GetUtcNow(), ct);
        return TypedResults.Ok((await FindAsync(connection, caller.UserId, ct))!);
    }

    public static async Task<Ok<HomeDto>> SetMyHomeHouse(
        SetHouseHomeRequest request, Caller caller, RequestConnection db, IHouseLookup houses, TimeProvider clock, CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        if (await houses.FindByCodeAsync(connection, request.HouseCode, ct) is not { } house)
            throw Invalid.Field("houseCode", "Unknown house code.");
        await ResidentHomes.LivesInHouseAsync(connection, null, caller.UserId, house.HouseId, HomeSources.HouseCode, clock.GetUtcNow(), ct);
        return TypedResults.Ok((await FindAsync(connection, caller.UserId, ct))!);
    }

    public static async Task<Results<Ok<ResidentCountsDto>, NotFound>> CountResidents(
        long communityId, Caller caller, RequestConnection db, CancellationToken ct)
    {
        if (!caller.Can(Roles.CommunityStaff, communityId))
            return TypedResults.NotFound();
        var connection = await db.OpenAsync(ct);
        // ux_grids_community_name for the grids, ix_resident_homes_community (community_id, grid_id) counted per grid.
        var grids = (await connection.QueryAsync<GridCountRow>(new CommandDefinition("""
            SELECT g.id AS GridId, g.name AS GridName,
                   CAST((SELECT COUNT(*) FROM resident_homes r WHERE r.community_id = g.community_id AND r.grid_id = g.id) AS SIGNED) AS Residents
            FROM grids g
            WHERE g.community_id = @communityId
            ORDER BY g.id
            """, new { communityId }, cancellationToken: ct)))
            .Select(g => new GridResidentsDto(g.GridId, g.GridName, (int)g.Residents)).ToList();
        return TypedResults.Ok(new ResidentCountsDto(communityId, grids.Sum(g => g.Residents), grids));
    }

    private static async Task<HomeDto?> FindAsync(DbConnection connection, long userId, CancellationToken ct)
    {
        // Primary key of resident_homes, then of communities, grids and houses.
        var row = await connection.QuerySingleOrDefaultAsync<HomeRow>(new CommandDefinition("""
            SELECT r.community_id, c.name AS community_name, r.grid_id, g.name AS grid_name,
                   h.code AS house_code, h.street, h.building, r.source, r.updated_at
            FROM resident_homes r
            JOIN communities c ON c.id = r.community_id
            JOIN grids g ON g.id = r.grid_id
            LEFT JOIN houses h ON h.id = r.house_id
            WHERE r.user_id = @userId
            """, new { userId }, cancellationToken: ct));
        return row?.ToDto();
    }

    private sealed class HomeRow
    {
        public long CommunityId { get; init; }
        public string CommunityName { get; init; } = "";
        public long GridId { get; init; }
        public string GridName { get; init; } = "";
        public string? HouseCode { get; init; }
        public string? Street { get; init; }
        public string? Building { get; init; }
        public string Source { get; init; } = "";
        public DateTimeOffset UpdatedAt { get; init; }

        public HomeDto ToDto() => new(CommunityId, CommunityName, GridId, GridName, HouseCode, Street, Building, Source, UpdatedAt);
    }

    private sealed class GridCountRow
    {
        public long GridId { get; init; }
        public string GridName { get; init; } = "";
        public long Residents { get; init; }
    }
}
