using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Linli.Api.Hosting;

/// <summary>
/// The client's address behind a reverse proxy: <c>X-Forwarded-For</c> (and <c>-Proto</c>) count only when the
/// connection comes from a proxy or network listed in <c>Http:TrustedProxies</c> / <c>Http:TrustedNetworks</c>.
/// With neither set, nobody is trusted, not even loopback: the connection's own address is the client's, and a
/// forwarded header anyone can send changes nothing (the per-address limits would be worthless otherwise).
/// </summary>
public static class ForwardedHeaders
{
    public static IServiceCollection AddLinliForwardedHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        var proxies = configuration.GetSection("Http:TrustedProxies").Get<string[]>() ?? [];
        var networks = configuration.GetSection("Http:TrustedNetworks").Get<string[]>() ?? [];
        return services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor
                | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto;
            // The framework trusts loopback by default; only what is configured is trusted here.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            foreach (var network in networks)
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            // Walk back through every trusted proxy in the chain to the first address none of them owns.
            o.ForwardLimit = null;
        });
    }

    /// <summary>Null when the trusted proxies and networks parse; otherwise what is wrong (for StartupValidation).</summary>
    public static string? Problem(IConfiguration configuration)
    {
        var bad = (configuration.GetSection("Http:TrustedProxies").Get<string[]>() ?? []).Where(p => !IPAddress.TryParse(p, out _))
            .Concat((configuration.GetSection("Http:TrustedNetworks").Get<string[]>() ?? []).Where(n => !System.Net.IPNetwork.TryParse(n, out _)))
            .ToList();
        return bad.Count == 0 ? null : $"Http:TrustedProxies and Http:TrustedNetworks must be IP addresses and CIDR networks; not: {string.Join(", ", bad)}.";
    }
}
