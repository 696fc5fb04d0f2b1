using System.Data.Common;
using Dapper;

namespace Linli.Api.Tickets;

/// <summary>The reads of the tickets feature: one ticket with its names and photos, and its timeline.</summary>
public static class TicketQueries
{
    // Everything a ticket page shows, by primary key. The handler's 党员 badge (党员亮身份) shows only for a report-in
    // confirmed in the ticket's own community whose member agreed to show it (ix_party_members_user); ux_party_members_open
    // allows one confirmed report-in per user and community, so the join adds no rows.
    private const string SelectTicket = """
        SELECT t.id, t.number, t.category_id, c.name AS category_name, c.default_department_id AS suggested_department_id, t.community_id, cm.name AS community_name,
               t.grid_id, t.house_id, t.house_code, t.address, t.latitude, t.longitude, t.description, t.channel,
               t.submitter_id, su.nickname AS submitter_name, t.contact_phone_cipher, t.on_behalf_name, t.on_behalf_phone_cipher,
               t.needs_review, t.status, t.department_id, d.name AS department_name,
               t.handler_user_id, hu.nickname AS handler_name,
               pm.name AS handler_badge_name, pm.organisation AS handler_badge_organisation,
               t.handler_department_id, t.dispatched_by, t.published_at, t.due_at, t.escalation_level, t.reopen_count, t.last_urged_at, t.satisfaction,
               t.evaluation_comment, t.satisfied_after_visit, t.resolved_at, t.closed_at, t.version, t.created_at, t.updated_at,
               (SELECT GROUP_CONCAT(p.id ORDER BY p.id) FROM uploads p WHERE p.ticket_id = t.id AND p.event_id IS NULL) AS photo_ids,
               (SELECT JSON_ARRAYAGG(JSON_OBJECT('id', s.id, 'departmentId', s.department_id, 'departmentName', sd.name,
                                                 'isLead', s.is_lead, 'status', s.status, 'reportBy', s.report_by,
                                                 'answeredAt', s.answered_at, 'note', s.note) ORDER BY s.id)
                FROM ticket_summonses s JOIN departments sd ON sd.id = s.department_id WHERE s.ticket_id = t.id) AS summonses_json
        FROM tickets t
        JOIN ticket_categories c ON c.id = t.category_id
        JOIN communities cm ON cm.id = t.community_id
        JOIN users su ON su.id = t.submitter_id
        LEFT JOIN departments d ON d.id = t.department_id
        LEFT JOIN users hu ON hu.id = t.handler_user_id
        LEFT JOIN party_members pm ON pm.user_id = t.handler_user_id AND pm.community_id = t.community_id
                                  AND pm.status = 'confirmed' AND pm.show_badge = 1
        WHERE t.id = @id
        """;

    public static async Task<TicketRow?> FindAsync(DbConnection connection, long id, CancellationToken ct, DbTransaction? transaction = null)
    {
        return await connection.QuerySingleOrDefaultAsync<TicketRow>(new CommandDefinition(SelectTicket, new { id }, transaction, cancellationToken: ct));
    }

    // ix_ticket_events_ticket; the photos by ix_uploads_ticket.
    private const string SelectEvents = """
        SELECT e.id, e.actor_id, u.nickname AS actor_name, e.actor_role, e.action, e.from_status, e.to_status,
               e.note, e.is_internal, e.created_at,
               (SELECT GROUP_CONCAT(p.id ORDER BY p.id) FROM uploads p WHERE p.ticket_id = e.ticket_id AND p.event_id = e.id) AS photo_ids
        FROM ticket_events e
        LEFT JOIN users u ON u.id = e.actor_id
        WHERE e.ticket_id = @id
        ORDER BY e.id
        """;

    /// <summary>The ticket's timeline, each event with its photos.</summary>
    public static async Task<IReadOnlyList<TicketEventRow>> EventsAsync(DbConnection connection, long id, CancellationToken ct) =>
        (await connection.QueryAsync<TicketEventRow>(new CommandDefinition(SelectEvents, new { id }, cancellationToken: ct))).ToList();

    /// <summary>
    /// A ticket this request has just written, with its timeline, in one round trip. Only for a ticket that exists:
    /// a first result that is empty would leave the second unread on the connection.
    /// </summary>
    public static async Task<(TicketRow Ticket, IReadOnlyList<TicketEventRow> Events)> FindWrittenAsync(DbConnection connection, long id, CancellationToken ct)
    {
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            SelectTicket + ";\n" + SelectEvents, new { id }, cancellationToken: ct));
        var ticket = await results.ReadSingleOrDefaultAsync<TicketRow>()
            ?? throw new InvalidOperationException($"Ticket {id} vanished right after it was written.");
        var events = (await results.ReadAsync<TicketEventRow>()).ToList();
        return (ticket, events);
    }
}
