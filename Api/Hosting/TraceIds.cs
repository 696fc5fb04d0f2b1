using Microsoft.AspNetCore.Http.Features;

namespace Linli.Api.Hosting;

/// <summary>The id that ties a response to its log lines: the W3C trace id of the request's activity.</summary>
public static class TraceIds
{
    public const string Header = "X-Trace-Id";

    public static string Of(HttpContext context) =>
        context.Features.Get<IHttpActivityFeature>()?.Activity is { } activity && activity.TraceId != default
            ? activity.TraceId.ToHexString()
            : context.TraceIdentifier;
}
