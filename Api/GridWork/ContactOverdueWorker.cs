using System.Data.Common;
using Dapper;
using Linli.Api.Auth;
using Linli.Domain.GridWork;
using Linli.Domain.Identity;
using Linli.Domain.Stats;
using Linli.Infrastructure.Hosting;
using Linli.Infrastructure.Notifications;
using Microsoft.Extensions.Options;

namespace Linli.Api.GridWork;

/// <summary>
/// Missed contacts, driven by the clock: once a visit's due date has passed, the assigned person hears of it; after
/// <see cref="GridWorkOptions.EscalateAfterDays"/> more days without a visit, their community's staff hear too. Each
/// is told once per due date (notified_due, escalated_due), whatever the number of rounds.
/// </summary>
public sealed class ContactOverdueWorker(
    DbDataSource db, NotificationWriter notifications, IOptions<GridWorkOptions> options, TimeProvider clock,
    ILogger<ContactOverdueWorker> logger) : BackgroundService
{
    public const string OverdueKind = "contact_overdue";
    public const string EscalatedKind = "contact_overdue_escalated";

    /// <summary>One round. Returns (people told, escalations to community staff).</summary>
    public async Task<(int Notified, int Escalated)> RunOnceAsync(CancellationToken ct)
    {
        var today = ChinaStandardTime.DateOf(clock.GetUtcNow());
        await using var connection = await db.OpenConnectionAsync(ct);
        // ix_contact_assignments_open (ended_at, id); the last visit of each comes from ix_visits_household.
        var open = (await connection.QueryAsync<ContactAssignmentRow>(new CommandDefinition($"""
            SELECT {ContactAssignmentRow.Columns}, {ContactAssignmentRow.HouseColumns}
            {ContactAssignmentRow.FromWithHouse}
            WHERE a.ended_at IS NULL
            """, cancellationToken: ct))).ToList();
        var (notified, escalated) = (0, 0);
        foreach (var a in open)
        {
            var due = a.DueOn;
            if (!ContactRhythms.IsOverdue(due, today))
                continue;
            if (a.NotifiedDue is null || DateOnly.FromDateTime(a.NotifiedDue.Value) != due)
            {
                if (await TellAsync(connection, a, due, "notified_due", [a.UserId], OverdueKind, "走访已逾期", ct))
                    notified++;
            }
            else if (today > due.AddDays(options.Value.EscalateAfterDays)
                && (a.EscalatedDue is null || DateOnly.FromDateTime(a.EscalatedDue.Value) != due))
            {
                var staff = await RoleHolders.OfAsync(connection, null, Roles.CommunityStaff, a.CommunityId, ct);
                if (await TellAsync(connection, a, due, "escalated_due", staff, EscalatedKind, "联系户走访逾期未办", ct))
                    escalated++;
            }
        }
        return (notified, escalated);
    }

    /// <summary>Marks the due date as told and writes the notices in one transaction; false when another round was first.</summary>
    private async Task<bool> TellAsync(DbConnection connection, ContactAssignmentRow a, DateOnly due, string column,
        IReadOnlyList<long> recipients, string kind, string title, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // Only the two fixed column names above are ever interpolated.
        var marked = await connection.ExecuteAsync(new CommandDefinition($"""
            UPDATE contact_assignments SET {column} = @due
            WHERE id = @Id AND ended_at IS NULL AND ({column} IS NULL OR {column} <> @due)
            """, new { a.Id, due = due.ToDateTime(TimeOnly.MinValue) }, transaction, cancellationToken: ct));
        if (marked == 0)
        {
            await transaction.RollbackAsync(ct);
            return false;
        }
        var dueText = due.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var body = $"{a.Address} {a.HeadName}户应于 {dueText} 前走访";
        // Our values by name; each kind's template (Notifications:Templates) says which keyword shows which.
        var data = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["category"] = "民情走访",
            ["status"] = "已逾期",
            ["text"] = body,
            ["time"] = dueText,
        };
        await notifications.WriteAsync(connection, transaction, recipients, new Notice(kind, null, title, body, data), ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicRounds.RunAsync("Contact overdue", RunOnceAsync, TimeSpan.FromSeconds(options.Value.OverdueWorkerSeconds), clock, logger, stoppingToken);
}
