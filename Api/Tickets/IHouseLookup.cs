namespace Linli.Api.Tickets;

/// <summary>A scanned house code → the house and the community and grid it belongs to.</summary>
public interface IHouseLookup
{
    Task<(long HouseId, long CommunityId, long GridId)?> FindByCodeAsync(string code, CancellationToken cancellationToken);
}

/// <summary>
/// Knows no house: the houses feature lives on another branch and registers the real lookup when merged.
/// Until then a ticket with a houseCode is refused as an unknown house code.
/// </summary>
public sealed class NoHouseLookup : IHouseLookup
{
    public Task<(long HouseId, long CommunityId, long GridId)?> FindByCodeAsync(string code, CancellationToken cancellationToken) =>
        Task.FromResult<(long, long, long)?>(null);
}
