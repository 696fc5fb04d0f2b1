using Linli.Infrastructure.Wechat;

namespace Linli.Api.Auth;

/// <summary>Everything issue 4 adds to the host: sessions, the WeChat client, structure, invitations, users, me.</summary>
public static class IdentityFeature
{
    public static IServiceCollection AddIdentityFeature(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddWechat(configuration, environment);
        services.AddExceptionHandler<WechatExceptionHandler>();
        return services;
    }

    public static IEndpointRouteBuilder MapIdentityFeature(this IEndpointRouteBuilder app)
    {
        return app;
    }
}
