using System.Data.Common;
using Dapper;
using Linli.Domain.Identity;
using Linli.Domain.Tickets;
using Linli.Infrastructure.Data;

namespace Linli.Api.Tickets;

/// <summary>
/// Moves a ticket through the state machine: decides the action (<see cref="TicketRules"/>), then in one transaction
/// sets the action's columns, writes its timeline event and photos and tells the people its row names. A transition
/// only lands if the ticket's version is still the one the decision was made on, so of two simultaneous actions
/// exactly one wins.
/// </summary>
public sealed class TicketActing(TicketNotifying notifying, TimeProvider clock)
{
    /// <summary>
    /// Applies one action. <paramref name="caller"/> is null for the system (auto-close). A deadlock or lock wait runs
    /// it again from the read of the ticket: the version check makes that safe. With an <paramref name="idempotencyKey"/>
    /// the caller used before for this action on this ticket, nothing is applied: the answer is the ticket
    /// (<see cref="TicketOutcome.Replayed"/>), as the first request's was.
    /// </summary>
    public Task<TicketOutcome> ApplyAsync(DbConnection connection, CallerScope? caller, long ticketId, TicketAction action,
        TicketActionInput input, CancellationToken ct, string? idempotencyKey = null) =>
        LockConflictRetry.RunAsync(() => ApplyOnceAsync(connection, caller, ticketId, action, input, idempotencyKey, ct), ct);

    private async Task<TicketOutcome> ApplyOnceAsync(DbConnection connection, CallerScope? caller, long ticketId, TicketAction action,
        TicketActionInput input, string? idempotencyKey, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var key = caller is null ? null : idempotencyKey;
        var spec = TicketActionTable.Of(action);
        // The people the action tells come with the ticket (no read of their own); the writes then tell them all at once.
        if (await TicketQueries.FindWithAsync<TicketNotifying.RoleHolderIds>(connection, ticketId, TicketNotifying.RecipientColumns(spec),
                TicketNotifying.RecipientParameters(input), ct) is not (var ticket, var holders))
            return new TicketOutcome.NotFound();
        var relation = caller?.RelationTo(ticket) ?? TicketCaller.System;
        // The community's party members were told of a ticket when it was published: a member who then loses the race
        // for it hears "already in progress" (409). Any other ticket they cannot see is "no such ticket" (404), so a
        // claim never tells a stranger the state of a ticket that was never offered to them.
        var toldOfIt = action == TicketAction.Claim && relation.IsPartyMember && ticket.PublishedAt is not null;
        if (caller is not null && !caller.CanSee(ticket) && !toldOfIt)
            return new TicketOutcome.NotFound();

        // A retry is answered before the rules (the action it repeats has changed the state they would judge it by),
        // but only to a caller who still sees the ticket.
        if (key is not null && await KeyedAsync(connection, caller!.UserId, key, ct) is { } earlier)
            return Retried(earlier, ticketId, action);

        var decision = TicketRules.Decide(ticket.Facts, action, relation, now);
        switch (decision.Verdict)
        {
            case TicketVerdict.Forbidden:
                return new TicketOutcome.Forbidden(decision.Reason!);
            case TicketVerdict.WrongState or TicketVerdict.LimitReached:
                return new TicketOutcome.Conflict(ticket.State, TicketRules.AllowedActions(ticket.Facts, relation, now), decision.Reason!);
        }
        if (input.DueAt is { } due && due <= now)
            return TicketOutcome.Invalid.Of("dueAt", "The due time must be in the future.");
        if (input.ReportBy is { } reportBy && reportBy <= now)
            return TicketOutcome.Invalid.Of("reportBy", "The time to report in by must be in the future.");

        var me = caller?.UserId;
        var to = spec.To(decision.To!.Value, input);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // The key first: a request with the same key running at the same time waits here for this transaction, finds
        // the key taken once it commits (nothing inserted), and answers as a retry.
        if (key is not null && await connection.ExecuteAsync(new CommandDefinition("""
                INSERT IGNORE INTO ticket_action_idempotency (user_id, idempotency_key, ticket_id, action, created_at)
                VALUES (@me, @key, @ticketId, @action, @now)
                """, new { me, key, ticketId, action = action.ToCode(), now = now.UtcDateTime }, transaction, cancellationToken: ct)) == 0)
        {
            await transaction.RollbackAsync(ct);
            return await KeyedAsync(connection, me!.Value, key, ct) is { } first ? Retried(first, ticketId, action)
                : throw new InvalidOperationException("An Idempotency-Key refused as taken is not stored.");
        }
        if (input.IntoTicketId is { } intoId)
        {
            var merge = await TicketMerging.IntoOriginalAsync(connection, transaction, caller!, ticket, intoId, now, ct);
            if (merge.Refusal is { } refusal)
            {
                await transaction.RollbackAsync(ct);
                return refusal;
            }
            input = input with { Note = merge.Note };
        }
        var changed = await connection.ExecuteAsync(new CommandDefinition($"""
            UPDATE tickets SET status = @to, version = version + 1, updated_at = @now{spec.Columns}
            WHERE id = @id AND version = @version{(input.DepartmentId is null ? "" : DepartmentIsActive)}{(input.CategoryId is null ? "" : CategoryIsActive)}
            """, new
        {
            id = ticket.Id,
            version = ticket.Version,
            to = to.ToCode(),
            now = now.UtcDateTime,
            me,
            departmentId = input.DepartmentId,
            categoryId = input.CategoryId,
            dueAt = input.DueAt?.UtcDateTime,
            satisfaction = input.Satisfaction,
            comment = input.Comment,
            intoTicketId = input.IntoTicketId,
            satisfiedAfterVisit = input.SatisfiedAfterVisit,
        }, transaction, cancellationToken: ct));
        if (changed == 0)
        {
            await transaction.RollbackAsync(ct);
            if (input.DepartmentId is { } departmentId && !await DepartmentExistsAsync(connection, departmentId, ct))
                return TicketOutcome.Invalid.Of("departmentId", "Unknown department.");
            if (input.CategoryId is { } categoryId && !await CategoryExistsAsync(connection, categoryId, ct))
                return TicketOutcome.Invalid.Of("categoryId", "No active category has this id.");
            var current = await TicketQueries.FindAsync(connection, ticketId, ct);
            var facts = current?.Facts ?? ticket.Facts;
            var currentRelation = current is null ? relation : caller?.RelationTo(current) ?? TicketCaller.System;
            return new TicketOutcome.Conflict(facts.State, TicketRules.AllowedActions(facts, currentRelation, now),
                "Someone else acted on this ticket at the same moment; reload it and try again.");
        }

        var note = spec.Note(input);
        await TicketTimeline.AppendEventAsync(connection, transaction, ticket.Id, me, ActorRole(decision.As!.Value, relation, caller, ticket),
            action.ToCode(), ticket.State, to, note, spec.NoteIsInternal, now, ct);
        if (input.SummonedDepartmentIds is { } summoned
            && !await TicketSummonses.SummonAsync(connection, transaction, ticket.Id, summoned, input.DepartmentId!.Value, input.ReportBy, me ?? 0, now, ct))
        {
            await transaction.RollbackAsync(ct);
            return TicketOutcome.Invalid.Of("departmentIds", "Each summoned department must be an active department.");
        }
        var photoIds = input.PhotoIds?.Distinct().ToList() ?? [];
        if (!await TicketTimeline.AttachPhotosAsync(connection, transaction, photoIds, me ?? 0, ticket.Id, toLastEvent: true, now, ct))
        {
            await transaction.RollbackAsync(ct);
            return TicketOutcome.Invalid.Of("photoIds", "Each photo must be your own upload, not yet attached to a ticket.");
        }
        await notifying.NotifyAsync(connection, transaction, ticket, holders, spec, to, input, me, note, now, ct);
        await transaction.CommitAsync(ct);
        return new TicketOutcome.Done(ticket.Id);
    }

