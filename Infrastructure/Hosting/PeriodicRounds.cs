using System.Data.Common;
using Microsoft.Extensions.Logging;

namespace Linli.Infrastructure.Hosting;

/// <summary>
/// The loop every background worker shares: run a round, wait the interval on the injected clock, repeat until
/// shutdown. A failed round is logged and the next one still runs, so one bad row never stops the worker;
/// shutdown ends the wait at once. Workers keep their round public (RunOnceAsync) so tests drive it directly.
/// </summary>
public static partial class PeriodicRounds
{
    public static async Task RunAsync(string worker, Func<CancellationToken, Task> round, TimeSpan interval,
        TimeProvider clock, ILogger logger, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await round(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (DbException e) when (Data.DatabaseErrors.IsTransient(e))
            {
                // The database being away (a restart, a network blip, a deadlock) is expected now and then: one line, no stack.
                // Any other database error is a bug and is logged in full below.
                LogDatabaseUnavailable(logger, worker, e.Message);
            }
            catch (Exception e)
            {
                LogRoundFailed(logger, e, worker);
            }
            try
            {
                await Task.Delay(interval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Worker} round skipped on a transient database error ({Reason}); the next round retries")]
    private static partial void LogDatabaseUnavailable(ILogger logger, string worker, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Worker} round failed")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception, string worker);
}
