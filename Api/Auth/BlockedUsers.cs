using System.Collections.Concurrent;
using System.Data.Common;
using Dapper;

namespace Linli.Api.Auth;

/// <summary>
/// Whether a user is blocked or the session an access token belongs to has ended (logout, theft detection, blocking),
/// checked on every authenticated request so such an access token stops working too, not only its refresh tokens.
/// One indexed look-up per user and session per <see cref="Ttl"/>; a change through this instance takes effect at once
/// (<see cref="Forget"/>), through another instance within <see cref="Ttl"/>.
/// </summary>
public sealed class BlockedUsers(DbDataSource db, TimeProvider clock)
{
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<(long UserId, string? SessionId), (bool Refused, DateTimeOffset CheckedAt)> _known = new();

    /// <summary>True when the user is blocked or <paramref name="sessionId"/> (when the token names one) has ended.</summary>
    public async ValueTask<bool> IsRefusedAsync(long userId, string? sessionId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_known.TryGetValue((userId, sessionId), out var known) && now - known.CheckedAt < Ttl)
            return known.Refused;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        // A token for an id with no row cannot have been blocked; its queries find nothing anyway. A session has ended
        // when its family's tokens were revoked (ix_refresh_tokens_family); rotation only marks them used.
        var refused = await connection.ExecuteScalarAsync<int?>(new CommandDefinition("""
            SELECT CAST(u.is_blocked AS SIGNED)
                   + CAST(@sessionId IS NOT NULL AND EXISTS (SELECT 1 FROM refresh_tokens t
                                                             WHERE t.family_id = @sessionId AND t.revoked_at IS NOT NULL) AS SIGNED)
            FROM users u WHERE u.id = @userId
            """, new { userId, sessionId }, cancellationToken: cancellationToken)) is > 0;
        _known[(userId, sessionId)] = (refused, now);
        return refused;
    }

    public void Forget(long userId)
    {
        foreach (var key in _known.Keys.Where(k => k.UserId == userId))
            _known.TryRemove(key, out _);
    }
}