    /// <summary>The ticket and action the caller used <paramref name="key"/> for (ticket_action_idempotency's primary key).</summary>
    private static Task<KeyedAction?> KeyedAsync(DbConnection connection, long me, string key, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<KeyedAction>(new CommandDefinition("""
            SELECT ticket_id AS TicketId, action AS Action FROM ticket_action_idempotency WHERE user_id = @me AND idempotency_key = @key
            """, new { me, key }, cancellationToken: ct));

    private sealed class KeyedAction
    {
        public long TicketId { get; init; }
        public string Action { get; init; } = "";
    }

    /// <summary>A retry of this action on this ticket answers the ticket; a key used for something else is refused.</summary>
    private static TicketOutcome Retried(KeyedAction earlier, long ticketId, TicketAction action) =>
        earlier.TicketId == ticketId && earlier.Action == action.ToCode()
            ? new TicketOutcome.Replayed(ticketId)
            : TicketOutcome.Invalid.Of(Hosting.IdempotencyKeys.Header,
                "This Idempotency-Key was used for another action or ticket; send a new key for a new action.");

    // A dispatch lands only on an active department: checked by the UPDATE itself, and explained only when it fails.
    private const string DepartmentIsActive = " AND EXISTS (SELECT 1 FROM departments d WHERE d.id = @departmentId AND d.is_active = 1)";

    private static async Task<bool> DepartmentExistsAsync(DbConnection connection, long departmentId, CancellationToken ct) =>
        await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM departments WHERE id = @departmentId AND is_active = 1", new { departmentId }, cancellationToken: ct)) is not null;

    // Likewise a recategorization lands only on an active category.
    private const string CategoryIsActive = " AND EXISTS (SELECT 1 FROM ticket_categories c WHERE c.id = @categoryId AND c.is_active = 1)";

    private static async Task<bool> CategoryExistsAsync(DbConnection connection, long categoryId, CancellationToken ct) =>
        await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM ticket_categories WHERE id = @categoryId AND is_active = 1", new { categoryId }, cancellationToken: ct)) is not null;

    /// <summary>The role the caller acts in, for the timeline: the party of the step taken.</summary>
    private static string ActorRole(TicketParty party, TicketCaller relation, CallerScope? caller, TicketRow ticket)
    {
        if (caller is null)
            return "system";
        string Staff() => caller.StaffCommunities.Contains(ticket.CommunityId) ? Roles.CommunityStaff : Roles.Admin;
        string Handler() =>
            ticket.HandlerDepartmentId is { } hd && caller.Departments.Contains(hd) ? Roles.DepartmentStaff
            : caller.PartyCommunities.Contains(ticket.CommunityId) && !relation.IsCommunityStaff ? Roles.PartyMember
            : relation.IsCommunityStaff ? Staff()
            : Roles.PartyMember;
        return party switch
        {
            TicketParty.CommunityStaff => Staff(),
            TicketParty.DepartmentStaff => Roles.DepartmentStaff,
            TicketParty.PartyMember => Roles.PartyMember,
            TicketParty.Submitter => Roles.Resident,
            TicketParty.NoteTaker when relation.IsCommunityStaff => Staff(),
            TicketParty.NoteTaker when relation.IsDepartmentStaff => Roles.DepartmentStaff,
            _ => Handler(),
        };
    }
}
