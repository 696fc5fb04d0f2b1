using System.ComponentModel.DataAnnotations;
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
        group.MapPost("/wechat-login", WechatLogin).WithName(nameof(WechatLogin))
            .WithSummary("Sign in with WeChat")
            .WithDescription("Exchanges the code from wx.login for an access token and a refresh token. Anyone may call it (rate limited per address); the first sign-in of a WeChat user creates their account. A bad code is a 401, a blocked account a 403.")
            .RequireRateLimiting(RateLimits.SignIn);
        group.MapPost("/refresh", Refresh).WithName(nameof(Refresh))
            .WithSummary("Refresh the session")
            .WithDescription("Uses up the refresh token and returns a new access token with a new refresh token. Anyone holding a refresh token; an unknown, expired, used or revoked one is a 401 (a used one also ends its whole session).");
        group.MapPost("/logout", Logout).WithName(nameof(Logout))
            .WithSummary("Sign out")
            .WithDescription("Ends the session the refresh token belongs to; its access token lapses on its own. Anyone holding a refresh token; an unknown one changes nothing.");
        return group;
    }

    /// <param name="Code">The code wx.login returned in the mini-program.</param>
    public sealed record WechatLoginRequest([Required, StringLength(128)] string Code);
    /// <param name="RefreshToken">The refresh token of the session, as the last sign-in or refresh returned it.</param>
    public sealed record RefreshRequest([Required, StringLength(200)] string RefreshToken);

    /// <summary>Exchanges a wx.login code for a session; the first sign-in of an openid creates the user.</summary>
    public static async Task<Results<Ok<SessionDto>, ProblemHttpResult>> WechatLogin(
        WechatLoginRequest request, IWechatClient wechat, RequestConnection db, SessionService sessions, RateLimits.Budgets budgets,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        // WeChat's quota is the mini-program's: the instance's budget of calls, then per account.
        budgets.TakeCode2Session();
        // A bad code throws WechatException → 401 through WechatExceptionHandler.
        var wechatSession = await wechat.Code2SessionAsync(request.Code, cancellationToken);
        budgets.TakeSignIn(wechatSession.OpenId);
        var (userId, isNew, isBlocked) = await UserAccounts.SignInAsync(await db.OpenAsync(cancellationToken), wechatSession.OpenId, clock.GetUtcNow().UtcDateTime, cancellationToken);
        if (isBlocked)
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Account blocked",
                detail: "This account has been blocked by the community administrators.");
        return TypedResults.Ok(await sessions.StartAsync(userId, isNew, cancellationToken));
    }

    /// <summary>Rotates the refresh token: the presented one is used up, a new one comes back with a new access token.</summary>
    public static async Task<Results<Ok<SessionDto>, ProblemHttpResult>> Refresh(
        RefreshRequest request, SessionService sessions, CancellationToken cancellationToken)
    {
        var session = await sessions.RefreshAsync(request.RefreshToken, cancellationToken);
        return session is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Invalid refresh token",
                detail: "The refresh token is unknown, expired, used or revoked: sign in again.")
            : TypedResults.Ok(session);
    }

    /// <summary>Ends the session the refresh token belongs to.</summary>
    public static async Task<NoContent> Logout(RefreshRequest request, SessionService sessions, CancellationToken cancellationToken)
    {
        await sessions.LogoutAsync(request.RefreshToken, cancellationToken);
        return TypedResults.NoContent();
    }
}
