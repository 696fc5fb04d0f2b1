using System.Diagnostics;

namespace Linli.Infrastructure.MySql.Core;

/// <summary>
/// Cancelling a running statement: the server only stops it when told from another connection (KILL QUERY),
/// after which the statement's reply is ERR 1317 and this session stays usable.
/// </summary>
internal sealed partial class ServerSession
{
    private const int Idle = 0, Running = 1, CancelledByCaller = 2, TimedOut = 3;

    private int _cancelState;
    private Task? _killTask;
    private CancellationTokenRegistration _callerRegistration;
    private Timer? _timeoutTimer;
    private long _timeoutDeadline;

    /// <summary>The caller's token of the running command, to put into the OperationCanceledException.</summary>
    public CancellationToken CommandToken { get; private set; }
    public int CommandTimeoutSeconds { get; private set; }

    public bool WasCancelled => Volatile.Read(ref _cancelState) == CancelledByCaller;
    public bool TimedOutCommand => Volatile.Read(ref _cancelState) == TimedOut;

    public void BeginCancellableCommand(int timeoutSeconds, CancellationToken cancellationToken)
    {
        CommandToken = cancellationToken;
        CommandTimeoutSeconds = timeoutSeconds;
        _killTask = null;
        var now = Stopwatch.GetTimestamp();
        var deadline = timeoutSeconds > 0 ? now + timeoutSeconds * Stopwatch.Frequency : long.MaxValue;
        // The deadline is published before the command counts as running, so a timer callback that sees it running
        // also sees its deadline.
        Volatile.Write(ref _timeoutDeadline, deadline);
        Interlocked.Exchange(ref _cancelState, Running);
        if (cancellationToken.CanBeCanceled)
            _callerRegistration = cancellationToken.UnsafeRegister(static s => ((ServerSession)s!).RequestKill(CancelledByCaller), this);
        // The timer is re-armed lazily: one still due before this deadline finds the command running and waits for
        // the rest of it. That keeps the timer out of the per-command path.
        if (timeoutSeconds > 0 && (Interlocked.Exchange(ref _timerArmed, 1) == 0 || Volatile.Read(ref _timerDue) > deadline))
            ArmTimer(now, TimeSpan.FromSeconds(timeoutSeconds));
    }

    private int _timerArmed;
    private long _timerDue;

    private void ArmTimer(long now, TimeSpan dueIn)
    {
        Volatile.Write(ref _timerDue, now + (long)(dueIn.TotalSeconds * Stopwatch.Frequency));
        _timeoutTimer ??= new Timer(static s => ((ServerSession)s!).OnTimeoutTimer(), this, Timeout.Infinite, Timeout.Infinite);
        try
        {
            _timeoutTimer.Change(dueIn, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Asks the server to stop the running statement, as if the caller's token had been cancelled.</summary>
    public void CancelCommand() => RequestKill(CancelledByCaller);

    private void OnTimeoutTimer()
    {
        Interlocked.Exchange(ref _timerArmed, 0);
        if (Volatile.Read(ref _cancelState) != Running) return; // between commands: the next one arms the timer again
        var deadline = Volatile.Read(ref _timeoutDeadline);
        if (deadline == long.MaxValue) return;
        var now = Stopwatch.GetTimestamp();
        if (now < deadline)
        {
            // Due for an earlier command, or fired a little early (the timer's clock is coarser than Stopwatch).
            if (Interlocked.Exchange(ref _timerArmed, 1) == 0)
                ArmTimer(now, Stopwatch.GetElapsedTime(now, deadline) + TimeSpan.FromMilliseconds(1));
            return;
        }
        RequestKill(TimedOut);
    }

    private void RequestKill(int reason)
    {
        if (Interlocked.CompareExchange(ref _cancelState, reason, Running) != Running) return;
        _killTask = Task.Run(async () =>
        {
            try
            {
                await KillQueryAsync(Settings, ThreadId).ConfigureAwait(false);
            }
            catch (Exception e) when (e is MySqlException or IOException or OperationCanceledException)
            {
                // The statement simply runs on; the caller still gets its answer.
            }
        });
    }

    /// <summary>
    /// Ends the command's cancellation window. If a KILL QUERY was sent, waits for it so it cannot hit the next
    /// statement, and clears a kill that arrived after the statement had already finished.
    /// </summary>
    public async ValueTask EndCancellableCommandAsync(bool async, bool sawInterruption)
    {
        _callerRegistration.Dispose();
        _callerRegistration = default;
        var state = Interlocked.Exchange(ref _cancelState, Idle);
        var kill = _killTask;
        _killTask = null;
        if (state < CancelledByCaller || kill is null) return;
        if (async) await kill.ConfigureAwait(false);
        else kill.GetAwaiter().GetResult();
        if (sawInterruption || IsBroken) return;
        try
        {
            await ExecuteAsync("DO SLEEP(0)", async, CancellationToken.None).ConfigureAwait(false);
        }
        catch (MySqlException e) when (e.Number == MySqlErrorCode.QueryInterrupted)
        {
            // That was the late kill; the session is clean now.
        }
    }

    private void DisposeCancellation()
    {
        _callerRegistration.Dispose();
        _timeoutTimer?.Dispose();
    }
}
