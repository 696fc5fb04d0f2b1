using Linli.Api.Hosting;
using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace Linli.Api.Auth;

/// <summary>
/// Resolves the <see cref="Caller"/> once per request, as soon as the access token is valid: a user who no
/// longer exists or is blocked is refused, and the principal's role claims are replaced by the roles the user
/// holds now, so authorization policies never trust roles a token carried from before a revocation.
/// Handlers take <see cref="Caller"/> as a parameter (a scoped service).
/// </summary>
public static class CallerResolution
{
    public static IServiceCollection AddCaller(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddScoped(sp => sp.GetRequiredService<IHttpContextAccessor>().HttpContext?.Features.Get<Caller>() ?? Caller.Anonymous);
        // The request's one connection: the caller is read on it, and the handler goes on with it.
        services.AddScoped<RequestConnection>();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).PostConfigure(o =>
        {
            o.Events ??= new JwtBearerEvents();
            var previous = o.Events.OnTokenValidated;
            o.Events.OnTokenValidated = async context =>
            {
                await previous(context);
                var sub = context.Principal?.FindFirst(AuthClaims.UserId)?.Value;
                if (!long.TryParse(sub, NumberStyles.None, CultureInfo.InvariantCulture, out var userId))
                {
                    context.Fail("The access token carries no user id.");
                    return;
                }
                var connection = await context.HttpContext.RequestServices.GetRequiredService<RequestConnection>()
                    .OpenAsync(context.HttpContext.RequestAborted);
                var session = context.Principal?.FindFirst(AuthClaims.Session)?.Value;
                var caller = await Caller.LoadAsync(connection, userId, session, context.HttpContext.RequestAborted);
                if (caller is null)
                {
                    context.Fail("The user does not exist or is blocked, or the session has ended.");
                    return;
                }
                context.HttpContext.Features.Set(caller);
                context.Principal = PrincipalOf(caller, context.Principal!);
            };
        });
        return services;
    }

    /// <summary>The token's claims with its role claims replaced by the roles held now.</summary>
    private static ClaimsPrincipal PrincipalOf(Caller caller, ClaimsPrincipal token)
    {
        var identity = token.Identity as ClaimsIdentity;
        var claims = token.Claims.Where(c => c.Type != AuthClaims.Role)
            .Concat(caller.Roles.Order(StringComparer.Ordinal).Select(r => new Claim(AuthClaims.Role, r)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, identity?.AuthenticationType, AuthClaims.UserId, AuthClaims.Role));
    }
}
