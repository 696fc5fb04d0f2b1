using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Linli.Api.Hosting;

/// <summary>
/// Rate limits, partitioned by client IP: every anonymous endpoint is limited (<see cref="Anonymous"/>), and
/// features add named policies on their groups or endpoints: <c>.RequireRateLimiting(RateLimits.SignIn)</c>. Limits come from configuration (<c>RateLimits:SignIn:PermitLimit</c>, …).
/// A rejected request is a 429 ProblemDetails with <c>Retry-After</c>.
/// </summary>
public static class RateLimits
{
    /// <summary>Endpoints anyone may call without signing in. Applied to all of them already (the global limiter); naming it also applies it to a signed-in endpoint.</summary>
    public const string Anonymous = "anonymous";
    /// <summary>Sign-in: each attempt costs a WeChat call, so it is the tightest.</summary>
    public const string SignIn = "sign-in";

    public const string Section = "RateLimits";

    public sealed class WindowLimit
    {
        public int PermitLimit { get; set; }
        public int WindowSeconds { get; set; } = 60;
    }

    public sealed class Settings
    {
        public WindowLimit Anonymous { get; set; } = new() { PermitLimit = 120 };
        public WindowLimit SignIn { get; set; } = new() { PermitLimit = 10 };
    }

    public static IServiceCollection AddLinliRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<Settings>(configuration.GetSection(Section));
        return services.AddRateLimiter(options =>
        {
            // Every endpoint that allows anonymous callers gets the Anonymous limit without having to ask;
            // one that names a policy (sign-in) gets that policy instead, so no request counts twice.
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                context.GetEndpoint()?.Metadata is { } metadata
                && metadata.GetMetadata<IAllowAnonymous>() is not null
                && metadata.GetMetadata<EnableRateLimitingAttribute>() is null
                    ? ByClient(context, s => s.Anonymous)
                    : RateLimitPartition.GetNoLimiter(""));
            options.AddPolicy(Anonymous, context => ByClient(context, s => s.Anonymous));
            options.AddPolicy(SignIn, context => ByClient(context, s => s.SignIn));
            options.OnRejected = Reject;
        });
    }

    private static RateLimitPartition<string> ByClient(HttpContext context, Func<Settings, WindowLimit> pick)
    {
        var limit = pick(context.RequestServices.GetRequiredService<IOptions<Settings>>().Value);
        // Behind a reverse proxy, configure forwarded headers so that this is the client's address, not the proxy's.
        var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        return RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, limit.PermitLimit),
            Window = TimeSpan.FromSeconds(Math.Max(1, limit.WindowSeconds)),
            QueueLimit = 0,
        });
    }

    private static async ValueTask Reject(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(60);
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Detail = "Too many requests from this address. Try again after the number of seconds in Retry-After.",
            },
        });
    }
}
