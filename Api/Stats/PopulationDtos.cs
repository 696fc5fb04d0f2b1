namespace Linli.Api.Stats;

/// <summary>
/// One grid's figures. <see cref="TenantsPerHousehold"/> is the floating-to-registered ratio (流常比) the
/// community reports upward: current tenants over the grid's registered households (null when not recorded).
/// </summary>
public sealed record GridPopulationDto(
    long GridId, string GridName, long CommunityId, string CommunityName, int? Households,
    long Houses, long RentalHouses, long RentedHouses, long RoomsFree, long CurrentTenants, decimal? TenantsPerHousehold);

/// <summary>Totals over the grids in scope, and each grid.</summary>
public sealed record PopulationDto(
    long Houses, long RentalHouses, long RentedHouses, long RoomsFree, long CurrentTenants, IReadOnlyList<GridPopulationDto> Grids);
