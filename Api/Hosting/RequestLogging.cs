using System.Diagnostics;

namespace Linli.Api.Hosting;

/// <summary>
/// One log line per request: method, route template (never the raw path or query string, which can carry
/// personal data), status, elapsed time and trace id. The trace id is also returned in <see cref="TraceIds.Header"/>.
/// </summary>
public sealed partial class RequestLogging(RequestDelegate next, ILogger<RequestLogging> logger)
{
    private const string RouteKey = "linli.route";

    /// <summary>
    /// Remembers the matched route for the log line; called right after routing, because the exception
    /// handler clears the endpoint before the line is written.
    /// </summary>
    public static void NoteRoute(HttpContext context, Endpoint? endpoint) =>
        context.Items[RouteKey] = endpoint switch
        {
            RouteEndpoint route => route.RoutePattern.RawText,
            null => null,
            _ => endpoint.DisplayName,
        };

    public async Task InvokeAsync(HttpContext context)
    {
        var traceId = TraceIds.Of(context);
        // OnStarting, because the exception handler clears headers set earlier before it writes a 500.
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[TraceIds.Header] = traceId;
            return Task.CompletedTask;
        });
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var route = context.Items[RouteKey] as string ?? "(no route)";
            var status = context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted ? 499 : context.Response.StatusCode;
            LogRequest(context.Request.Method, route, status, Stopwatch.GetElapsedTime(started).TotalMilliseconds, traceId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP {Method} {Route} responded {StatusCode} in {ElapsedMs:0.0} ms, trace {TraceId}")]
    private partial void LogRequest(string method, string route, int statusCode, double elapsedMs, string traceId);
}
