using System.Data.Common;

namespace Linli.Api.Tickets;

/// <summary>A scanned house code → the house and the community and grid it belongs to.</summary>
public interface IHouseLookup
{
    Task<(long HouseId, long CommunityId, long GridId)?> FindByCodeAsync(DbConnection connection, string code, CancellationToken cancellationToken);
}
