using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Linli.Infrastructure.Wechat;

/// <summary>
/// WeChat's text check (msgSecCheck) as every feature that publishes someone's words uses it: ticket reports, notices.
/// WeChat unavailable, slower than <paramref name="timeout"/> (<c>Tickets:ContentCheckTimeoutSeconds</c>) or not
/// configured is <see cref="ContentSuggestion.Review"/>: the text is accepted and flagged for a person to look at, so an
/// outage never stops a report or a notice.
/// </summary>
public sealed partial class ContentCheck(IServiceProvider services, ILogger<ContentCheck> logger, TimeSpan timeout)
{
    /// <summary>msgSecCheck's scene for comments and posts (1 is profile, 2 comment, 3 forum post, 4 social log).</summary>
    private const int Scene = 3;

    public async Task<ContentSuggestion> CheckAsync(string openid, string text, CancellationToken ct)
    {
        var wechat = services.GetService<IWechatClient>();
        if (wechat is null)
            return ContentSuggestion.Review;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            return (await wechat.CheckTextAsync(openid, text, Scene, deadline.Token)).Suggestion;
        }
        catch (WechatException e)
        {
            LogContentCheckUnavailable(e.ErrCode);
            return ContentSuggestion.Review;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            LogContentCheckUnavailable(null);
            return ContentSuggestion.Review;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "WeChat content check unavailable (errcode {ErrCode}); the text is flagged for review")]
    private partial void LogContentCheckUnavailable(int? errCode);
}
