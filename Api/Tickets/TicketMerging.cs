using System.Data.Common;
using Dapper;
using Linli.Domain.Identity;
using Linli.Domain.Tickets;

namespace Linli.Api.Tickets;

/// <summary>
/// What the merge row of <see cref="TicketActionTable"/> cannot say, because it touches another ticket (issue 15): the
/// original is checked and locked, its timeline records the merge, the duplicate's photos move to that event, and the
/// duplicate's reporter and followers follow the original. Runs inside the action's transaction, before the duplicate's
/// own version-checked UPDATE, so a refused or lost merge leaves nothing behind.
/// </summary>
public static class TicketMerging
{
    /// <summary>The duplicate's timeline note when the merge may go ahead, or the outcome that refuses it.</summary>
    public sealed record Result(string? Note, TicketOutcome? Refusal);

    private sealed class LockedRow
    {
        public long Id { get; init; }
        public string Number { get; init; } = "";
        public string Status { get; init; } = "";
        public long CommunityId { get; init; }
        public long SubmitterId { get; init; }
    }

    public static async Task<Result> IntoOriginalAsync(DbConnection connection, DbTransaction transaction, CallerScope caller,
        TicketRow duplicate, long intoId, DateTimeOffset now, CancellationToken ct)
    {
        if (intoId == duplicate.Id)
            return Refused(TicketOutcome.Invalid.Of("intoTicketId", "A ticket cannot be merged into itself."));
        // Both rows locked in id order before anything is decided: a second merge of the same pair, or a crossing one
        // (A into B, B into A), waits here and then decides on what the first one left, instead of deadlocking.
        var locked = (await connection.QueryAsync<LockedRow>(new CommandDefinition("""
            SELECT id, number, status, community_id, submitter_id FROM tickets WHERE id IN (@duplicateId, @intoId) ORDER BY id FOR UPDATE
            """, new { duplicateId = duplicate.Id, intoId }, transaction, cancellationToken: ct))).ToList();
        var original = locked.SingleOrDefault(t => t.Id == intoId);
        if (original is null || !(caller.IsAdmin || caller.StaffCommunities.Contains(original.CommunityId)))
            return Refused(TicketOutcome.Invalid.Of("intoTicketId", "No such ticket in a community you work for."));
        var state = TicketStates.Parse(original.Status);
        if (!state.IsOpen())
            return Refused(new TicketOutcome.Conflict(state, [],
                $"Ticket {original.Number} is {original.Status}: a ticket can only be merged into one that is still open."));

        var role = caller.StaffCommunities.Contains(original.CommunityId) ? Roles.CommunityStaff : Roles.Admin;
        await TicketTimeline.AppendEventAsync(connection, transaction, intoId, caller.UserId, role, TicketAction.Merge.ToCode(),
            state, state, $"合并了重复诉求 {duplicate.Number}", false, now, ct);
        // The duplicate's photos show on the original's timeline, under the event just written (ix_uploads_ticket).
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE uploads SET ticket_id = @intoId, event_id = LAST_INSERT_ID() WHERE ticket_id = @duplicateId
            """, new { intoId, duplicateId = duplicate.Id }, transaction, cancellationToken: ct));
        await TicketFollowers.HandOnAsync(connection, transaction, duplicate.Id, duplicate.SubmitterId, intoId, original.SubmitterId, now, ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE tickets SET updated_at = @now WHERE id = @intoId", new { intoId, now = now.UtcDateTime }, transaction, cancellationToken: ct));
        return new Result($"已合并到 {original.Number}", null);
    }

    private static Result Refused(TicketOutcome outcome) => new(null, outcome);
}
