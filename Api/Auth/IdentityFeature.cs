using Linli.Api.Invitations;
using Linli.Api.Me;
using Linli.Api.Structure;
using Linli.Api.Users;
using Linli.Infrastructure.Wechat;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace Linli.Api.Auth;

/// <summary>Everything issue 4 adds to the host: sessions, the WeChat client, structure, invitations, users, me.</summary>
public static class IdentityFeature
{
    public static IServiceCollection AddIdentityFeature(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddWechat(configuration, environment);
        services.AddExceptionHandler<WechatExceptionHandler>();
        services.AddScoped<SessionService>();
        services.AddCaller();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).PostConfigure<TimeProvider>((o, clock) =>
            // Token lifetimes are judged by the injected clock, so tests can let tokens expire.
            o.TokenValidationParameters.LifetimeValidator = (notBefore, expires, _, parameters) =>
            {
                var now = clock.GetUtcNow().UtcDateTime;
                return (notBefore is null || notBefore.Value <= now + parameters.ClockSkew)
                    && expires is not null && expires.Value > now - parameters.ClockSkew;
            });
        return services;
    }

    public static IEndpointRouteBuilder MapIdentityFeature(this IEndpointRouteBuilder app)
    {
        app.MapAuth();
        app.MapMe();
        app.MapStructure();
        app.MapInvitations();
        app.MapUsers();
        return app;
    }
}
