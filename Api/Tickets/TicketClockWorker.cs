using Linli.Api.Auth;
using Linli.Infrastructure.Hosting;
using System.Data.Common;
using Dapper;
using Linli.Domain.Identity;
using Linli.Domain.Tickets;
using Linli.Infrastructure.Notifications;
using Microsoft.Extensions.Options;

namespace Linli.Api.Tickets;

/// <summary>
/// What happens to tickets with the passing of time: resolved tickets nobody evaluated close after
/// <see cref="TicketOptions.AutoCloseDays"/> days, staff hear once when a ticket passes its due time, and overdue tickets
/// and late summonses escalate to the street office.
/// </summary>
public sealed partial class TicketClockWorker(
    DbDataSource db, TicketActing acting, NotificationWriter notifications, IOptions<TicketOptions> options,
    TimeProvider clock, ILogger<TicketClockWorker> logger) : BackgroundService
{
    private const int Batch = 200;

    /// <summary>One round. Returns (tickets auto-closed, tickets newly overdue).</summary>
    public async Task<(int Closed, int Overdue)> RunOnceAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var cutoff = now.AddDays(-options.Value.AutoCloseDays).UtcDateTime;
        List<long> resolved;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            // ix_tickets_status_resolved
            resolved = (await connection.QueryAsync<long>(new CommandDefinition("""
                SELECT id FROM tickets WHERE status = 'resolved' AND resolved_at <= @cutoff ORDER BY resolved_at LIMIT @Batch
                """, new { cutoff, Batch }, cancellationToken: ct))).ToList();
        }
        var closed = 0;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            foreach (var id in resolved)
            {
                // Through the state machine like any action: a resident evaluating at this moment wins or loses cleanly.
                if (await acting.ApplyAsync(connection, null, id, TicketAction.AutoClose, TicketActionInput.None, ct) is TicketOutcome.Done)
                    closed++;
            }
        }
        var overdue = await MarkOverdueAsync(now, ct);
        await EscalateAsync(ct);
        return (closed, overdue);
    }

    /// <summary>
    /// Climbs every unfinished ticket that is past a step of <see cref="TicketOptions.EscalationSteps"/> one level per step
    /// reached, and escalates every summons not answered by its report-by time, once. Each climb is on the timeline and
    /// the street leaders of the ticket's street office are told. Returns (ticket steps taken, summonses escalated).
    /// </summary>
    public async Task<(int Tickets, int Summonses)> EscalateAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var steps = options.Value.EscalationSteps;
        await using var connection = await db.OpenConnectionAsync(ct);
        var climbed = 0;
        for (var level = 1; level <= steps.Count; level++)
        {
            var cutoff = now.AddHours(-steps[level - 1]).UtcDateTime;
            // ix_tickets_escalation
            var ids = (await connection.QueryAsync<long>(new CommandDefinition("""
                SELECT id FROM tickets
                WHERE escalation_level = @below AND status IN ('dispatched', 'in_progress') AND due_at <= @cutoff
                ORDER BY due_at LIMIT @Batch
                """, new { below = level - 1, cutoff, Batch }, cancellationToken: ct))).ToList();
            foreach (var id in ids)
            {
                await using var transaction = await connection.BeginTransactionAsync(ct);
                // The same conditions again: a ticket resolved or escalated since the SELECT does not climb.
                var changed = await connection.ExecuteAsync(new CommandDefinition("""
                    UPDATE tickets SET escalation_level = @level
                    WHERE id = @id AND escalation_level = @below AND status IN ('dispatched', 'in_progress') AND due_at <= @cutoff
                    """, new { id, level, below = level - 1, cutoff }, transaction, cancellationToken: ct));
                var ticket = changed == 0 ? null : await TicketQueries.FindAsync(connection, id, ct, transaction);
                if (ticket is null)
                {
                    await transaction.RollbackAsync(ct);
                    continue;
                }
                var note = $"超期 {steps[level - 1]} 小时，升级至第 {level} 级";
                await TicketTimeline.AppendEventAsync(connection, transaction, id, null, "system", "escalate", ticket.State, ticket.State,
                    note, false, now, ct);
                await TellStreetAsync(connection, transaction, ticket, "ticket_escalated", "诉求超期升级", note, now, ct);
                await transaction.CommitAsync(ct);
                climbed++;
            }
        }
        return (climbed, await EscalateSummonsesAsync(connection, now, ct));
    }

    private async Task<int> EscalateSummonsesAsync(DbConnection connection, DateTimeOffset now, CancellationToken ct)
    {
        // ix_ticket_summonses_report_by
        var late = (await connection.QueryAsync<(long Id, long TicketId)>(new CommandDefinition("""
            SELECT id, ticket_id FROM ticket_summonses
            WHERE status = 'summoned' AND report_by < @now AND escalated_at IS NULL
            ORDER BY report_by LIMIT @Batch
            """, new { now = now.UtcDateTime, Batch }, cancellationToken: ct))).ToList();
        var count = 0;
        foreach (var (summonsId, ticketId) in late)
        {
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var changed = await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE ticket_summonses SET escalated_at = @now
                WHERE id = @summonsId AND status = 'summoned' AND report_by < @now AND escalated_at IS NULL
                """, new { summonsId, now = now.UtcDateTime }, transaction, cancellationToken: ct));
            var ticket = changed == 0 ? null : await TicketQueries.FindAsync(connection, ticketId, ct, transaction);
            if (ticket is null)
            {
                await transaction.RollbackAsync(ct);
                continue;
            }
            var department = ticket.Summonses.First(s => s.Id == summonsId).DepartmentName;
            var note = $"{department} 未按时报到";
            await TicketTimeline.AppendEventAsync(connection, transaction, ticketId, null, "system", "summons_escalate", ticket.State,
                ticket.State, note, false, now, ct);
            await TellStreetAsync(connection, transaction, ticket, "summons_escalated", "部门未按时报到", note, now, ct);
            await transaction.CommitAsync(ct);
            count++;
        }
        return count;
    }

    /// <summary>Tells the street leaders of the ticket's street office.</summary>
    private async Task TellStreetAsync(DbConnection connection, DbTransaction transaction, TicketRow ticket, string kind, string title,
        string note, DateTimeOffset now, CancellationToken ct)
    {
        var streetOffice = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT street_office_id FROM communities WHERE id = @id", new { id = ticket.CommunityId }, transaction, cancellationToken: ct));
        var leaders = await RoleHolders.OfAsync(connection, transaction, Roles.StreetLeader, streetOffice, ct);
        if (leaders.Count > 0)
            await notifications.WriteAsync(connection, transaction, leaders, TicketNotices.For(kind, ticket, ticket.State, title, note, now), ct);
    }

    private async Task<int> MarkOverdueAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        // ix_tickets_status_due
        var due = (await connection.QueryAsync<long>(new CommandDefinition("""
            SELECT id FROM tickets
            WHERE status IN ('dispatched', 'in_progress') AND due_at < @now AND overdue_notified_at IS NULL
            ORDER BY due_at LIMIT @Batch
            """, new { now = now.UtcDateTime, Batch }, cancellationToken: ct))).ToList();
        var count = 0;
        foreach (var id in due)
        {
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var marked = await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE tickets SET overdue_notified_at = @now
                WHERE id = @id AND overdue_notified_at IS NULL AND status IN ('dispatched', 'in_progress') AND due_at < @now
                """, new { id, now = now.UtcDateTime }, transaction, cancellationToken: ct));
            var ticket = marked == 0 ? null : await TicketQueries.FindAsync(connection, id, ct, transaction);
            if (ticket is null)
            {
                await transaction.RollbackAsync(ct);
                continue;
            }
            var staff = (await RoleHolders.OfAsync(connection, transaction, Roles.CommunityStaff, ticket.CommunityId, ct)).ToList();
            if (ticket.HandlerUserId is { } handler)
                staff.Add(handler);
            await notifications.WriteAsync(connection, transaction, staff,
                TicketNotices.For("ticket_overdue", ticket, ticket.State, "诉求已超期", null, now), ct);
            await transaction.CommitAsync(ct);
            count++;
        }
        return count;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicRounds.RunAsync("Ticket clock", RunOnceAsync, TimeSpan.FromSeconds(options.Value.ClockWorkerSeconds), clock, logger, stoppingToken);
}
