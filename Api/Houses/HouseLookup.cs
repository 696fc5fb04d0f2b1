using System.Data.Common;
using Dapper;
using Linli.Domain.Houses;

namespace Linli.Api.Houses;

/// <summary>Finds a house by its code, for tickets reported from a scanned code (they carry <c>houseCode</c>).</summary>
public sealed class HouseLookup : Linli.Api.Tickets.IHouseLookup
{
    public async Task<(long HouseId, long CommunityId, long GridId)?> FindByCodeAsync(DbConnection connection, string code, CancellationToken cancellationToken)
    {
        var normalised = HouseCode.Normalise(code);
        if (normalised is null)
            return null;
        var rows = (await connection.QueryAsync<(long HouseId, long CommunityId, long GridId)>(new CommandDefinition(
            "SELECT id, community_id, grid_id FROM houses WHERE code = @code",
            new { code = normalised }, cancellationToken: cancellationToken))).ToList();
        return rows.Count == 0 ? null : rows[0];
    }
}
