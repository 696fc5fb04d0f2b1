using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Linli.Api.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Linli.Api.Hosting;

/// <summary>
/// Every limit the service sets, in one place, all from configuration (<c>RateLimits:&lt;name&gt;:PermitLimit</c>, …):
/// <list type="bullet">
/// <item>anonymous endpoints, per client address (<see cref="Anonymous"/>, applied to all of them already);</item>
/// <item>every write of a signed-in user, per user id (the global limiter);</item>
/// <item>named policies features put on what costs money, WeChat quota or privacy: <see cref="SignIn"/>, <see cref="Report"/>,
/// <see cref="PhoneBinding"/>, <see cref="Upload"/>, <see cref="Lookup"/>;</item>
/// <item>budgets checked in code where the partition is known only later: <see cref="Budgets"/> (WeChat's code2Session as a
/// whole, sign-ins per openid).</item>
/// </list>
/// The defaults are far above what an honest resident or staff member does. A rejected request is a 429 ProblemDetails
/// with <c>Retry-After</c>. The client address is the connection's, or what a configured trusted proxy forwarded
/// (<see cref="ForwardedHeaders"/>), never a header anyone can send.
/// </summary>
public static class RateLimits
{
    /// <summary>Endpoints anyone may call without signing in. Applied to all of them already (the global limiter); naming it also applies it to a signed-in endpoint.</summary>
    public const string Anonymous = "anonymous";
    /// <summary>Sign-in, per client address: loose enough for a carrier's or community office's shared address.</summary>
    public const string SignIn = "sign-in";
    /// <summary>Reporting a ticket, per user: each report costs a WeChat content check.</summary>
    public const string Report = "report";
    /// <summary>Binding a phone, per user: each costs a WeChat call.</summary>
    public const string PhoneBinding = "phone-binding";
    /// <summary>Uploading a photo, per user (with the storage quota in <see cref="Settings.UploadBytesPerDay"/>).</summary>
    public const string Upload = "upload";
    /// <summary>以人找房 look-ups, per user: each one tells whether a number rents a house.</summary>
    public const string Lookup = "lookup";

    public const string Section = "RateLimits";

    public sealed class WindowLimit
    {
        public int PermitLimit { get; set; }
        public int WindowSeconds { get; set; } = 60;
    }

    public sealed class Settings
    {
        public WindowLimit Anonymous { get; set; } = new() { PermitLimit = 120 };
        public WindowLimit SignIn { get; set; } = new() { PermitLimit = 300 };
        /// <summary>Every POST, PUT and DELETE of one signed-in user.</summary>
        public WindowLimit Writes { get; set; } = new() { PermitLimit = 120 };
        public WindowLimit Report { get; set; } = new() { PermitLimit = 30, WindowSeconds = 3600 };
        public WindowLimit PhoneBinding { get; set; } = new() { PermitLimit = 10, WindowSeconds = 3600 };
        public WindowLimit Upload { get; set; } = new() { PermitLimit = 60, WindowSeconds = 3600 };
        public WindowLimit Lookup { get; set; } = new() { PermitLimit = 30, WindowSeconds = 3600 };
        /// <summary>code2Session calls of the whole instance: WeChat's quota is the mini-program's, not a user's.</summary>
        public WindowLimit Code2Session { get; set; } = new() { PermitLimit = 1000 };
        /// <summary>Sign-ins of one WeChat account.</summary>
        public WindowLimit SignInPerOpenId { get; set; } = new() { PermitLimit = 10 };
        /// <summary>Bytes of photos one user may upload in 24 hours (200 MB).</summary>
        public long UploadBytesPerDay { get; set; } = 200L * 1024 * 1024;
    }

