using System.Data.Common;
using Dapper;
using Linli.Api.Tests.Tickets;
using Linli.Infrastructure.Notifications;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Api.Tests.Notifications;

/// <summary>
/// The writer links each outbox row to its in-app notification by position after LAST_INSERT_ID() (portable where
/// INSERT … RETURNING is not): every row must point at the notification of its own person and kind, even while other
/// connections write notifications at the same time.
/// </summary>
public class NotificationWriterTests
{
    [Test]
    public async Task EachOutboxRowPointsAtItsOwnPersonsNotificationWhileOthersWriteToo()
    {
        var w = await TicketWorld.CreateAsync();
        var ticket = await w.ReportAsync();
        var writer = w.Service<NotificationWriter>();
        var db = w.Service<DbDataSource>();
        var people = new[] { w.Resident.Id, w.Staff.Id, w.DepartmentStaff.Id, w.PartyMember.Id, w.GridWorker.Id };
        var kinds = new[] { "ticket_dispatched", "ticket_urged" };

        async Task WriteAsync(int round)
        {
            await using var connection = await db.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            var notices = kinds.Select((kind, k) => ((IEnumerable<long>)people.Skip(k).ToArray(),
                new Notice(kind, ticket.Id, $"round {round}", "正文", new Dictionary<string, string?>()))).ToList();
            await writer.WriteAsync(connection, transaction, notices, CancellationToken.None);
            await transaction.CommitAsync();
        }
        await Task.WhenAll(Enumerable.Range(0, 8).Select(WriteAsync));

        await using var check = await db.OpenConnectionAsync();
        var rows = (await check.QueryAsync<(long OutboxUser, string OutboxKind, long? NotificationUser, string? NotificationKind)>("""
            SELECT o.user_id, o.kind, n.user_id, n.kind
            FROM notification_outbox o LEFT JOIN notifications n ON n.id = o.notification_id
            WHERE o.notification_id IN (SELECT id FROM notifications WHERE ticket_id = @id AND title LIKE 'round %')
               OR n.id IS NULL AND o.user_id IN @people AND o.kind IN @kinds
            """, new { id = ticket.Id, people, kinds })).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(rows, Has.Count.EqualTo(8 * (5 + 4)), "one outbox row per person told");
            Assert.That(rows.Where(r => r.OutboxUser != r.NotificationUser || r.OutboxKind != r.NotificationKind), Is.Empty);
        });
    }
}
