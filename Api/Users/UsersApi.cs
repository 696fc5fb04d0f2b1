using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using Dapper;
using Linli.Api.Auth;
using Linli.Api.Hosting;
using Linli.Domain.Identity;
using Linli.Domain.People;
using Linli.Infrastructure.Crypto;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Linli.Api.Users;

/// <summary>
/// Staff management for admins (everyone) and community_staff (people holding roles in their own communities).
/// Revoking a role or blocking a user ends their refresh tokens at once, and their access token loses the role
/// (or stops working) on its next request: the caller is resolved from the stored roles on every request.
/// </summary>
public static class UsersApi
{
    public const int MaxPage = 200;

    public static RouteGroupBuilder MapUsers(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/users").WithTags("Users").RequireAuthorization(Policies.CommunityStaff);
        group.MapGet("/", ListUsers).WithName(nameof(ListUsers))
            .WithSummary("List staff")
            .WithDescription("Users holding an active role, by id, filtered by role and community; page with afterId. Admins see everyone; community staff see the roles of their own communities (another community's id is a 403). Changes nothing.");
        group.MapDelete("/{id:long}/roles/{roleId:long}", RevokeRole).WithName(nameof(RevokeRole))
            .WithSummary("Revoke a role")
            .WithDescription("Ends one role of a user and their refresh tokens. Admins revoke any role; community staff revoke grid_worker and community_staff roles of their own communities (403 otherwise).");
        group.MapPost("/{id:long}/block", BlockUser).WithName(nameof(BlockUser))
            .WithSummary("Block a user")
            .WithDescription("Blocks a user: their refresh tokens end now, their access token on its next request. Admins only.")
            .RequireAuthorization(Policies.Admin);
        group.MapPost("/{id:long}/unblock", UnblockUser).WithName(nameof(UnblockUser))
            .WithSummary("Unblock a user")
            .WithDescription("Lets a blocked user sign in again. Admins only.")
            .RequireAuthorization(Policies.Admin);
        return group;
    }

    /// <summary>The roles a user_roles row can hold (resident is implied for everyone, never stored).</summary>
    public static readonly IReadOnlyList<string> StoredRoles = [.. Roles.All.Where(r => r != Roles.Resident)];

    public sealed record UserDto(long Id, string? Nickname, string? AvatarUrl, string? Phone, bool IsBlocked, IReadOnlyList<RoleDto> Roles);

    /// <summary>
    /// Users holding an active role, filtered by role and community, ordered by id; page with <c>afterId</c>.
    /// community_staff see only roles in their own communities (and get 403 for another community's id).
    /// </summary>
    public static async Task<Results<Ok<IReadOnlyList<UserDto>>, ForbidHttpResult>> ListUsers(
        Caller caller, RequestConnection db, FieldProtector protector, CancellationToken cancellationToken,
        [OneOf(typeof(UsersApi), nameof(StoredRoles))] string? role = null, long? communityId = null,
        [Range(0, long.MaxValue)] long afterId = 0, [Range(1, MaxPage)] int limit = 50)
    {
        var isAdmin = caller.IsAdmin;
        var mine = caller.ScopeIds(Roles.CommunityStaff);
        var connection = await db.OpenAsync(cancellationToken);
        if (!isAdmin && communityId is not null && !mine.Contains(communityId.Value))
            return TypedResults.Forbid();

        // The scope is in the WHERE: community_staff only ever match role rows of their own communities.
        // Driven from user_roles (staff are few, residents many): ix_user_roles_community with a community, else the role rows.
        var rows = (await connection.QueryAsync<UserRow>(new CommandDefinition("""
            SELECT DISTINCT u.id AS Id, u.nickname AS Nickname, u.avatar_url AS AvatarUrl, u.phone_cipher AS PhoneCipher, u.is_blocked AS IsBlocked
            FROM user_roles r
            JOIN users u ON u.id = r.user_id
            WHERE r.revoked_at IS NULL AND r.user_id > @afterId
              AND (@role IS NULL OR r.role = @role)
              AND (@communityId IS NULL OR r.community_id = @communityId)
              AND (@isAdmin OR r.community_id IN @mine)
            ORDER BY u.id
            LIMIT @limit
            """, new { afterId, role, communityId, isAdmin, mine = mine.Count == 0 ? [0L] : mine.ToList(), limit }, cancellationToken: cancellationToken))).ToList();
        var roles = await RoleScopes.ActiveRolesAsync(connection, rows.Select(r => r.Id).ToList(), cancellationToken);
        var users = rows.Select(u => new UserDto(u.Id, u.Nickname, u.AvatarUrl,
                u.PhoneCipher is null ? null : Masking.Phone(protector.Decrypt(u.PhoneCipher)), u.IsBlocked,
                roles[u.Id].Where(r => isAdmin || (r.CommunityId is { } c && mine.Contains(c))).ToList()))
            .ToList();
        return TypedResults.Ok<IReadOnlyList<UserDto>>(users);
    }

