using Linli.Infrastructure.Wechat;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Linli.Api.Auth;

/// <summary>
/// Turns a <see cref="WechatException"/> thrown by any endpoint into a ProblemDetails:
/// code invalid/used 401, high-risk account 403, too frequent 429 (with Retry-After), WeChat unreachable, timed out
/// or busy (-1, not retried when it would spend a single-use code twice) 503 with Retry-After, anything else 502.
/// A phone code WeChat refuses is the phone endpoint's own 400 (the session is fine). The message never carries
/// codes, tokens or secrets.
/// </summary>
public sealed class WechatExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public const int RetryAfterSeconds = 60;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not WechatException wechat)
            return false;
        var (status, title) = StatusFor(wechat);
        httpContext.Response.StatusCode = status;
        if (status is StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable)
            httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var problem = new ProblemDetails { Status = status, Title = title, Detail = wechat.Message };
        if (wechat.ErrCode is { } errCode)
            problem.Extensions["wechatErrcode"] = errCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    public static (int Status, string Title) StatusFor(WechatException exception) => exception.ErrCode switch
    {
        null => (StatusCodes.Status503ServiceUnavailable, "WeChat is unavailable"),
        WechatErrors.SystemBusy => (StatusCodes.Status503ServiceUnavailable, "WeChat is busy"),
        WechatErrors.InvalidCode or WechatErrors.CodeUsed => (StatusCodes.Status401Unauthorized, "Invalid WeChat code"),
        WechatErrors.HighRiskUser => (StatusCodes.Status403Forbidden, "Blocked by WeChat"),
        WechatErrors.TooFrequent => (StatusCodes.Status429TooManyRequests, "Too many requests to WeChat"),
        _ => (StatusCodes.Status502BadGateway, "WeChat call failed"),
    };
}
