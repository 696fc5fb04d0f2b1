using System.Data.Common;
using Dapper;

namespace Linli.Api.Auth;

/// <summary>Users as sign-in and the grant-admin command see them: found or created by openid.</summary>
public static class UserAccounts
{
    public static async Task<(long UserId, bool IsNew, bool IsBlocked)> SignInAsync(DbConnection connection, string openId, DateTime now, CancellationToken cancellationToken)
    {
        var inserted = await connection.ExecuteAsync(new CommandDefinition("""
            INSERT IGNORE INTO users (openid, created_at, updated_at, last_login_at) VALUES (@openId, @now, @now, @now)
            """, new { openId, now }, cancellationToken: cancellationToken));
        var user = await connection.QuerySingleAsync<SignInRow>(new CommandDefinition(
            "SELECT id AS Id, is_blocked AS IsBlocked FROM users WHERE openid = @openId", new { openId }, cancellationToken: cancellationToken));
        if (inserted == 0)
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE users SET last_login_at = @now WHERE id = @id", new { id = user.Id, now }, cancellationToken: cancellationToken));
        return (user.Id, inserted > 0, user.IsBlocked);
    }

    /// <summary>The user with this openid, created when they have not signed in yet.</summary>
    public static async Task<long> FindOrCreateAsync(DbConnection connection, DbTransaction transaction, string openId, DateTime now, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT IGNORE INTO users (openid, created_at, updated_at) VALUES (@openId, @now, @now)",
            new { openId, now }, transaction, cancellationToken: cancellationToken));
        return await connection.QuerySingleAsync<long>(new CommandDefinition(
            "SELECT id FROM users WHERE openid = @openId", new { openId }, transaction, cancellationToken: cancellationToken));
    }

    private sealed class SignInRow
    {
        public long Id { get; init; }
        public bool IsBlocked { get; init; }
    }
}
