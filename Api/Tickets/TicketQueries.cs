using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Dapper;

namespace Linli.Api.Tickets;

/// <summary>The reads of the tickets feature: one ticket with its names and photos, and its timeline.</summary>
public static class TicketQueries
{
    // Everything a ticket page shows, by primary key. The handler's 党员 badge (党员亮身份) shows only for a report-in
    // confirmed in the ticket's own community whose member agreed to show it (ix_party_members_user); ux_party_members_open
    // allows one confirmed report-in per user and community, so the join adds no rows. The followers come with the
    // ticket (ticket_followers' primary key), so telling them costs no look-up of its own.
    private const string TicketColumns = """
        SELECT t.id, t.number, t.category_id, c.name AS category_name, c.default_department_id AS suggested_department_id, t.community_id, cm.name AS community_name,
               t.grid_id, t.house_id, t.house_code, t.address, t.latitude, t.longitude, t.description, t.channel,
               t.submitter_id, su.nickname AS submitter_name, t.contact_phone_cipher, t.on_behalf_name, t.on_behalf_phone_cipher,
               t.needs_review, t.status, t.department_id, d.name AS department_name,
               t.handler_user_id, hu.nickname AS handler_name,
               pm.name AS handler_badge_name, pm.organisation AS handler_badge_organisation,
               t.handler_department_id, t.dispatched_by, t.published_at, t.due_at, t.escalation_level, t.reopen_count, t.followers, t.merged_into_id, t.last_urged_at, t.satisfaction,
               t.evaluation_comment, t.satisfied_after_visit, t.resolved_at, t.closed_at, t.version, t.created_at, t.updated_at,
               (SELECT GROUP_CONCAT(p.id ORDER BY p.id) FROM uploads p WHERE p.ticket_id = t.id AND p.event_id IS NULL) AS photo_ids,
               (SELECT JSON_ARRAYAGG(JSON_OBJECT('id', s.id, 'departmentId', s.department_id, 'departmentName', sd.name,
                                                 'isLead', s.is_lead, 'status', s.status, 'reportBy', s.report_by,
                                                 'answeredAt', s.answered_at, 'note', s.note))
                FROM ticket_summonses s JOIN departments sd ON sd.id = s.department_id WHERE s.ticket_id = t.id) AS summonses_json,
               (SELECT JSON_ARRAYAGG(f.user_id) FROM ticket_followers f WHERE f.ticket_id = t.id) AS followers_json
        """;

    private const string FromTicket = """

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
        return await connection.QuerySingleOrDefaultAsync<TicketRow>(new CommandDefinition(TicketColumns + FromTicket, new { id }, transaction, cancellationToken: ct));
    }

    /// <summary>
    /// The ticket with extra columns of the caller's choosing (fixed text, e.g. the people an action tells, from
    /// <see cref="Linli.Api.Auth.RoleHolders"/>) in the same statement, mapped onto <typeparamref name="TExtra"/>. The extra
    /// columns start with <c>1 AS extra</c>, where the mapping splits the row.
    /// </summary>
    public static async Task<(TicketRow Ticket, TExtra Extra)?> FindWithAsync<TExtra>(DbConnection connection, long id, string extraColumns,
        object parameters, CancellationToken ct)
    {
        var args = new DynamicParameters(parameters);
        args.Add("id", id);
        var rows = await connection.QueryAsync<TicketRow, TExtra, (TicketRow, TExtra)>(new CommandDefinition(
            TicketColumns + ",\n       1 AS extra" + extraColumns + FromTicket, args, cancellationToken: ct), (t, e) => (t, e), splitOn: "extra");
        return rows.SingleOrDefault() is { Item1: not null } row ? row : null;
    }

    // The timeline as a JSON array in the ticket's own row (ix_ticket_events_ticket; the photos by ix_uploads_ticket), so
    // a ticket page is one statement. The events are put in order after parsing: MySQL's JSON_ARRAYAGG takes no
    // ORDER BY (MariaDB's does). MariaDB's JSON_ARRAYAGG is cut at group_concat_max_len (1 MB by default): a timeline that
    // long is read on its own (see FindWithEventsAsync).
    private const string EventsColumn = """
        ,
               (SELECT JSON_ARRAYAGG(JSON_OBJECT('id', e.id, 'actorId', e.actor_id, 'actorName', u.nickname, 'actorRole', e.actor_role,
                                                 'action', e.action, 'fromStatus', e.from_status, 'toStatus', e.to_status, 'note', e.note,
                                                 'isInternal', e.is_internal, 'createdAt', e.created_at,
                                                 'photoIds', (SELECT GROUP_CONCAT(p.id ORDER BY p.id) FROM uploads p
                                                              WHERE p.ticket_id = e.ticket_id AND p.event_id = e.id)))
                FROM ticket_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.ticket_id = t.id) AS events_json
        """;

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

    private sealed class TicketWithEvents
    {
        public string? EventsJson { get; init; }
    }

    /// <summary>A ticket page: the ticket with its timeline, each event with its photos, in one statement; null when there is no such ticket.</summary>
    public static async Task<(TicketRow Ticket, IReadOnlyList<TicketEventRow> Events)?> FindWithEventsAsync(DbConnection connection, long id, CancellationToken ct)
    {
        var rows = await connection.QueryAsync<TicketRow, TicketWithEvents, (TicketRow, TicketWithEvents)>(new CommandDefinition(
            TicketColumns + ",\n       1 AS extra" + EventsColumn + FromTicket, new { id }, cancellationToken: ct), (t, e) => (t, e), splitOn: "extra");
        if (rows.SingleOrDefault() is not ({ } ticket, var extra))
            return null;
        var events = ParseEvents(extra.EventsJson)
            ?? (await connection.QueryAsync<TicketEventRow>(new CommandDefinition(SelectEvents, new { id }, cancellationToken: ct))).ToList();
        return (ticket, events);
    }

    /// <summary>The events of the JSON timeline; null when the array was cut short (group_concat_max_len), to be read on its own.</summary>
    private static List<TicketEventRow>? ParseEvents(string? json)
    {
        if (json is null)
            return [];
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
        using (document)
        {
            static string? Text(JsonElement e, string name) => e.GetProperty(name) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;
            return document.RootElement.EnumerateArray().Select(e => new TicketEventRow
            {
                Id = e.GetProperty("id").GetInt64(),
                ActorId = e.GetProperty("actorId") is { ValueKind: JsonValueKind.Number } actor ? actor.GetInt64() : null,
                ActorName = Text(e, "actorName"),
                ActorRole = Text(e, "actorRole") ?? "",
                Action = Text(e, "action") ?? "",
                FromStatus = Text(e, "fromStatus"),
                ToStatus = Text(e, "toStatus") ?? "",
                Note = Text(e, "note"),
                IsInternal = e.GetProperty("isInternal").GetInt32() != 0,
                CreatedAt = DateTime.Parse(Text(e, "createdAt")!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
                PhotoIds = Text(e, "photoIds"),
            }).OrderBy(e => e.Id).ToList();
        }
    }
}
