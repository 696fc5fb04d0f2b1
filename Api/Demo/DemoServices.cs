using Linli.Api.Hosting;

namespace Linli.Api.Demo;

public static class DemoServices
{
    public static IServiceCollection AddLinliDemo(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IDemoSeeder, CoreDemoSeeder>();
        services.AddSingleton<IDemoSeeder, HousesDemoSeeder>();
        services.AddSingleton<IDemoSeeder, PartyMembersDemoSeeder>();
        services.AddSingleton<IDemoSeeder, GridWorkDemoSeeder>();
        services.AddSingleton<IDemoSeeder, TicketsDemoSeeder>();
        services.AddSingleton<DemoSeeding>();
        services.AddSingleton<IHostCommand>(sp => sp.GetRequiredService<DemoSeeding>());
        if (configuration.GetValue<bool>("Demo:PrintSignIn"))
            services.AddHostedService<DemoBanner>();
        return services;
    }
}
