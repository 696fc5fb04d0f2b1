using Linli.Infrastructure.Qr;

namespace Linli.Api.Houses;

public static class HousesServices
{
    /// <summary>Houses, tenancies and their QR codes: options and services.</summary>
    public static IServiceCollection AddHouses(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<QrOptions>(configuration.GetSection(QrOptions.Section));
        services.AddScoped<HouseQrImages>();
        services.AddScoped<PendingLandlords>();
        services.AddSingleton<HouseLookup>();
        // Tickets reported from a scanned code resolve the house here.
        services.AddSingleton<Linli.Api.Tickets.IHouseLookup>(sp => sp.GetRequiredService<HouseLookup>());
        services.AddSingleton<Tenancies.TenancyRetentionWorker>();
        if (configuration.GetValue("Tickets:RunWorkers", true))
            services.AddHostedService(sp => sp.GetRequiredService<Tenancies.TenancyRetentionWorker>());
        return services;
    }
}
