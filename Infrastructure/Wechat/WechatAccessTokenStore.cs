using System.Data.Common;
using Dapper;
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
/// </summary>
public sealed partial class WechatAccessTokenStore(
    DbDataSource db, FieldProtector protector, TimeProvider clock, IOptions<WechatOptions> options,
    ILogger<WechatAccessTokenStore> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    // A reference, so readers on other threads see a whole token and expiry or none.
    private volatile CachedToken? _cached;

    private string AppId => options.Value.AppId;
    private TimeSpan Ahead => TimeSpan.FromSeconds(options.Value.AccessTokenRefreshAheadSeconds);

    /// <summary>A token that is good for a while yet; fetches one from WeChat only when none is.</summary>
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
    /// WeChat rejected <paramref name="rejected"/> (40001/42001). If another instance has already replaced it,
    /// that token is used; otherwise a new one is forced from WeChat.
    /// </summary>
    public Task<string> ReplaceRejectedAsync(string rejected, Func<bool, CancellationToken, Task<FetchedAccessToken>> fetch, CancellationToken cancellationToken) =>
        RefreshAsync(rejected, fetch, cancellationToken);

    private async Task<string> RefreshAsync(string? rejected, Func<bool, CancellationToken, Task<FetchedAccessToken>> fetch, CancellationToken cancellationToken)
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
            var row = await connection.QuerySingleAsync<TokenRow>(new CommandDefinition(
                "SELECT token_cipher AS TokenCipher, expires_at AS ExpiresAt FROM wechat_access_tokens WHERE app_id = @AppId FOR UPDATE",
                new { AppId }, transaction, cancellationToken: cancellationToken));
            var now = clock.GetUtcNow();
            if (row.TokenCipher is not null)
            {
                var stored = protector.Decrypt(row.TokenCipher);
                var usable = rejected is null
                    ? Expiry(row) - Ahead > now
                    : !string.Equals(stored, rejected, StringComparison.Ordinal) && Expiry(row) > now;
                if (usable)
                {
                    await transaction.CommitAsync(cancellationToken);
                    return Remember(stored, Expiry(row));
                }
            }

            LogRefreshing(AppId, rejected is not null);
            var fetched = await fetch(rejected is not null, cancellationToken);
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

    private static DateTimeOffset Expiry(TokenRow row) => new(DateTime.SpecifyKind(row.ExpiresAt, DateTimeKind.Utc));

    private sealed record CachedToken(string Token, DateTimeOffset ExpiresAt);

    private sealed class TokenRow
    {
        public byte[]? TokenCipher { get; init; }
        public DateTime ExpiresAt { get; init; }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Fetching a new WeChat access token for app {AppId} (forced: {Forced})")]
    private partial void LogRefreshing(string appId, bool forced);
}
