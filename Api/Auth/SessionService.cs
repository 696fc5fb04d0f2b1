using System.Data.Common;
using System.Security.Cryptography;
using Dapper;
using Linli.Domain.Identity;
using Microsoft.Extensions.Options;
using Linli.Api.Hosting;

namespace Linli.Api.Auth;

/// <summary>What sign-in and refresh return.</summary>
public sealed record SessionDto(string AccessToken, string RefreshToken, int ExpiresIn, SessionUserDto User);

public sealed record SessionUserDto(long Id, string? Nickname, string? AvatarUrl, IReadOnlyList<string> Roles, bool IsNew);

/// <summary>
/// Sessions: a short-lived JWT plus an opaque refresh token. Refresh tokens are random, stored as SHA-256,
/// and rotate on every use within a family (the session); a used token presented again means it was copied, so the
/// whole family is revoked (the thief and the owner both sign in again). A session ends <see cref="JwtOptions.SessionMaxDays"/>
/// after sign-in however often it rotated, and at logout, which also ends its access tokens on their next request (<see cref="Caller"/>).
/// </summary>
public sealed partial class SessionService(
    RequestConnection db, AccessTokenIssuer issuer, TimeProvider clock, IOptions<JwtOptions> jwt, ILogger<SessionService> logger)
{
    /// <summary>Starts a new family for a user who just signed in.</summary>
    public async Task<SessionDto> StartAsync(long userId, bool isNew, CancellationToken cancellationToken)
    {
        var connection = await db.OpenAsync(cancellationToken);
        return await StartAsync(connection, null, userId, isNew, cancellationToken);
    }

    /// <summary>Starts a new family inside the caller's transaction (a console session hands its tokens over exactly once).</summary>
    public async Task<SessionDto> StartAsync(DbConnection connection, DbTransaction? transaction, long userId, bool isNew, CancellationToken cancellationToken)
    {
        var familyId = Guid.NewGuid().ToString("N");
        var refresh = await InsertRefreshTokenAsync(connection, transaction, userId, familyId, clock.GetUtcNow(), cancellationToken);
        return await IssueAsync(connection, transaction, userId, familyId, refresh, isNew, cancellationToken);
    }

    /// <summary>A new session for a valid, unused refresh token; null when the token is unknown, used, revoked or expired, or the user is blocked.</summary>
    public async Task<SessionDto?> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<RefreshRow>(new CommandDefinition("""
            SELECT t.id AS Id, t.user_id AS UserId, t.family_id AS FamilyId, t.expires_at AS ExpiresAt,
                   t.used_at AS UsedAt, t.revoked_at AS RevokedAt, t.family_started_at AS FamilyStartedAt, u.is_blocked AS IsBlocked
            FROM refresh_tokens t JOIN users u ON u.id = t.user_id
            WHERE t.token_hash = @hash
            FOR UPDATE
            """, new { hash = Hash(refreshToken) }, transaction, cancellationToken: cancellationToken));
        if (row is null || row.RevokedAt is not null)
            return null;
        if (row.UsedAt is not null)
        {
            LogReuse(row.UserId, row.FamilyId);
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE refresh_tokens SET revoked_at = @now WHERE family_id = @FamilyId AND revoked_at IS NULL",
                new { now, row.FamilyId }, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            return null;
        }
        if (row.ExpiresAt <= now || row.FamilyStartedAt.AddDays(jwt.Value.SessionMaxDays) <= now)
            return null;
        if (row.IsBlocked)
        {
            await RevokeAllAsync(connection, transaction, row.UserId, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return null;
        }
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE refresh_tokens SET used_at = @now WHERE id = @Id", new { now, row.Id }, transaction, cancellationToken: cancellationToken));
        var started = new DateTimeOffset(DateTime.SpecifyKind(row.FamilyStartedAt, DateTimeKind.Utc));
        var next = await InsertRefreshTokenAsync(connection, transaction, row.UserId, row.FamilyId, started, cancellationToken);
        var session = await IssueAsync(connection, transaction, row.UserId, row.FamilyId, next, false, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return session;
    }

    /// <summary>
    /// Ends the family the token belongs to — every refresh token of the session, used or not, and so its access
    /// tokens. Unknown tokens are ignored: logging out twice is fine.
    /// </summary>
    public async Task LogoutAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var connection = await db.OpenAsync(cancellationToken);
        var hash = Hash(refreshToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE refresh_tokens t JOIN refresh_tokens f ON f.family_id = t.family_id
            SET f.revoked_at = @now
            WHERE t.token_hash = @hash AND f.revoked_at IS NULL
            """, new { hash, now = clock.GetUtcNow().UtcDateTime }, cancellationToken: cancellationToken));
    }

    /// <summary>Ends every refresh token of a user at once (roles revoked, user blocked).</summary>
    public static Task RevokeAllAsync(DbConnection connection, DbTransaction? transaction, long userId, DateTime now, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "UPDATE refresh_tokens SET revoked_at = @now WHERE user_id = @userId AND revoked_at IS NULL",
            new { userId, now }, transaction, cancellationToken: cancellationToken));

    /// <summary>Role names for the access token: resident always, then every active stored role.</summary>
    public static async Task<IReadOnlyList<string>> RoleNamesAsync(DbConnection connection, DbTransaction? transaction, long userId, CancellationToken cancellationToken)
    {
        var stored = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT DISTINCT role FROM user_roles WHERE user_id = @userId AND revoked_at IS NULL",
            new { userId }, transaction, cancellationToken: cancellationToken));
        return [Roles.Resident, .. stored.Where(r => r != Roles.Resident).Order(StringComparer.Ordinal)];
    }

    private async Task<SessionDto> IssueAsync(DbConnection connection, DbTransaction? transaction, long userId, string familyId, string refreshToken, bool isNew, CancellationToken cancellationToken)
    {
        var user = await connection.QuerySingleAsync<UserRow>(new CommandDefinition(
            "SELECT nickname AS Nickname, avatar_url AS AvatarUrl FROM users WHERE id = @userId",
            new { userId }, transaction, cancellationToken: cancellationToken));
        var roles = await RoleNamesAsync(connection, transaction, userId, cancellationToken);
        var (token, expiresAt) = issuer.Issue(userId, roles, familyId);
        var expiresIn = (int)Math.Round((expiresAt - clock.GetUtcNow()).TotalSeconds);
        return new SessionDto(token, refreshToken, expiresIn, new SessionUserDto(userId, user.Nickname, user.AvatarUrl, roles, isNew));
    }

    /// <summary>A new refresh token of the family that started at <paramref name="started"/>: it expires by the session's end at the latest.</summary>
    private async Task<string> InsertRefreshTokenAsync(DbConnection connection, DbTransaction? transaction, long userId, string familyId,
        DateTimeOffset started, CancellationToken cancellationToken)
    {
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow();
        var expiresAt = new[] { now.AddDays(jwt.Value.RefreshTokenDays), started.AddDays(jwt.Value.SessionMaxDays) }.Min();
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO refresh_tokens (user_id, family_id, token_hash, created_at, expires_at, family_started_at)
            VALUES (@userId, @familyId, @hash, @now, @expiresAt, @started)
            """, new { userId, familyId, hash = Hash(token), now = now.UtcDateTime, expiresAt = expiresAt.UtcDateTime, started = started.UtcDateTime },
            transaction, cancellationToken: cancellationToken));
        return token;
    }

    private static byte[] Hash(string token) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private sealed class RefreshRow
    {
        public long Id { get; init; }
        public long UserId { get; init; }
        public string FamilyId { get; init; } = "";
        public DateTime ExpiresAt { get; init; }
        public DateTime? UsedAt { get; init; }
        public DateTime? RevokedAt { get; init; }
        public DateTime FamilyStartedAt { get; init; }
        public bool IsBlocked { get; init; }
    }

    private sealed class UserRow
    {
        public string? Nickname { get; init; }
        public string? AvatarUrl { get; init; }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A used refresh token was presented again for user {UserId}: family {FamilyId} revoked")]
    private partial void LogReuse(long userId, string familyId);
}
