using System.Data.Common;
using Dapper;
using Linli.Api.Auth;
using Linli.Api.Tickets;

namespace Linli.Api.Demo;

/// <summary>
/// A few tickets residents reported and nobody dispatched yet, so the console's board has something to dispatch.
/// They go through the real report (<see cref="TicketReporting.CreateAsync"/>: numbering, timeline, content check)
/// on its own connection and transaction; a fixed idempotency key per ticket makes a repeated run answer the same ticket, not a new one.
/// </summary>
public sealed class TicketsDemoSeeder(TicketReporting reporting, DbDataSource db) : IDemoSeeder
{
    public string Name => "tickets";
    public int Order => 30;

    private static readonly (string Key, string Resident, string Community, string Grid, string Category, string Description)[] Reports =
    [
        ("demo-ticket-1", "resident-zhang", DemoData.Chuanfang, "第一网格", "设施维修", "3栋楼道的灯坏了一个星期，晚上老人上下楼很危险。"),
        ("demo-ticket-2", "resident-liu", DemoData.Chuanfang, "第二网格", "环境卫生", "菜市场后门的垃圾两天没有清运，味道很大。"),
        ("demo-ticket-3", "resident-chen", DemoData.XinLiushidong, "第一网格", "邻里纠纷", "楼上住户每天深夜装修，多次沟通无果，请社区协调。"),
    ];

    public async Task SeedAsync(DemoSeedContext context, CancellationToken cancellationToken)
    {
        foreach (var report in Reports)
        {
            var categoryId = await context.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT id FROM ticket_categories WHERE name = @Category", new { report.Category }, context.Transaction, cancellationToken: cancellationToken));
            var resident = new CallerScope(new Caller(await context.UserIdAsync(report.Resident), []));
            var request = new CreateTicketRequest(categoryId, report.Description, GridId: await context.GridIdAsync(report.Community, report.Grid));
            await using var connection = await db.OpenConnectionAsync(cancellationToken);
            var outcome = await reporting.CreateCheckedAsync(connection, resident, report.Key, request, cancellationToken);
            if (outcome is not (TicketOutcome.Done or TicketOutcome.Replayed))
                throw new InvalidOperationException($"The demo ticket {report.Key} was not accepted: {outcome}.");
        }
    }
}
