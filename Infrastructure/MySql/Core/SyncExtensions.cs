namespace Linli.Infrastructure.MySql.Core;

internal static class SyncExtensions
{
    /// <summary>
    /// The result of an operation run with <c>async: false</c>: every awaited call then completes synchronously,
    /// so this does not block on a thread-pool task (the connect path is the one documented exception).
    /// </summary>
    public static T RunSync<T>(this ValueTask<T> task) => task.IsCompleted ? task.GetAwaiter().GetResult() : task.AsTask().GetAwaiter().GetResult();

    public static void RunSync(this ValueTask task)
    {
        if (task.IsCompleted) task.GetAwaiter().GetResult();
        else task.AsTask().GetAwaiter().GetResult();
    }
}
