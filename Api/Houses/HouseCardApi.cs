using Linli.Api.Auth;
using System.Data.Common;
using System.Security.Claims;
using Dapper;
using Linli.Api.Hosting;
using Linli.Api.PartyMembers;
using Linli.Domain.Houses;
using Linli.Domain.People;
using Linli.Infrastructure.Crypto;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Linli.Api.Houses;

/// <summary>
/// What a scanned house code opens (<c>/api/v1/h/{code}</c>): the house's public card. Anyone may scan,
/// signed in or not, so the endpoint is rate limited and shows no more than the door frame does.
/// </summary>
public static class HouseCardApi
{
    public static RouteGroupBuilder MapHouseCard(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/h").WithTags("Houses").RequireRateLimiting(RateLimits.Anonymous);
        group.MapGet("/{code}", GetHouseCard).WithName(nameof(GetHouseCard))
            .WithSummary("Scan a house code")
            .WithDescription("The public card a scan of a house code shows: community, grid, building, the grid's workers, the badges of party members serving the grid and what the caller may do next. Anyone, signed in or not (rate limited); the unit and door only for the landlord, the grid's staff and current tenants.")
            .AllowAnonymous();
        return group;
    }

    private sealed class CardRow
    {
        public long Id { get; init; }
        public string Code { get; init; } = "";
        public long GridId { get; init; }
        public string CommunityName { get; init; } = "";
        public string GridName { get; init; } = "";
        public string Street { get; init; } = "";
        public string Building { get; init; } = "";
        public string? Unit { get; init; }
        public string Door { get; init; } = "";
        public string HouseUse { get; init; } = "";
        public long RoomsFree { get; init; }
        public long Manages { get; init; }
        public long IsLandlord { get; init; }
        public long IsTenant { get; init; }
        public long HasOpenTenancy { get; init; }
    }

    private static async Task<Results<Ok<HouseCardDto>, NotFound>> GetHouseCard(
        string code, Caller caller, RequestConnection db, FieldProtector protector, PartyBadges partyBadges, CancellationToken ct)
    {
        var normalised = HouseCode.Normalise(code);
        if (normalised is null)
            return TypedResults.NotFound();
        var connection = await db.OpenAsync(ct);
        var house = await connection.QuerySingleOrDefaultAsync<CardRow>(new CommandDefinition($$"""
            SELECT h.id AS Id, h.code AS Code, h.grid_id AS GridId, c.name AS CommunityName, g.name AS GridName,
                   h.street AS Street, h.building AS Building, h.unit AS Unit, h.door AS Door, h.house_use AS HouseUse,
                   CAST(CASE WHEN h.house_use = 'rental'
                        THEN GREATEST(h.rooms - (SELECT COUNT(DISTINCT t.room) FROM tenancies t WHERE t.house_id = h.id AND t.status = 'active'), 0)
                        ELSE 0 END AS SIGNED) AS RoomsFree,
                   CAST(@me <> 0 AND {{Scope.ManagesHouse}} AS SIGNED) AS Manages,
                   CAST(@me <> 0 AND h.landlord_id <=> @me AS SIGNED) AS IsLandlord,
                   CAST(EXISTS (SELECT 1 FROM tenancies t WHERE t.house_id = h.id AND t.tenant_user_id = @me AND t.status = 'active') AS SIGNED) AS IsTenant,
                   CAST(EXISTS (SELECT 1 FROM tenancies t WHERE t.house_id = h.id AND t.tenant_user_id = @me AND t.status IN ('pending', 'active')) AS SIGNED) AS HasOpenTenancy
            FROM houses h
            JOIN communities c ON c.id = h.community_id
            JOIN grids g ON g.id = h.grid_id
            WHERE h.code = @code
            """, caller.With(new { code = normalised }), cancellationToken: ct));
        if (house is null)
            return TypedResults.NotFound();

        var workers = (await RoleHolders.GridWorkersAsync(connection, house.GridId, ct))
            .Select(w => new GridWorkerDto(w.Nickname, w.PhoneCipher is null ? null : Masking.Phone(protector.Decrypt(w.PhoneCipher))))
            .ToList();

        // 党员亮身份: the members serving this grid who agreed to show it.
        var partyMembers = (await partyBadges.ForGridAsync(house.GridId, ct)).Select(b => b.ToDto()).ToList();

        var insider = house.Manages != 0 || house.IsLandlord != 0 || house.IsTenant != 0;
        var use = DbEnum.Parse(house.HouseUse, HouseUse.Vacant);
        var anonymous = !caller.IsSignedIn;
        var actions = new List<HouseActionDto> { new(HouseActions.ReportProblem, anonymous, house.Code) };
        if (house.Manages != 0 || house.IsLandlord != 0)
            actions.Add(new HouseActionDto(HouseActions.RegisterTenant, false));
        else if (use == HouseUse.Rental && house.HasOpenTenancy == 0)
            actions.Add(new HouseActionDto(HouseActions.RegisterSelf, anonymous));

        return TypedResults.Ok(new HouseCardDto(
            house.Code, house.CommunityName, house.GridName, house.Street, house.Building,
            insider ? house.Unit : null, insider ? house.Door : null,
            workers, partyMembers, use, (int)house.RoomsFree, actions));
    }
}
