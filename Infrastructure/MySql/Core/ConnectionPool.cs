using System.Collections.Concurrent;
using System.Diagnostics;

namespace Linli.Infrastructure.MySql.Core;

/// <summary>
/// One pool per normalised connection string: a semaphore caps the open sessions, idle sessions wait on a LIFO stack
/// (the most recently used is the warmest), a timer closes those idle longer than Connection Idle Timeout, and a
/// generation number lets ClearPool retire every session that exists now.
/// </summary>
// Pools live as long as the process (like ADO.NET providers' pools); nothing ever disposes one.
#pragma warning disable CA1001
internal sealed class ConnectionPool
#pragma warning restore CA1001
{
    private static readonly ConcurrentDictionary<string, ConnectionPool> Pools = new();

    private readonly SemaphoreSlim _slots;
    private readonly List<ServerSession> _idle = []; // the end is the top of the stack; index 0 is the longest idle
    private readonly Timer? _reaper;
    private int _generation;

    private ConnectionPool(ConnectionSettings settings)
    {
        Settings = settings;
        _slots = new SemaphoreSlim(settings.MaximumPoolSize, settings.MaximumPoolSize);
        if (settings.IdleTimeout > TimeSpan.Zero)
        {
            var period = TimeSpan.FromSeconds(Math.Clamp(settings.IdleTimeout.TotalSeconds / 2, 1, 60));
            _reaper = new Timer(static state => ((ConnectionPool)state!).PruneIdle(), this, period, period);
        }
    }

    public ConnectionSettings Settings { get; }

    public static ConnectionPool For(ConnectionSettings settings) =>
        Pools.TryGetValue(settings.NormalisedConnectionString, out var pool)
            ? pool
            : Pools.GetOrAdd(settings.NormalisedConnectionString, _ => new ConnectionPool(settings));

    public static void ClearAll()
    {
        foreach (var pool in Pools.Values) pool.Clear();
    }

    public static void Clear(ConnectionSettings settings)
    {
        if (Pools.TryGetValue(settings.NormalisedConnectionString, out var pool)) pool.Clear();
    }

    public async Task<ServerSession> RentAsync(bool async, CancellationToken cancellationToken)
    {
        var timeout = Settings.ConnectTimeout;
        var acquired = async
            ? await _slots.WaitAsync(timeout, cancellationToken).ConfigureAwait(false)
            : _slots.Wait(timeout, cancellationToken);
        if (!acquired)
            throw new MySqlException(MySqlErrorCode.PoolTimeout, "08004",
                $"Timeout waiting for a free connection from the pool (Maximum Pool Size = {Settings.MaximumPoolSize}); all connections are in use. Waited {timeout.TotalSeconds:0} s (Connection Timeout).");
        try
        {
            while (TryTakeIdle() is { } idle)
            {
                if (!IsReusable(idle))
                {
                    idle.Dispose();
                    continue;
                }
                try
                {
                    // A socket the server closed while idle (restart, its idle timeout) shows up as readable.
                    // Over TLS unread post-handshake messages can look the same, so ask the server instead.
                    if (!idle.LooksAlive())
                    {
                        if (!idle.IsSecure) throw new MySqlException(MySqlErrorCode.ServerGone, "08S01", "The idle connection was closed by the server.");
                        await idle.PingAsync(async, cancellationToken).ConfigureAwait(false);
                    }
                    if (Settings.ConnectionReset) idle.DeferReset();
                    return idle;
                }
                catch (MySqlException)
                {
                    idle.MarkBroken();
                    idle.Dispose();
                }
            }
            var session = await ServerSession.ConnectAsync(Settings, async, cancellationToken).ConfigureAwait(false);
            session.Pool = this;
            session.PoolGeneration = Volatile.Read(ref _generation);
            return session;
        }
        catch
        {
            _slots.Release();
            throw;
        }
    }

    public void Return(ServerSession session)
    {
        try
        {
            if (session.IsBroken || session.ActiveReader is not null || session.DatabaseChanged || !IsReusable(session))
            {
                session.Dispose();
                return;
            }
            session.ReturnedAt = Stopwatch.GetTimestamp();
            lock (_idle) _idle.Add(session);
        }
        finally
        {
            _slots.Release();
        }
    }

    private ServerSession? TryTakeIdle()
    {
        lock (_idle)
        {
            if (_idle.Count == 0) return null;
            var session = _idle[^1];
            _idle.RemoveAt(_idle.Count - 1);
            return session;
        }
    }

    private bool IsReusable(ServerSession session) =>
        session.PoolGeneration == Volatile.Read(ref _generation)
        && (Settings.Lifetime == TimeSpan.Zero || Stopwatch.GetElapsedTime(session.CreatedAt) < Settings.Lifetime);

    public void Clear()
    {
        Interlocked.Increment(ref _generation);
        List<ServerSession> retired;
        lock (_idle)
        {
            retired = [.. _idle];
            _idle.Clear();
        }
        foreach (var session in retired) session.Dispose();
    }

    private void PruneIdle()
    {
        List<ServerSession>? expired = null;
        lock (_idle)
        {
            // Index 0 has waited longest; stop at the first one still fresh.
            while (_idle.Count > Settings.MinimumPoolSize && Stopwatch.GetElapsedTime(_idle[0].ReturnedAt) >= Settings.IdleTimeout)
            {
                (expired ??= []).Add(_idle[0]);
                _idle.RemoveAt(0);
            }
        }
        if (expired is null) return;
        foreach (var session in expired) session.Dispose();
    }
}
