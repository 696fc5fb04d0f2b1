using System.Data.Common;
using System.Security.Claims;
using Dapper;
using Linli.Api.Auth;
using Linli.Api.Houses;
using Microsoft.AspNetCore.Http.HttpResults;
using Linli.Api.Hosting;

namespace Linli.Api.Stats;

/// <summary>Population figures from the house register: houses, rentals, rooms free and tenants per grid.</summary>
public static class PopulationApi
{
    public static RouteGroupBuilder MapPopulation(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/stats/population").WithTags("Stats").RequireAuthorization(Policies.GridStaff);
        group.MapGet("/", GetPopulation).WithName(nameof(GetPopulation))
            .WithSummary("Population figures")
            .WithDescription("Houses, rental houses, rented houses, rooms free and current tenants per grid, with totals, for the grids in the caller's scope, filtered by community or grid. Grid workers, community staff and admins. Changes nothing.");
        return group;
    }

    private sealed class GridRow
    {
        public long GridId { get; init; }
        public string GridName { get; init; } = "";
        public long CommunityId { get; init; }
        public string CommunityName { get; init; } = "";
        public int? Households { get; init; }
        public long Houses { get; init; }
        public long RentalHouses { get; init; }
        public long RentedHouses { get; init; }
        public long RoomsFree { get; init; }
        public long CurrentTenants { get; init; }
    }

    private static async Task<Ok<PopulationDto>> GetPopulation(
        long? communityId, long? gridId, Caller caller, RequestConnection db, CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        // Every grid in scope appears, with zeros when it has no houses yet. Houses come per grid (ix_houses_grid);
        // MariaDB runs the per-house tenant counts as a LATERAL DERIVED table on ix_tenancies_house (checked with
        // EXPLAIN), so only the tenancies of houses in scope are read.
        var rows = (await connection.QueryAsync<GridRow>(new CommandDefinition($$"""
            SELECT g.id AS GridId, g.name AS GridName, c.id AS CommunityId, c.name AS CommunityName, g.households AS Households,
                   CAST(COUNT(h.id) AS SIGNED) AS Houses,
                   CAST(COALESCE(SUM(h.house_use = 'rental'), 0) AS SIGNED) AS RentalHouses,
                   CAST(COALESCE(SUM(a.tenants > 0), 0) AS SIGNED) AS RentedHouses,
                   CAST(COALESCE(SUM(CASE WHEN h.house_use = 'rental' THEN GREATEST(h.rooms - COALESCE(a.rooms_taken, 0), 0) ELSE 0 END), 0) AS SIGNED) AS RoomsFree,
                   CAST(COALESCE(SUM(a.tenants), 0) AS SIGNED) AS CurrentTenants
            FROM grids g
            JOIN communities c ON c.id = g.community_id
            LEFT JOIN houses h ON h.grid_id = g.id
            LEFT JOIN (SELECT t.house_id, COUNT(*) AS tenants, COUNT(DISTINCT t.room) AS rooms_taken
                       FROM tenancies t WHERE t.status = 'active' GROUP BY t.house_id) a ON a.house_id = h.id
            WHERE {{Scope.ManagesGrid}}
              AND (@communityId IS NULL OR g.community_id = @communityId)
              AND (@gridId IS NULL OR g.id = @gridId)
            GROUP BY g.id, g.name, c.id, c.name, g.households
            ORDER BY c.id, g.id
            """, caller.With(new { communityId, gridId }), cancellationToken: ct))).ToList();

        var grids = rows.Select(r => new GridPopulationDto(
            r.GridId, r.GridName, r.CommunityId, r.CommunityName, r.Households,
            r.Houses, r.RentalHouses, r.RentedHouses, r.RoomsFree, r.CurrentTenants,
            r.Households is > 0 ? Math.Round((decimal)r.CurrentTenants / r.Households.Value, 2) : null)).ToList();
        return TypedResults.Ok(new PopulationDto(
            grids.Sum(g => g.Houses), grids.Sum(g => g.RentalHouses), grids.Sum(g => g.RentedHouses),
            grids.Sum(g => g.RoomsFree), grids.Sum(g => g.CurrentTenants), grids));
    }
}
