using Linli.Infrastructure.Data;
using Linli.Infrastructure.Hosting;
using System.Data.Common;
using System.Text.Json;
using Dapper;
using Linli.Infrastructure.Wechat;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Linli.Infrastructure.Notifications;

/// <summary>
/// Delivers the outbox as WeChat subscribe messages. Each round claims due rows with
/// <c>FOR UPDATE SKIP LOCKED</c> (two instances never take the same row) and leases them by moving
/// <c>next_attempt_at</c> forward; a worker that dies after sending but before marking lets the lease
/// run out and the row is sent again: at least once, never lost. Errors that no retry can cure are final
/// (<see cref="FinalErrors"/>): the row is marked failed at once and counted as undeliverable for its kind
/// (<see cref="NotificationMetrics"/>); other failures retry with exponential backoff up to MaxAttempts.
/// </summary>
public sealed partial class OutboxWorker(
    DbDataSource db, IServiceProvider services, IOptions<NotificationOptions> options, TimeProvider clock,
    NotificationMetrics metrics, ILogger<OutboxWorker> logger)
    : BackgroundService
{
    public const int BadOpenId = 40003;
    public const int BadTemplateId = 40037;
    public const int BadPage = 41030;
    public const int NotSubscribed = 43101;
    public const int BadTemplateData = 47003;

    /// <summary>subscribeMessage.send's errcodes that mean this message can never be delivered as written.</summary>
    public static readonly IReadOnlySet<int> FinalErrors = new HashSet<int> { BadOpenId, BadTemplateId, BadPage, NotSubscribed, BadTemplateData };

    private sealed class OutboxRow
    {
        public long Id { get; init; }
        public string Kind { get; init; } = "";
        public string? TemplateId { get; init; }
        public string DataJson { get; init; } = "";
        public string? Page { get; init; }
        public int Attempts { get; init; }
        public string OpenId { get; init; } = "";
    }

    /// <summary>One round: claims due messages, sends them, records each outcome. Returns how many were claimed.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var settings = options.Value;
        // Claiming twice is harmless: the first claim rolled back, so the rows are still due.
        var rows = await LockConflictRetry.RunAsync(() => ClaimAsync(settings, ct), ct);
        var wechat = services.GetService<IWechatClient>();
        foreach (var row in rows)
        {
            // Rows written before templates named their layout carry no template id: their kind's configured one is used.
            var templateId = row.TemplateId ?? settings.Templates.GetValueOrDefault(row.Kind)?.Id;
            if (string.IsNullOrWhiteSpace(templateId))
            {
                await FinishAsync(row.Id, "skipped", "no template configured for this kind", ct);
                continue;
            }
            if (wechat is null)
            {
                await RetryLaterAsync(row, settings, "no WeChat client is registered", ct);
                continue;
            }
            var data = JsonSerializer.Deserialize<Dictionary<string, string>>(row.DataJson) ?? [];
            var message = new SubscribeMessage(row.OpenId, templateId, row.Page, Fit(data, clock.GetUtcNow()));
            try
            {
                await wechat.SendSubscribeMessageAsync(message, ct);
            }
            catch (WechatException e) when (e.ErrCode is { } errCode && FinalErrors.Contains(errCode))
            {
                LogFinalFailure(row.Id, row.Kind, errCode);
                await FinishAsync(row.Id, "failed", $"errcode {errCode}", ct);
                metrics.Undeliverable(row.Kind, errCode);
                continue;
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // A crash or shutdown (cancellation) leaves the lease in place instead: the row comes due again.
                LogRetry(row.Id, row.Attempts, e.GetType().Name);
                await RetryLaterAsync(row, settings, e is WechatException w ? $"errcode {w.ErrCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unavailable"}" : e.GetType().Name, ct);
                continue;
            }
            await FinishAsync(row.Id, "sent", null, ct);
        }
        return rows.Count;
    }

    /// <summary>
    /// Every value fitted to its keyword's rule once more before sending: a no-op for rows written since issue 17,
    /// the fix for older rows (a 20-character cut, an empty note, a time WeChat no longer reads).
    /// </summary>
    public static Dictionary<string, string> Fit(IReadOnlyDictionary<string, string> data, DateTimeOffset now) =>
        data.ToDictionary(p => p.Key, p => SubscribeValueRules.TypeOf(p.Key) is { } type && SubscribeValueRules.MaxLength.ContainsKey(type)
            ? SubscribeValueRules.Fit(type, p.Value, now)
            : p.Value, StringComparer.Ordinal);

    /// <summary>Delay before the next attempt after <paramref name="attempts"/> tries: 30 s, 2 min, 8 min, … at most an hour.</summary>
    public static TimeSpan Backoff(int attempts) =>
        TimeSpan.FromSeconds(Math.Min(3600, 30 * Math.Pow(4, Math.Max(0, attempts - 1))));

    private async Task<List<OutboxRow>> ClaimAsync(NotificationOptions settings, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // ix_notification_outbox_due; SKIP LOCKED passes over rows another instance is claiming right now.
        var ids = (await connection.QueryAsync<long>(new CommandDefinition("""
            SELECT id FROM notification_outbox
            WHERE status = 'pending' AND next_attempt_at <= @now
            ORDER BY next_attempt_at, id
            LIMIT @batch
            FOR UPDATE SKIP LOCKED
            """, new { now, batch = settings.BatchSize }, transaction, cancellationToken: ct))).ToList();
        if (ids.Count == 0)
        {
            await transaction.CommitAsync(ct);
            return [];
        }
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE notification_outbox SET attempts = attempts + 1, next_attempt_at = @leaseUntil WHERE id IN @ids
            """, new { ids, leaseUntil = now.AddSeconds(settings.LeaseSeconds) }, transaction, cancellationToken: ct));
        var rows = (await connection.QueryAsync<OutboxRow>(new CommandDefinition("""
            SELECT o.id AS Id, o.kind AS Kind, o.template_id AS TemplateId, o.data_json AS DataJson, o.page AS Page, o.attempts AS Attempts, u.openid AS OpenId
            FROM notification_outbox o JOIN users u ON u.id = o.user_id
            WHERE o.id IN @ids
            ORDER BY o.id
            """, new { ids }, transaction, cancellationToken: ct))).ToList();
        await transaction.CommitAsync(ct);
        return rows;
    }

    private async Task FinishAsync(long id, string status, string? error, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE notification_outbox SET status = @status, last_error = @error, sent_at = IF(@status = 'sent', @now, sent_at)
            WHERE id = @id
            """, new { id, status, error, now = clock.GetUtcNow().UtcDateTime }, cancellationToken: ct));
    }

    private async Task RetryLaterAsync(OutboxRow row, NotificationOptions settings, string error, CancellationToken ct)
    {
        if (row.Attempts >= settings.MaxAttempts)
        {
            await FinishAsync(row.Id, "failed", $"gave up after {row.Attempts} attempts: {error}", ct);
            metrics.Undeliverable(row.Kind, null);
            return;
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE notification_outbox SET next_attempt_at = @next, last_error = @error WHERE id = @id
            """, new { id = row.Id, error, next = clock.GetUtcNow().UtcDateTime + Backoff(row.Attempts) }, cancellationToken: ct));
    }

    /// <summary>
    /// A round as the service runs it: batch after batch while they come full, so a notice to a whole community (an
    /// emergency above all) goes out at once instead of one batch per poll; at most <see cref="MaxBatchesPerRound"/>
    /// batches, then the usual pause. Returns how many rows were claimed.
    /// </summary>
    public async Task<int> RunUntilIdleAsync(CancellationToken ct)
    {
        var total = 0;
        for (var batch = 0; batch < MaxBatchesPerRound; batch++)
        {
            var claimed = await RunOnceAsync(ct);
            total += claimed;
            if (claimed < options.Value.BatchSize)
                break;
        }
        return total;
    }

    public const int MaxBatchesPerRound = 500;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicRounds.RunAsync("Outbox", RunUntilIdleAsync, TimeSpan.FromSeconds(options.Value.PollSeconds), clock, logger, stoppingToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscribe message {OutboxId} ({Kind}) cannot be delivered: errcode {ErrCode}")]
    private partial void LogFinalFailure(long outboxId, string kind, int errCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscribe message {OutboxId} failed on attempt {Attempt} ({Error}); will retry")]
    private partial void LogRetry(long outboxId, int attempt, string error);
}