    /// <summary>
    /// Revokes one role row. Admins revoke anything; community_staff revoke grid_worker and community_staff roles
    /// of their own communities (403 otherwise). Ends the user's refresh tokens.
    /// </summary>
    public static async Task<Results<NoContent, NotFound, ForbidHttpResult>> RevokeRole(
        long id, long roleId, Caller caller, RequestConnection db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var me = caller.UserId;
        var now = clock.GetUtcNow().UtcDateTime;
        var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var target = await connection.QuerySingleOrDefaultAsync<(string Role, long? CommunityId)?>(new CommandDefinition("""
            SELECT t.role, t.community_id FROM user_roles t
            WHERE t.id = @roleId AND t.user_id = @id AND t.revoked_at IS NULL
            FOR UPDATE
            """, new { roleId, id }, transaction, cancellationToken: cancellationToken));
        if (target is not { } row)
            return TypedResults.NotFound();
        var mayRevoke = caller.IsAdmin || (row.Role is Roles.GridWorker or Roles.CommunityStaff
            && row.CommunityId is { } community && caller.Can(Roles.CommunityStaff, community));
        if (!mayRevoke)
            return TypedResults.Forbid();
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE user_roles SET revoked_at = @now, revoked_by = @me WHERE id = @roleId",
            new { now, me, roleId }, transaction, cancellationToken: cancellationToken));
        await SessionService.RevokeAllAsync(connection, transaction, id, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>Blocks a user: their refresh tokens end now, their access token on its next request.</summary>
    public static Task<Results<NoContent, NotFound>> BlockUser(long id, RequestConnection db, TimeProvider clock, CancellationToken cancellationToken) =>
        SetBlockedAsync(id, true, db, clock, cancellationToken);

    public static Task<Results<NoContent, NotFound>> UnblockUser(long id, RequestConnection db, TimeProvider clock, CancellationToken cancellationToken) =>
        SetBlockedAsync(id, false, db, clock, cancellationToken);

    private static async Task<Results<NoContent, NotFound>> SetBlockedAsync(long id, bool isBlocked, RequestConnection db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var exists = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM users WHERE id = @id FOR UPDATE", new { id }, transaction, cancellationToken: cancellationToken));
        if (exists is null)
            return TypedResults.NotFound();
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET is_blocked = @isBlocked, updated_at = @now WHERE id = @id", new { id, isBlocked, now }, transaction, cancellationToken: cancellationToken));
        if (isBlocked)
            await SessionService.RevokeAllAsync(connection, transaction, id, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private sealed class UserRow
    {
        public long Id { get; init; }
        public string? Nickname { get; init; }
        public string? AvatarUrl { get; init; }
        public byte[]? PhoneCipher { get; init; }
        public bool IsBlocked { get; init; }
    }
}
