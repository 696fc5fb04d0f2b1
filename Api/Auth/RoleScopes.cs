using System.Data.Common;
using Dapper;

namespace Linli.Api.Auth;

/// <summary>One active role row with the names of its scope, as /me and /users show it.</summary>
public sealed record RoleDto(long? Id, string Role, long? CommunityId, string? CommunityName, long? GridId, string? GridName,
    long? DepartmentId, string? DepartmentName, DateTimeOffset? GrantedAt, long? StreetOfficeId = null, string? StreetOfficeName = null);

public static class RoleScopes
{
    /// <summary>Active role rows of the given users (uses ix_user_roles_user).</summary>
    public static async Task<ILookup<long, RoleDto>> ActiveRolesAsync(DbConnection connection, IReadOnlyCollection<long> userIds, CancellationToken cancellationToken)
    {
        if (userIds.Count == 0)
            return Array.Empty<RoleRow>().ToLookup(r => r.UserId, r => r.ToDto());
        var rows = await connection.QueryAsync<RoleRow>(new CommandDefinition("""
            SELECT r.id AS Id, r.user_id AS UserId, r.role AS Role, r.community_id AS CommunityId, c.name AS CommunityName,
                   r.grid_id AS GridId, g.name AS GridName, r.department_id AS DepartmentId, d.name AS DepartmentName, r.granted_at AS GrantedAt,
                   r.street_office_id AS StreetOfficeId, s.name AS StreetOfficeName
            FROM user_roles r
            LEFT JOIN communities c ON c.id = r.community_id
            LEFT JOIN grids g ON g.id = r.grid_id
            LEFT JOIN departments d ON d.id = r.department_id
            LEFT JOIN street_offices s ON s.id = r.street_office_id
            WHERE r.user_id IN @userIds AND r.revoked_at IS NULL
            ORDER BY r.id
            """, new { userIds }, cancellationToken: cancellationToken));
        return rows.ToLookup(r => r.UserId, r => r.ToDto());
    }

    internal static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private sealed class RoleRow
    {
        public long Id { get; init; }
        public long UserId { get; init; }
        public string Role { get; init; } = "";
        public long? CommunityId { get; init; }
        public string? CommunityName { get; init; }
        public long? GridId { get; init; }
        public string? GridName { get; init; }
        public long? DepartmentId { get; init; }
        public string? DepartmentName { get; init; }
        public DateTime GrantedAt { get; init; }
        public long? StreetOfficeId { get; init; }
        public string? StreetOfficeName { get; init; }

        public RoleDto ToDto() => new(Id, Role, CommunityId, CommunityName, GridId, GridName, DepartmentId, DepartmentName, Utc(GrantedAt),
            StreetOfficeId, StreetOfficeName);
    }
}
