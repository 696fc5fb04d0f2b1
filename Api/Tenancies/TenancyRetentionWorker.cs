using System.Data.Common;
using Dapper;
using Linli.Infrastructure.Hosting;

namespace Linli.Api.Tenancies;

/// <summary>
/// PIPL: personal data is kept no longer than needed. The identity number and phone of a tenancy that ended (moved
/// out, or a registration declined) more than <c>Tenancies:RetentionDays</c> ago are erased — ciphers and look-up hashes
/// alike, so 以人找房 no longer finds it. The tenancy stays (name, room, dates: the house's history) and so do the
/// audit rows, which never held the numbers.
/// </summary>
public sealed class TenancyRetentionWorker(DbDataSource db, TimeProvider clock, IConfiguration configuration, ILogger<TenancyRetentionWorker> logger)
    : BackgroundService
{
    public const int DefaultRetentionDays = 365;

    private int RetentionDays => Math.Max(1, configuration.GetValue("Tenancies:RetentionDays", DefaultRetentionDays));

    /// <summary>One round; returns how many tenancies were erased. Batches of 500 (on ix_tenancies_retention), until none is left.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var cutoff = now.AddDays(-RetentionDays);
        // Move-out dates are China's calendar dates.
        var lastMoveOut = DateOnly.FromDateTime(cutoff.ToOffset(TimeSpan.FromHours(8)).DateTime).AddDays(-1);
        await using var connection = await db.OpenConnectionAsync(ct);
        var erased = 0;
        while (true)
        {
            var batch = await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE tenancies
                SET document_cipher = NULL, document_hash = NULL, phone_cipher = NULL, phone_hash = NULL,
                    erased_at = @now, updated_at = @now
                WHERE erased_at IS NULL
                  AND ((status = 'moved_out' AND move_out_date <= @lastMoveOut) OR (status = 'declined' AND decided_at < @cutoff))
                LIMIT 500
                """, new { now = now.UtcDateTime, lastMoveOut = lastMoveOut.ToDateTime(TimeOnly.MinValue), cutoff = cutoff.UtcDateTime },
                cancellationToken: ct));
            erased += batch;
            if (batch < 500)
                return erased;
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicRounds.RunAsync("Tenancy retention", RunOnceAsync, TimeSpan.FromHours(6), clock, logger, stoppingToken);
}
