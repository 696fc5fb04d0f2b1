using System.Data.Common;
using Dapper;
using Linli.Domain.Tickets;

namespace Linli.Api.Tickets;

/// <summary>The writes every ticket change shares: its timeline event and the photos that go with it.</summary>
public static class TicketTimeline
{
    public static async Task<long> AppendEventAsync(DbConnection connection, DbTransaction transaction, long ticketId, long? actorId,
        string actorRole, string action, TicketState? from, TicketState to, string? note, bool isInternal, DateTimeOffset now, CancellationToken ct) =>
        await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO ticket_events (ticket_id, actor_id, actor_role, action, from_status, to_status, note, is_internal, created_at)
            VALUES (@ticketId, @actorId, @actorRole, @action, @from, @to, @note, @isInternal, @now);
            SELECT LAST_INSERT_ID();
            """, new { ticketId, actorId, actorRole, action, from = from?.ToCode(), to = to.ToCode(), note, isInternal, now = now.UtcDateTime },
            transaction, cancellationToken: ct));

    /// <summary>Attaches the caller's own unattached uploads; false when any id is not one.</summary>
    public static async Task<bool> AttachPhotosAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<long> ids,
        long uploaderId, long ticketId, long? eventId, DateTimeOffset now, CancellationToken ct)
    {
        if (ids.Count == 0)
            return true;
        var attached = await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE uploads SET ticket_id = @ticketId, event_id = @eventId, attached_at = @now
            WHERE id IN @ids AND uploader_id = @uploaderId AND ticket_id IS NULL
            """, new { ids, uploaderId, ticketId, eventId, now = now.UtcDateTime }, transaction, cancellationToken: ct));
        return attached == ids.Count;
    }
}
