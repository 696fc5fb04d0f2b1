using System.Text.Json;
using Linli.Infrastructure.Data;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Linli.Api.Hosting;

/// <summary>
/// Turns the known exceptions (those in ApiExceptions.cs, and bad requests) into their ProblemDetails.
/// Anything else falls through to handlers features register (e.g. WeChat failures) and finally to the
/// exception handler middleware, which logs it and answers a 500 problem carrying only the trace id.
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody is left to read a response.
            httpContext.Response.StatusCode = 499;
            return true;
        }
        if (exception is TooManyRequestsException tooMany)
        {
            await RateLimits.WriteTooManyAsync(httpContext, tooMany.RetryAfter);
            return true;
        }
        if (ToProblem(exception) is not { } problem)
            return false;
        httpContext.Response.StatusCode = problem.Status!.Value;
        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
            httpContext.Response.Headers.RetryAfter = RetryAfterSeconds;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    internal static ProblemDetails? ToProblem(Exception exception) => exception switch
    {
        System.ComponentModel.DataAnnotations.ValidationException e => FieldError(e.ValidationResult),
        NotFoundException e => Problem(StatusCodes.Status404NotFound, e.Message),
        ForbiddenException e => Problem(StatusCodes.Status403Forbidden, e.Message),
        ConflictException e => WithExtensions(Problem(StatusCodes.Status409Conflict, e.Message), e.Extensions),
        BadHttpRequestException { InnerException: JsonException json } => InvalidJson(json),
        BadHttpRequestException e => Problem(e.StatusCode, e.Message),
        // A unique or foreign key refused the write (SQLSTATE 23000): a request that raced another one past its own
        // check. It is a conflict with the stored state, not a server fault.
        System.Data.Common.DbException { SqlState: "23000" } => Problem(StatusCodes.Status409Conflict,
            "The change conflicts with data stored meanwhile (a duplicate or a missing reference). Reload and try again."),
        // The database restarting, unreachable, out of connections, or still deadlocked after the retries: nothing was
        // wrong with the request, and whatever it wrote was rolled back, so the client may send it again.
        _ when DatabaseErrors.IsTransient(exception) => Problem(StatusCodes.Status503ServiceUnavailable,
            "The database is briefly unavailable; nothing was changed. Try again in a few seconds."),
        _ => null,
    };

    private const string RetryAfterSeconds = "5";

    /// <summary>Names the field whose JSON could not be read, without echoing its value (it may be personal data).</summary>
    private static HttpValidationProblemDetails InvalidJson(JsonException json)
    {
        var whole = json.Path is null or "$";
        var field = whole ? "body" : json.Path!.StartsWith("$.", StringComparison.Ordinal) ? json.Path[2..] : json.Path;
        var message = whole ? "The request body is not valid JSON for this operation." : "The value is not valid for this field.";
        return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = StatusCodes.Status400BadRequest,
        };
    }

    /// <summary>A rule the validator could not check (it needs the database), broken by the fields the result names.</summary>
    private static HttpValidationProblemDetails FieldError(System.ComponentModel.DataAnnotations.ValidationResult result) =>
        new(result.MemberNames.ToDictionary(m => m, _ => new[] { result.ErrorMessage ?? "The value is not valid for this field." }))
        {
            Status = StatusCodes.Status400BadRequest,
        };

    private static ProblemDetails Problem(int status, string detail) => new() { Status = status, Detail = detail };

    private static ProblemDetails WithExtensions(ProblemDetails problem, IReadOnlyDictionary<string, object?> extensions)
    {
        foreach (var (key, value) in extensions)
            problem.Extensions[key] = value;
        return problem;
    }
}
