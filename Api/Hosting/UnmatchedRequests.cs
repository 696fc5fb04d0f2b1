namespace Linli.Api.Hosting;

/// <summary>
/// Answers the requests routing could not match before authorization sees them: no endpoint is a 404, and the
/// endpoints routing makes up for a wrong method (405) or content type (415) run as they are. Otherwise the
/// fallback policy (sign-in required) would turn "no such route" into a 401 for anonymous callers.
/// The status-code pages turn these empty responses into ProblemDetails.
/// </summary>
public sealed class UnmatchedRequests(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        RequestLogging.NoteRoute(context, endpoint);
        switch (endpoint)
        {
            case RouteEndpoint:
                return next(context);
            case { RequestDelegate: { } rejection }:
                return rejection(context);
            default:
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
        }
    }
}
