using Linli.Infrastructure.Hosting;
using System.Data.Common;
using Dapper;
using Linli.Infrastructure.Storage;

namespace Linli.Api.Uploads;

/// <summary>Deletes uploads that no ticket took within a day: the file first, then the row.</summary>
public sealed partial class UploadCleanupWorker(
    DbDataSource db, UploadStorage storage, TimeProvider clock, ILogger<UploadCleanupWorker> logger)
    : BackgroundService
{
    public static readonly TimeSpan KeepUnattached = TimeSpan.FromDays(1);

    private sealed class Orphan
    {
        public long Id { get; init; }
        public string StoredName { get; init; } = "";
    }

    /// <summary>One round; returns how many uploads were removed.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var cutoff = (clock.GetUtcNow() - KeepUnattached).UtcDateTime;
        await using var connection = await db.OpenConnectionAsync(ct);
        // ix_uploads_unattached
        var orphans = (await connection.QueryAsync<Orphan>(new CommandDefinition("""
            SELECT id, stored_name FROM uploads WHERE ticket_id IS NULL AND visit_id IS NULL AND notice_id IS NULL AND created_at < @cutoff ORDER BY created_at LIMIT 500
            """, new { cutoff }, cancellationToken: ct))).ToList();
        var removed = 0;
        foreach (var orphan in orphans)
        {
            // Only if still unattached: a ticket may take the photo at this very moment.
            var deleted = await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM uploads WHERE id = @Id AND ticket_id IS NULL AND visit_id IS NULL AND notice_id IS NULL", new { orphan.Id }, cancellationToken: ct));
            if (deleted == 0)
                continue;
            storage.Delete(orphan.StoredName);
            removed++;
        }
        return removed;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicRounds.RunAsync("Upload cleanup", RunOnceAsync, TimeSpan.FromHours(1), clock, logger, stoppingToken);
}
