using System.Data.Common;
using Dapper;
using Linli.Domain.Tickets;

namespace Linli.Api.Tickets;

/// <summary>The writes every ticket change shares: its timeline event and the photos that go with it.</summary>
public static class TicketTimeline
{
    /// <summary>Appends one event; its id is then this connection's LAST_INSERT_ID() (see <see cref="AttachPhotosAsync"/>).</summary>
    public static async Task AppendEventAsync(DbConnection connection, DbTransaction transaction, long ticketId, long? actorId,
        string actorRole, string action, TicketState? from, TicketState to, string? note, bool isInternal, DateTimeOffset now, CancellationToken ct) =>
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO ticket_events (ticket_id, actor_id, actor_role, action, from_status, to_status, note, is_internal, created_at)
            VALUES (@ticketId, @actorId, @actorRole, @action, @from, @to, @note, @isInternal, @now)
            """, new { ticketId, actorId, actorRole, action, from = from?.ToCode(), to = to.ToCode(), note, isInternal, now = now.UtcDateTime },
            transaction, cancellationToken: ct));

    /// <summary>
    /// Attaches the caller's own unattached uploads; false when any id is not one. <paramref name="toLastEvent"/>: to the
    /// event just appended on this connection (run it right after <see cref="AppendEventAsync"/>); else to the report itself.
    /// </summary>
    public static async Task<bool> AttachPhotosAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<long> ids,
        long uploaderId, long ticketId, bool toLastEvent, DateTimeOffset now, CancellationToken ct)
    {
        if (ids.Count == 0)
            return true;
        var attached = await connection.ExecuteAsync(new CommandDefinition($"""
            UPDATE uploads SET ticket_id = @ticketId, event_id = {(toLastEvent ? "LAST_INSERT_ID()" : "NULL")}, attached_at = @now
            WHERE id IN @ids AND uploader_id = @uploaderId AND ticket_id IS NULL
            """, new { ids, uploaderId, ticketId, now = now.UtcDateTime }, transaction, cancellationToken: ct));
        return attached == ids.Count;
    }
}
