using System.Globalization;
using System.Threading.RateLimiting;
using Linli.Api.Auth;
using Linli.Infrastructure.Qr;

namespace Linli.Api.Houses;

public static class HousesServices
{
    /// <summary>Houses, tenancies and their QR codes: options, services and the scan rate limit.</summary>
    public static IServiceCollection AddHouses(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<QrOptions>(configuration.GetSection(QrOptions.Section));
        services.AddSingleton<HouseQrImages>();
        services.AddSingleton<PendingLandlords>();
        services.AddSingleton<HouseLookup>();
        // Tickets reported from a scanned house code find their community and grid here.
        services.AddSingleton<Linli.Api.Tickets.IHouseLookup>(sp => sp.GetRequiredService<HouseLookup>());

        var permits = configuration.GetSection(QrOptions.Section).Get<QrOptions>()?.ScanPermitsPerMinute ?? new QrOptions().ScanPermitsPerMinute;
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Per signed-in user, else per client address: one busy stairwell must not lock out the whole community.
            o.AddPolicy(HouseCardApi.RateLimitPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                context.User.Identity?.IsAuthenticated == true
                    ? "user:" + context.User.GetUserId().ToString(CultureInfo.InvariantCulture)
                    : "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown"),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
        return services;
    }
}
