using System.Data.Common;
using Dapper;
using Linli.Api.Homes;
using Linli.Domain.Identity;
using Linli.Api.Hosting;

namespace Linli.Api.Houses;

/// <summary>
/// A landlord registered by phone becomes the house's landlord once a user with that phone exists:
/// <see cref="AttachPendingLandlordsAsync"/> is called where a user binds a phone (identity), and
/// <see cref="AttachForUserAsync"/> runs whenever someone lists or reads houses, so a missed call heals itself.
/// </summary>
public sealed class PendingLandlords(RequestConnection db, TimeProvider clock)
{
    /// <summary>Attaches every house waiting for <paramref name="phoneHash"/> to <paramref name="userId"/>; returns how many.</summary>
    public async Task<int> AttachPendingLandlordsAsync(long userId, byte[] phoneHash, CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var attached = await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE houses
            SET landlord_id = @userId, pending_landlord_phone_cipher = NULL, pending_landlord_phone_hash = NULL, updated_at = @now
            WHERE pending_landlord_phone_hash = @phoneHash AND landlord_id IS NULL
            """, new { userId, phoneHash, now = clock.GetUtcNow().UtcDateTime }, transaction, cancellationToken: ct));
        if (attached > 0)
        {
            await GrantLandlordAsync(connection, transaction, userId, null, clock.GetUtcNow(), ct);
            await ResidentHomes.OwnerAttachedAsync(connection, transaction, userId, clock.GetUtcNow(), ct);
        }
        await transaction.CommitAsync(ct);
        return attached;
    }

    /// <summary>The same for the signed-in user, using the phone they bound (if any).</summary>
    public async Task<int> AttachForUserAsync(long userId, CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        var phoneHash = await connection.ExecuteScalarAsync<byte[]?>(new CommandDefinition(
            "SELECT phone_hash FROM users WHERE id = @userId", new { userId }, cancellationToken: ct));
        if (phoneHash is null)
            return 0;
        // Cheap when nothing waits: one probe of ix_houses_pending_landlord.
        var waiting = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM houses WHERE pending_landlord_phone_hash = @phoneHash AND landlord_id IS NULL LIMIT 1",
            new { phoneHash }, cancellationToken: ct));
        return waiting is null ? 0 : await AttachPendingLandlordsAsync(userId, phoneHash, ct);
    }

    /// <summary>Grants the unscoped landlord role; an active grant already there is kept (active_key is unique).</summary>
    internal static Task GrantLandlordAsync(DbConnection connection, DbTransaction transaction, long userId, long? grantedBy,
        DateTimeOffset now, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition("""
            INSERT IGNORE INTO user_roles (user_id, role, granted_by, granted_at)
            VALUES (@userId, @role, @grantedBy, @now)
            """, new { userId, role = Roles.Landlord, grantedBy, now = now.UtcDateTime }, transaction, cancellationToken: ct));
}
