using System.Data.Common;
using Dapper;
using Linli.Domain.Identity;

namespace Linli.Api.Auth;

/// <summary>
/// Who holds a role in a place now: the people a ticket's notifications go to (a department's staff, a community's
/// staff or party members). The only reading of <c>user_roles</c> outside the caller's own.
/// </summary>
public static class RoleHolders
{
    /// <summary>The users holding <paramref name="role"/> for this community, grid, department or street office (by the role's kind of scope).</summary>
    public static async Task<IReadOnlyList<long>> OfAsync(DbConnection connection, DbTransaction? transaction, string role, long scopeId, CancellationToken ct)
    {
        // Fixed text only: the column follows from the role.
        var column = role switch
        {
            Roles.DepartmentStaff => "department_id",
            Roles.GridWorker => "grid_id",
            Roles.StreetLeader => "street_office_id",
            _ => "community_id",
        };
        var rows = await connection.QueryAsync<long>(new CommandDefinition($"""
            SELECT DISTINCT user_id FROM user_roles WHERE {column} = @scopeId AND role = @role AND revoked_at IS NULL
            """, new { scopeId, role }, transaction, cancellationToken: ct));
        return rows.ToList();
    }
}
