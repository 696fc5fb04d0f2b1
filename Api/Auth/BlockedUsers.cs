using System.Collections.Concurrent;
using System.Data.Common;
using Dapper;

namespace Linli.Api.Auth;

/// <summary>
/// Whether a user is blocked, checked on every authenticated request so a blocked user's access token stops
/// working too, not only their refresh tokens. One indexed look-up per user per <see cref="Ttl"/>; blocking
/// through this instance takes effect at once, through another instance within <see cref="Ttl"/>.
/// </summary>
public sealed class BlockedUsers(DbDataSource db, TimeProvider clock)
{
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<long, (bool Blocked, DateTimeOffset CheckedAt)> _known = new();

    public async ValueTask<bool> IsBlockedAsync(long userId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_known.TryGetValue(userId, out var known) && now - known.CheckedAt < Ttl)
            return known.Blocked;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        // A token for an id with no row cannot have been blocked; its queries find nothing anyway.
        var blocked = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(
            "SELECT CAST(is_blocked AS SIGNED) FROM users WHERE id = @userId", new { userId }, cancellationToken: cancellationToken)) is > 0;
        _known[userId] = (blocked, now);
        return blocked;
    }

    public void Forget(long userId) => _known.TryRemove(userId, out _);
}
