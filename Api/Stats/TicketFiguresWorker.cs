using System.Data.Common;
using Linli.Api.Tickets;
using Linli.Infrastructure.Hosting;
using Microsoft.Extensions.Options;

namespace Linli.Api.Stats;

/// <summary>
/// Counts again, every <see cref="TicketOptions.FiguresWorkerSeconds"/>, the community days whose tickets changed, so a
/// request for figures finds little or nothing left to count; after migration 0114 it counts every day there is.
/// Requests do not depend on it: each counts its own communities' stale days before reading.
/// </summary>
public sealed class TicketFiguresWorker(DbDataSource db, IOptions<TicketOptions> options, TimeProvider clock, ILogger<TicketFiguresWorker> logger)
    : BackgroundService
{
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await TicketFiguresStore.RefreshAsync(connection, null, ct);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicRounds.RunAsync("Ticket figures", RunOnceAsync, TimeSpan.FromSeconds(options.Value.FiguresWorkerSeconds), clock, logger, stoppingToken);
}
