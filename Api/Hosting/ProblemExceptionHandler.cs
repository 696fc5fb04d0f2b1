using System.Text.Json;
using Linli.Infrastructure.Wechat;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Linli.Api.Hosting;

/// <summary>
/// Turns the known exceptions into their ProblemDetails; anything else is a 500 that carries only the trace id
/// (the exception is logged, and shown in the response in Development only).
/// </summary>
public sealed partial class ProblemExceptionHandler(
    IProblemDetailsService problems, IHostEnvironment environment, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody is left to read a response.
            httpContext.Response.StatusCode = 499;
            return true;
        }

        var problem = ToProblem(exception);
        if (problem.Status == StatusCodes.Status500InternalServerError)
        {
            LogUnhandled(exception, httpContext.Request.Method, (httpContext.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)");
            if (environment.IsDevelopment())
                problem.Extensions["exception"] = exception.ToString();
        }
        if (exception is WechatException { ErrCode: 45011 } or WechatException { IsUnavailable: true })
            httpContext.Response.Headers.RetryAfter = "60";
        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    internal static ProblemDetails ToProblem(Exception exception) => exception switch
    {
        ValidationException e => new HttpValidationProblemDetails(e.Errors) { Status = StatusCodes.Status400BadRequest },
        NotFoundException e => Problem(StatusCodes.Status404NotFound, e.Message),
        ForbiddenException e => Problem(StatusCodes.Status403Forbidden, e.Message),
        ConflictException e => WithExtensions(Problem(StatusCodes.Status409Conflict, e.Message), e.Extensions),
        WechatException e => FromWechat(e),
        BadHttpRequestException { InnerException: JsonException json } => InvalidJson(json),
        BadHttpRequestException e => Problem(e.StatusCode, e.Message),
        _ => Problem(StatusCodes.Status500InternalServerError, "An unexpected error occurred. Quote the traceId when reporting it."),
    };

    /// <summary>Names the field whose JSON could not be read, without echoing its value (it may be personal data).</summary>
    private static HttpValidationProblemDetails InvalidJson(JsonException json)
    {
        var field = json.Path is null or "$" ? "body" : json.Path.StartsWith("$.", StringComparison.Ordinal) ? json.Path[2..] : json.Path;
        var message = json.Path is null or "$" ? "The request body is not valid JSON for this operation." : "The value is not valid for this field.";
        return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = StatusCodes.Status400BadRequest,
        };
    }

    /// <summary>WeChat's errcodes, as the caller should see them: the user's code was bad (401), the user is blocked (403), WeChat throttles (429) or fails (502/503).</summary>
    private static ProblemDetails FromWechat(WechatException e) => e.ErrCode switch
    {
        null => Problem(StatusCodes.Status503ServiceUnavailable, "WeChat could not be reached. Try again shortly."),
        40029 or 40163 => Problem(StatusCodes.Status401Unauthorized, "The WeChat login code is invalid or was already used. Call wx.login again."),
        40226 => Problem(StatusCodes.Status403Forbidden, "WeChat has restricted this account."),
        45011 => Problem(StatusCodes.Status429TooManyRequests, "WeChat is limiting requests. Try again shortly."),
        _ => Problem(StatusCodes.Status502BadGateway, $"WeChat answered with error {e.ErrCode}."),
    };

    private static ProblemDetails Problem(int status, string detail) => new() { Status = status, Detail = detail };

    private static ProblemDetails WithExtensions(ProblemDetails problem, IReadOnlyDictionary<string, object?> extensions)
    {
        foreach (var (key, value) in extensions)
            problem.Extensions[key] = value;
        return problem;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception in {Method} {Route}")]
    private partial void LogUnhandled(Exception exception, string method, string route);
}
