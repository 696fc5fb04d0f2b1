using System.Data.Common;
using Dapper;

namespace Linli.Api.Tickets;

/// <summary>
/// Who follows a ticket ("me too"). Every change keeps <c>tickets.followers</c> in step inside the caller's transaction;
/// the primary key (ticket_id, user_id) admits each person once, however many times they press the button.
/// </summary>
public static class TicketFollowers
{
    /// <summary>Adds one follower; true when they were not following yet.</summary>
    public static async Task<bool> AddAsync(DbConnection connection, DbTransaction transaction, long ticketId, long userId, DateTimeOffset now, CancellationToken ct)
    {
        var added = await connection.ExecuteAsync(new CommandDefinition("""
            INSERT IGNORE INTO ticket_followers (ticket_id, user_id, created_at) VALUES (@ticketId, @userId, @now)
            """, new { ticketId, userId, now = now.UtcDateTime }, transaction, cancellationToken: ct));
        if (added > 0)
            await CountAsync(connection, transaction, ticketId, added, ct);
        return added > 0;
    }

    /// <summary>Stops following; false when the person was not following.</summary>
    public static async Task<bool> RemoveAsync(DbConnection connection, DbTransaction transaction, long ticketId, long userId, CancellationToken ct)
    {
        var removed = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM ticket_followers WHERE ticket_id = @ticketId AND user_id = @userId", new { ticketId, userId }, transaction, cancellationToken: ct));
        if (removed > 0)
            await CountAsync(connection, transaction, ticketId, -removed, ct);
        return removed > 0;
    }

    /// <summary>
    /// A merged duplicate's reporter and followers follow its original (except the original's own reporter, who is told
    /// already); returns how many were added. Set-based: one statement however many follow the duplicate.
    /// </summary>
    public static async Task<int> HandOnAsync(DbConnection connection, DbTransaction transaction, long duplicateId, long duplicateSubmitterId,
        long originalId, long originalSubmitterId, DateTimeOffset now, CancellationToken ct)
    {
        var added = await connection.ExecuteAsync(new CommandDefinition("""
            INSERT IGNORE INTO ticket_followers (ticket_id, user_id, created_at)
            SELECT @originalId, people.user_id, @now
            FROM (SELECT @duplicateSubmitterId AS user_id UNION SELECT user_id FROM ticket_followers WHERE ticket_id = @duplicateId) people
            WHERE people.user_id <> @originalSubmitterId
            """, new { duplicateId, duplicateSubmitterId, originalId, originalSubmitterId, now = now.UtcDateTime }, transaction, cancellationToken: ct));
        if (added > 0)
            await CountAsync(connection, transaction, originalId, added, ct);
        return added;
    }

    private static Task<int> CountAsync(DbConnection connection, DbTransaction transaction, long ticketId, int change, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            "UPDATE tickets SET followers = followers + @change WHERE id = @ticketId", new { ticketId, change }, transaction, cancellationToken: ct));
}
