using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace Linli.Api.Hosting;

/// <summary>
/// Caps request bodies at <c>Http:MaxRequestBodyBytes</c> (1 MB: JSON is small). An endpoint that takes
/// uploads raises its own limit with <c>.WithMetadata(new RequestSizeLimitAttribute(bytes))</c>.
/// A declared length over the limit is refused at once; a chunked body is cut off by the server at the limit.
/// Either way the client gets a 413 ProblemDetails.
/// </summary>
public sealed class RequestBodyLimit(RequestDelegate next, IConfiguration configuration)
{
    public const long DefaultBytes = 1024 * 1024;
    private readonly long _defaultLimit = configuration.GetValue("Http:MaxRequestBodyBytes", DefaultBytes);

    public async Task InvokeAsync(HttpContext context)
    {
        // Endpoint metadata wins, and its null means "no limit" (DisableRequestSizeLimit).
        var metadata = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>();
        var limit = metadata is null ? _defaultLimit : metadata.MaxRequestBodySize;
        if (limit is { } max && context.Request.ContentLength > max)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status413PayloadTooLarge,
                    Detail = $"The request body is larger than the {max} bytes this endpoint accepts.",
                },
            });
            return;
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            feature.MaxRequestBodySize = limit;
        await next(context);
    }
}
