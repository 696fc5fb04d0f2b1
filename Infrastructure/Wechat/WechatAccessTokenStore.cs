using System.Data.Common;
using Dapper;
using Linli.Domain.Stats;
using Linli.Infrastructure.Crypto;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Linli.Infrastructure.Wechat;

/// <summary>A token as WeChat's stable_token returns it.</summary>
public sealed record FetchedAccessToken(string Token, int ExpiresInSeconds);

/// <summary>
/// The one WeChat access token every API instance shares. It lives in <c>wechat_access_tokens</c>
/// (encrypted, with its expiry); each instance keeps a copy in memory until shortly before it expires.
/// Refreshing happens under the row's lock (<c>SELECT … FOR UPDATE</c>): the first instance fetches a
/// new token, the others wait on the lock and then find it fresh, so WeChat sees one call, not one per instance.
/// <para>
/// stable_token has two modes. Normal mode hands everyone holding the AppID (staging and production too) the same
/// current token, a new one only in its last 5 minutes; forced mode invalidates that token for all of them, 20 times
/// a day at most and 30 s apart. So a rejected token is replaced in normal mode, and forced only when normal mode
/// returns the very token WeChat just rejected, within those limits (counted in the row, across instances).
/// </para>
/// </summary>
public sealed partial class WechatAccessTokenStore(
    DbDataSource db, FieldProtector protector, TimeProvider clock, IOptions<WechatOptions> options,
    ILogger<WechatAccessTokenStore> logger) : IDisposable
{
    /// <summary>WeChat's limits on forced refreshes (stable_token, 注意事项).</summary>
    public const int ForcedRefreshesPerDay = 20;
    public static readonly TimeSpan ForcedRefreshSpacing = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _gate = new(1, 1);
    // A reference, so readers on other threads see a whole token and expiry or none.
    private volatile CachedToken? _cached;

    private string AppId => options.Value.AppId;
    private TimeSpan Ahead => TimeSpan.FromSeconds(options.Value.AccessTokenRefreshAheadSeconds);

    /// <summary>A token that is good for a while yet; fetches one from WeChat (normal mode) only when none is.</summary>
    public async Task<string> GetAsync(Func<bool, CancellationToken, Task<FetchedAccessToken>> fetch, CancellationToken cancellationToken)
    {
        if (_cached is { } cached && cached.ExpiresAt - Ahead > clock.GetUtcNow())
            return cached.Token;

        await using (var connection = await db.OpenConnectionAsync(cancellationToken))
        {
            var row = await connection.QuerySingleOrDefaultAsync<TokenRow>(new CommandDefinition(
                "SELECT token_cipher AS TokenCipher, expires_at AS ExpiresAt FROM wechat_access_tokens WHERE app_id = @AppId",
                new { AppId }, cancellationToken: cancellationToken));
            if (row?.TokenCipher is not null && Expiry(row) - Ahead > clock.GetUtcNow())
                return Remember(protector.Decrypt(row.TokenCipher), Expiry(row));
        }
        return await RefreshAsync(rejected: null, fetch, cancellationToken);
    }

    /// <summary>
    /// WeChat rejected <paramref name="rejected"/> (40001/40014/42001). Another instance's replacement is used if there
    /// is one; otherwise normal mode is asked; a forced refresh only if normal mode returns the rejected token again.
    /// Throws a <see cref="WechatException"/> with <paramref name="errCode"/> when WeChat's limits forbid forcing now.
    /// </summary>
    public Task<string> ReplaceRejectedAsync(string rejected, int errCode, Func<bool, CancellationToken, Task<FetchedAccessToken>> fetch, CancellationToken cancellationToken) =>
        RefreshAsync(new Rejection(rejected, errCode), fetch, cancellationToken);

    private async Task<string> RefreshAsync(Rejection? rejected, Func<bool, CancellationToken, Task<FetchedAccessToken>> fetch, CancellationToken cancellationToken)
    {
        // The semaphore spares this instance's own requests the database lock queue; the row lock serialises instances.
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await db.OpenConnectionAsync(cancellationToken);
            // A row to lock must exist; created outside the transaction so two first-ever refreshes cannot deadlock on the insert.
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT IGNORE INTO wechat_access_tokens (app_id, token_cipher, expires_at, refreshed_at)
                VALUES (@AppId, NULL, @epoch, @epoch)
                """, new { AppId, epoch = DateTime.UnixEpoch }, cancellationToken: cancellationToken));

            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var row = await connection.QuerySingleAsync<TokenRow>(new CommandDefinition("""
                SELECT token_cipher AS TokenCipher, expires_at AS ExpiresAt, forced_at AS ForcedAt, forced_day AS ForcedDay, forced_count AS ForcedCount
                FROM wechat_access_tokens WHERE app_id = @AppId FOR UPDATE
                """, new { AppId }, transaction, cancellationToken: cancellationToken));
            var now = clock.GetUtcNow();
            if (row.TokenCipher is not null)
            {
                var stored = protector.Decrypt(row.TokenCipher);
                var usable = rejected is null
                    ? Expiry(row) - Ahead > now
                    : !string.Equals(stored, rejected.Token, StringComparison.Ordinal) && Expiry(row) > now;
                if (usable)
                {
                    await transaction.CommitAsync(cancellationToken);
                    return Remember(stored, Expiry(row));
                }
            }

            LogRefreshing(AppId);
            var fetched = await fetch(false, cancellationToken);
            if (rejected is not null && string.Equals(fetched.Token, rejected.Token, StringComparison.Ordinal))
            {
                // WeChat hands out the very token it rejects: only a forced refresh replaces it, and that is rationed.
                var today = ChinaStandardTime.DateOf(now);
                var forcedToday = row.ForcedDay == today.ToDateTime(TimeOnly.MinValue) ? row.ForcedCount : 0;
                if (forcedToday >= ForcedRefreshesPerDay || (row.ForcedAt is { } last && Utc(last) + ForcedRefreshSpacing > now))
                {
                    await transaction.CommitAsync(cancellationToken);
                    LogForceRefused(AppId, rejected.ErrCode, forcedToday);
                    throw new WechatException(rejected.ErrCode,
                        $"WeChat rejects its current access token (errcode {rejected.ErrCode}) and may not be asked for a new one yet " +
                        $"(forced refreshes: {ForcedRefreshesPerDay} a day, {ForcedRefreshSpacing.TotalSeconds:0} s apart; {forcedToday} today).");
                }
                LogForcing(AppId, rejected.ErrCode, forcedToday + 1);
                fetched = await fetch(true, cancellationToken);
                await connection.ExecuteAsync(new CommandDefinition("""
                    UPDATE wechat_access_tokens SET forced_at = @now, forced_day = @today, forced_count = @count WHERE app_id = @AppId
                    """, new { AppId, now = now.UtcDateTime, today = today.ToDateTime(TimeOnly.MinValue), count = forcedToday + 1 },
                    transaction, cancellationToken: cancellationToken));
            }
            var expiresAt = now.AddSeconds(fetched.ExpiresInSeconds);
            await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE wechat_access_tokens SET token_cipher = @cipher, expires_at = @expiresAt, refreshed_at = @now
                WHERE app_id = @AppId
                """, new { AppId, cipher = protector.Encrypt(fetched.Token), expiresAt = expiresAt.UtcDateTime, now = now.UtcDateTime },
                transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            return Remember(fetched.Token, expiresAt);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private string Remember(string token, DateTimeOffset expiresAt)
    {
        _cached = new CachedToken(token, expiresAt);
        return token;
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private static DateTimeOffset Expiry(TokenRow row) => Utc(row.ExpiresAt);

    private sealed record CachedToken(string Token, DateTimeOffset ExpiresAt);

    private sealed record Rejection(string Token, int ErrCode);

    private sealed class TokenRow
    {
        public byte[]? TokenCipher { get; init; }
        public DateTime ExpiresAt { get; init; }
        public DateTime? ForcedAt { get; init; }
        public DateTime? ForcedDay { get; init; }
        public int ForcedCount { get; init; }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Fetching the current WeChat access token for app {AppId} (normal mode)")]
    private partial void LogRefreshing(string appId);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Forcing a new WeChat access token for app {AppId}: WeChat rejected the current one (errcode {ErrCode}) and normal mode returned it again; forced refresh {ForcedToday} of 20 today, invalidating the token for every deployment of this AppID")]
    private partial void LogForcing(string appId, int errCode, int forcedToday);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "WeChat rejects the access token of app {AppId} (errcode {ErrCode}) but a forced refresh is not allowed now ({ForcedToday} forced today, 30 s apart)")]
    private partial void LogForceRefused(string appId, int errCode, int forcedToday);
}
