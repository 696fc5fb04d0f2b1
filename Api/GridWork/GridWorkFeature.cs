namespace Linli.Api.GridWork;

/// <summary>Wires grid work: households, contact assignments (4113) with their overdue worker, visits and their figures.</summary>
public static class GridWorkFeature
{
    public static IServiceCollection AddGridWork(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<GridWorkOptions>(configuration.GetSection(GridWorkOptions.Section));
        services.AddSingleton<ContactOverdueWorker>();
        if (configuration.GetValue($"{GridWorkOptions.Section}:{nameof(GridWorkOptions.RunWorkers)}", true))
            services.AddHostedService(sp => sp.GetRequiredService<ContactOverdueWorker>());
        return services;
    }

    public static IEndpointRouteBuilder MapGridWork(this IEndpointRouteBuilder app)
    {
        app.MapHouseholds();
        app.MapContacts();
        app.MapVisits();
        app.MapVisitStats();
        return app;
    }
}
