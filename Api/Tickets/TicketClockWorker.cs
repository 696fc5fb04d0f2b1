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
/// <see cref="TicketOptions.AutoCloseDays"/> days, and staff hear once when a ticket passes its due time.
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
        return (closed, await MarkOverdueAsync(now, ct));
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
