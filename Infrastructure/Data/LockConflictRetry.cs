namespace Linli.Infrastructure.Data;

/// <summary>
/// Runs a whole unit of work again when InnoDB rolled it back for a deadlock (1213) or a lock wait timeout (1205).
/// Only for work that is safe to repeat from its first read: the idempotent report, a version-checked ticket action
/// (it reads the ticket again and decides again), an outbox claim. Each attempt opens its own connection and
/// transaction inside <c>attempt</c>; nothing from a failed attempt is reused.
/// </summary>
public static class LockConflictRetry
{
    /// <summary>Attempts in all: a conflict that survives three short waits is load, better answered than hidden.</summary>
    public const int Attempts = 3;

    public static async Task<T> RunAsync<T>(Func<Task<T>> attempt, CancellationToken cancellationToken)
    {
        for (var tried = 1; ; tried++)
        {
            try
            {
                return await attempt();
            }
            catch (Exception e) when (tried < Attempts && DatabaseErrors.IsLockConflict(e))
            {
                // A short random wait keeps the two victims of one deadlock from meeting again at once.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(10, 50) * tried), cancellationToken);
            }
        }
    }
}
