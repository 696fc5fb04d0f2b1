using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Linli.Api.Hosting;

/// <summary>
/// Refuses a request body whose <c>Content-Type</c> names a charset .NET does not know, with a 415 ProblemDetails.
/// Without this, reading a JSON body throws an <see cref="InvalidOperationException"/> that the framework does not
/// turn into a bad request, and the caller's typo became a 500.
/// </summary>
public sealed class RequestCharset(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var type)
            && type.Charset is { HasValue: true } charset
            && !IsKnown(charset.Value!.Trim('"')))
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status415UnsupportedMediaType,
                    Detail = "The request body's charset is not supported; send UTF-8.",
                },
            });
            return;
        }
        await next(context);
    }

    // The same look-up the framework's JSON reader makes (HttpRequestJsonExtensions), so what passes here it can read.
    private static bool IsKnown(string charset)
    {
        try
        {
            _ = Encoding.GetEncoding(charset);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
