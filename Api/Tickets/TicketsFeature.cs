using Dapper;
using Linli.Api.Notifications;
using Linli.Api.Uploads;
using Linli.Infrastructure.Notifications;
using Linli.Infrastructure.Storage;
using Linli.Infrastructure.Wechat;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Linli.Api.Tickets;

/// <summary>Wires the tickets feature: tickets, categories, uploads, notifications and their background workers.</summary>
public static class TicketsFeature
{
    public static IServiceCollection AddTicketsFeature(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        // Our row classes use C# names for snake_case columns.
        DefaultTypeMap.MatchNamesWithUnderscores = true;

        services.Configure<TicketOptions>(configuration.GetSection(TicketOptions.Section));
        services.Configure<NotificationOptions>(configuration.GetSection(NotificationOptions.Section));
        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        services.AddSingleton(new UploadStorage(Path.IsPathRooted(storage.UploadsPath) ? storage.UploadsPath : Path.Combine(contentRoot, storage.UploadsPath)));

        // The houses feature replaces this with the real lookup.
        services.AddSingleton<NotificationWriter>();
        // WeChat's text check for every text the service publishes (ticket reports, notices), with the tickets' timeout.
        services.AddSingleton(sp => new ContentCheck(sp, sp.GetRequiredService<ILogger<ContentCheck>>(),
            TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<TicketOptions>>().Value.ContentCheckTimeoutSeconds)));
        services.AddSingleton<TicketReporting>();
        services.AddSingleton<TicketActing>();
        services.AddSingleton<TicketNotifying>();
        services.AddSingleton<NotificationMetrics>();
        services.AddSingleton<TicketListQuery>();
        services.AddSingleton<OutboxWorker>();
        services.AddSingleton<TicketClockWorker>();
        services.AddSingleton<UploadCleanupWorker>();
        if (configuration.GetValue($"{TicketOptions.Section}:{nameof(TicketOptions.RunWorkers)}", true))
        {
            services.AddHostedService(sp => sp.GetRequiredService<OutboxWorker>());
            services.AddHostedService(sp => sp.GetRequiredService<TicketClockWorker>());
            services.AddHostedService(sp => sp.GetRequiredService<UploadCleanupWorker>());
        }
        return services;
    }

    public static IEndpointRouteBuilder MapTicketsFeature(this IEndpointRouteBuilder app)
    {
        app.MapTickets();
        app.MapNearbyTickets();
        app.MapTicketFollowers();
        app.MapTicketCategories();
        app.MapUploads();
        app.MapNotifications();
        return app;
    }
}
