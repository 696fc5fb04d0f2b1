using System.Data.Common;
using Linli.Api.Hosting;
using Linli.Infrastructure.Wechat;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Linli.Api.Auth;

public static class AuthApi
{
    public static RouteGroupBuilder MapAuth(this IEndpointRouteBuilder app)
    {
        // Signing in and refreshing are what a caller without a valid access token does.
        var group = app.MapGroup("/api/v1/auth").WithTags("Auth").AllowAnonymous().RequireRateLimiting(RateLimits.Anonymous);
        // Each sign-in costs a WeChat call: limited per address (loosely: carriers and offices share one) and by budgets in the handler.
        group.MapPost("/wechat-login", WechatLogin).WithName(nameof(WechatLogin)).RequireRateLimiting(RateLimits.SignIn);
        group.MapPost("/refresh", Refresh).WithName(nameof(Refresh));
        group.MapPost("/logout", Logout).WithName(nameof(Logout));
        return group;
    }

    public sealed record WechatLoginRequest(string? Code);
    public sealed record RefreshRequest(string? RefreshToken);

    /// <summary>Exchanges a wx.login code for a session; the first sign-in of an openid creates the user.</summary>
    public static async Task<Results<Ok<SessionDto>, ValidationProblem, ProblemHttpResult>> WechatLogin(
        WechatLoginRequest request, IWechatClient wechat, DbDataSource db, SessionService sessions, RateLimits.Budgets budgets,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Code) || request.Code.Length > 128)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["code"] = ["The wx.login code is required (at most 128 characters)."] });
        // WeChat's quota is the mini-program's: the instance's budget of calls, then per account.
        budgets.TakeCode2Session();
        // A bad code throws WechatException → 401 through WechatExceptionHandler.
        var wechatSession = await wechat.Code2SessionAsync(request.Code, cancellationToken);
        budgets.TakeSignIn(wechatSession.OpenId);
        var (userId, isNew, isBlocked) = await UserAccounts.SignInAsync(db, wechatSession.OpenId, clock.GetUtcNow().UtcDateTime, cancellationToken);
        if (isBlocked)
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Account blocked",
                detail: "This account has been blocked by the community administrators.");
        return TypedResults.Ok(await sessions.StartAsync(userId, isNew, cancellationToken));
    }

    /// <summary>Rotates the refresh token: the presented one is used up, a new one comes back with a new access token.</summary>
    public static async Task<Results<Ok<SessionDto>, ValidationProblem, ProblemHttpResult>> Refresh(
        RefreshRequest request, SessionService sessions, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.RefreshToken) || request.RefreshToken.Length > 200)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["refreshToken"] = ["The refresh token is required."] });
        var session = await sessions.RefreshAsync(request.RefreshToken, cancellationToken);
        return session is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Invalid refresh token",
                detail: "The refresh token is unknown, expired, used or revoked: sign in again.")
            : TypedResults.Ok(session);
    }

    /// <summary>Ends the session the refresh token belongs to.</summary>
    public static async Task<Results<NoContent, ValidationProblem>> Logout(RefreshRequest request, SessionService sessions, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.RefreshToken) || request.RefreshToken.Length > 200)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["refreshToken"] = ["The refresh token is required."] });
        await sessions.LogoutAsync(request.RefreshToken, cancellationToken);
        return TypedResults.NoContent();
    }
}