    public static IServiceCollection AddLinliRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<Settings>(configuration.GetSection(Section));
        services.AddSingleton<Budgets>();
        return services.AddRateLimiter(options =>
        {
            // Anonymous endpoints that name no policy get the Anonymous limit without having to ask (one that names
            // one, like sign-in, gets that instead, so no request counts twice); a signed-in user's writes get theirs.
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                context.GetEndpoint()?.Metadata is not { } metadata ? RateLimitPartition.GetNoLimiter("")
                : metadata.GetMetadata<IAllowAnonymous>() is not null && metadata.GetMetadata<EnableRateLimitingAttribute>() is null
                    ? ByClient(context, Anonymous, s => s.Anonymous)
                : SignedInUser(context) is not null && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method)
                    ? ByUser(context, "writes", s => s.Writes)
                : RateLimitPartition.GetNoLimiter(""));
            options.AddPolicy(Anonymous, context => ByClient(context, Anonymous, s => s.Anonymous));
            options.AddPolicy(SignIn, context => ByClient(context, SignIn, s => s.SignIn));
            options.AddPolicy(Report, context => ByUser(context, Report, s => s.Report));
            options.AddPolicy(PhoneBinding, context => ByUser(context, PhoneBinding, s => s.PhoneBinding));
            options.AddPolicy(Upload, context => ByUser(context, Upload, s => s.Upload));
            options.AddPolicy(Lookup, context => ByUser(context, Lookup, s => s.Lookup));
            options.OnRejected = (rejected, _) => WriteTooManyAsync(rejected.HttpContext,
                rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(60));
        });
    }

    private static Settings Current(HttpContext context) => context.RequestServices.GetRequiredService<IOptions<Settings>>().Value;

    private static string? SignedInUser(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true ? context.User.FindFirstValue(AuthClaims.UserId) : null;

    private static RateLimitPartition<string> ByClient(HttpContext context, string name, Func<Settings, WindowLimit> pick) =>
        Window(name + ":" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown"), pick(Current(context)));

    /// <summary>Per signed-in user; a request without a valid token is refused by authorization anyway, so it shares its address's partition.</summary>
    private static RateLimitPartition<string> ByUser(HttpContext context, string name, Func<Settings, WindowLimit> pick) =>
        Window(name + ":" + (SignedInUser(context) is { } id ? "user:" + id : "ip:" + context.Connection.RemoteIpAddress), pick(Current(context)));

    private static RateLimitPartition<string> Window(string key, WindowLimit limit) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => Options(limit));

    private static FixedWindowRateLimiterOptions Options(WindowLimit limit) => new()
    {
        PermitLimit = Math.Max(1, limit.PermitLimit),
        Window = TimeSpan.FromSeconds(Math.Max(1, limit.WindowSeconds)),
        QueueLimit = 0,
    };

    /// <summary>The 429 problem with <c>Retry-After</c>, for the middleware's refusals and for <see cref="TooManyRequestsException"/>.</summary>
    public static async ValueTask WriteTooManyAsync(HttpContext context, TimeSpan retryAfter)
    {
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Detail = "Too many requests. Try again after the number of seconds in Retry-After.",
            },
        });
    }

    /// <summary>
    /// Limits whose partition a handler learns only while it runs: the instance's code2Session budget (WeChat's quota
    /// is shared by every user of the mini-program) and sign-ins per openid. <see cref="Take"/> throws
    /// <see cref="TooManyRequestsException"/>, which becomes the same 429.
    /// </summary>
    public sealed class Budgets(IOptions<Settings> settings) : IDisposable
    {
        private readonly FixedWindowRateLimiter _code2Session = new(Options(settings.Value.Code2Session));
        private readonly PartitionedRateLimiter<string> _perOpenId = PartitionedRateLimiter.Create<string, string>(openId =>
            RateLimitPartition.GetFixedWindowLimiter(openId, _ => Options(settings.Value.SignInPerOpenId)));

        public void TakeCode2Session() => Take(_code2Session.AttemptAcquire());

        public void TakeSignIn(string openId) => Take(_perOpenId.AttemptAcquire(openId));

        private static void Take(RateLimitLease lease)
        {
            using (lease)
            {
                if (!lease.IsAcquired)
                    throw new TooManyRequestsException(lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(60));
            }
        }

        public void Dispose()
        {
            _code2Session.Dispose();
            _perOpenId.Dispose();
        }
    }
}

/// <summary>429: a limit checked in a handler (see <see cref="RateLimits.Budgets"/>, the upload quota).</summary>
public sealed class TooManyRequestsException(TimeSpan retryAfter) : Exception("Too many requests.")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
