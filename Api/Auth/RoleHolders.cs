using System.Data.Common;
using Dapper;
using Linli.Domain.Identity;

namespace Linli.Api.Auth;

/// <summary>
/// Who else holds a role where: the people a notification goes to (a department's staff, a community's staff or party
/// members), or whether someone may be given work in a community. Not about the caller (that is <see cref="Caller"/>);
/// the one place outside it that reads other users' active roles.
/// </summary>
public static class RoleHolders
{
    /// <summary>The users holding <paramref name="role"/> for this community, grid, department or street office (by the role's kind of scope).</summary>
    public static async Task<IReadOnlyList<long>> OfAsync(DbConnection connection, DbTransaction? transaction, string role, long scopeId, CancellationToken ct)
    {
        var rows = await connection.QueryAsync<long>(new CommandDefinition($"""
            SELECT DISTINCT user_id FROM user_roles WHERE {ScopeColumn(role)} = @scopeId AND role = @role AND revoked_at IS NULL
            """, new { scopeId, role }, transaction, cancellationToken: ct));
        return rows.ToList();
    }

    /// <summary>
    /// The question of <see cref="OfAsync"/> as a scalar subquery for another statement's SELECT list, so that it costs
    /// no statement of its own: the ids of the users holding <paramref name="role"/> where the role's scope matches
    /// <paramref name="scope"/> (fixed SQL text such as <c>= t.community_id</c> or <c>IN @departments</c>) as a JSON
    /// array; NULL when nobody does. Read it with <see cref="Ids"/>.
    /// </summary>
    public static string IdsSql(string role, string scope) =>
        // ix_user_roles_community, _grid, _department, _street_office: (scope, role, revoked_at). role is one of Roles' constants.
        // JSON_ARRAYAGG, not GROUP_CONCAT: MySQL cuts GROUP_CONCAT at 1,024 bytes by default (about 140 ids) without an
        // error, which would silently tell the wrong people; a JSON array cut short (MariaDB applies its 1 MB
        // group_concat_max_len) fails to parse instead. Neither engine takes DISTINCT there, so Ids removes repeats.
        $"(SELECT JSON_ARRAYAGG(ur.user_id) FROM user_roles ur WHERE ur.{ScopeColumn(role)} {scope} AND ur.role = '{role}' AND ur.revoked_at IS NULL)";

    /// <summary>The ids of an <see cref="IdsSql"/> column, each once.</summary>
    public static IReadOnlyList<long> Ids(string? column) =>
        column is null ? [] : [.. (System.Text.Json.JsonSerializer.Deserialize<long[]>(column) ?? []).Distinct()];

    // Fixed text only: the column follows from the role.
    private static string ScopeColumn(string role) => role switch
    {
        Roles.DepartmentStaff => "department_id",
        Roles.GridWorker => "grid_id",
        Roles.StreetLeader => "street_office_id",
        _ => "community_id",
    };

    /// <summary>
    /// The role through which <paramref name="userId"/> works in the community: grid worker before community staff
    /// before party member; null when they hold none of them there.
    /// </summary>
    public static async Task<string?> FieldRoleInAsync(DbConnection connection, long userId, long communityId, CancellationToken ct)
    {
        // ix_user_roles_user (user_id, revoked_at)
        var roles = (await connection.QueryAsync<string>(new CommandDefinition("""
            SELECT role FROM user_roles
            WHERE user_id = @userId AND community_id = @communityId AND revoked_at IS NULL AND role IN @roles
            """, new { userId, communityId, roles = FieldRoles }, cancellationToken: ct))).ToHashSet(StringComparer.Ordinal);
        return FieldRoles.FirstOrDefault(roles.Contains);
    }

    private static readonly string[] FieldRoles = [Roles.GridWorker, Roles.CommunityStaff, Roles.PartyMember];

    /// <summary>The grid's workers with their nickname and encrypted phone, for the house card (ix_user_roles_grid).</summary>
    public static async Task<IReadOnlyList<(string? Nickname, byte[]? PhoneCipher)>> GridWorkersAsync(DbConnection connection, long gridId, CancellationToken ct) =>
        (await connection.QueryAsync<(string? Nickname, byte[]? PhoneCipher)>(new CommandDefinition("""
            SELECT u.nickname, u.phone_cipher
            FROM user_roles ur JOIN users u ON u.id = ur.user_id
            WHERE ur.grid_id = @gridId AND ur.role = 'grid_worker' AND ur.revoked_at IS NULL
            ORDER BY ur.id
            """, new { gridId }, cancellationToken: ct))).ToList();
}
