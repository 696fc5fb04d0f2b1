using System.Data.Common;
using Dapper;
using Linli.Domain.Identity;

namespace Linli.Api.Auth;

/// <summary>
/// <c>Api grant-admin &lt;openid&gt;</c> (<see cref="GrantAdminHostCommand"/>): makes the first admin (and any later one)
/// against the configured database, then exits without serving. It works while the API runs, and creates the user when that openid has not
/// signed in yet. There is no built-in account or password.
/// </summary>
public static class GrantAdminCommand
{
    public const string Name = "grant-admin";

    public static async Task<long> GrantAsync(DbDataSource db, TimeProvider clock, string openId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var userId = await UserAccounts.FindOrCreateAsync(connection, transaction, openId, now, cancellationToken);
        // Granting twice is harmless: the active_key unique index keeps one active admin row.
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT IGNORE INTO user_roles (user_id, role, granted_at) VALUES (@userId, @role, @now)",
            new { userId, role = Roles.Admin, now }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return userId;
    }
}
