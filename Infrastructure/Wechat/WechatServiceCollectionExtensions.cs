using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Linli.Infrastructure.Wechat;

public static class WechatServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IWechatClient"/>: Live or Simulated by <c>Wechat:Mode</c> (unset: Simulated in Development
    /// and Testing, Live elsewhere). Refuses at start-up what would fail later: Live without AppId/AppSecret,
    /// Simulated in Production unless <c>Wechat:AllowSimulatedInProduction</c>.
    /// </summary>
    public static IServiceCollection AddWechat(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var section = configuration.GetSection(WechatOptions.Section);
        var settings = section.Get<WechatOptions>() ?? new WechatOptions();
        var mode = ResolveMode(settings, environment);
        services.Configure<WechatOptions>(section);
        services.PostConfigure<WechatOptions>(o => o.Mode = mode);

        if (mode == WechatMode.Simulated)
        {
            services.AddSingleton<IWechatClient, SimulatedWechatClient>();
            return services;
        }
        if (string.IsNullOrWhiteSpace(settings.AppId) || string.IsNullOrWhiteSpace(settings.AppSecret))
            throw new InvalidOperationException("Wechat:Mode is Live: Wechat:AppId and Wechat:AppSecret must be set.");
        if (settings.TimeoutSeconds <= 0)
            throw new InvalidOperationException("Wechat:TimeoutSeconds must be positive: every WeChat call needs a deadline.");
        services.AddSingleton<WechatAccessTokenStore>();
        services.AddHttpClient<IWechatClient, LiveWechatClient>(http =>
            {
                // Relative API paths resolve under the base only when it ends with a slash (a proxy may add a path).
                http.BaseAddress = settings.BaseAddress.AbsoluteUri.EndsWith('/') ? settings.BaseAddress : new Uri(settings.BaseAddress.AbsoluteUri + "/");
                // The per-call deadline (Wechat:TimeoutSeconds) is enforced in LiveWechatClient, retries included.
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            // The default handler logs request URIs, and WeChat's carry the AppSecret, codes and the access token.
            .RemoveAllLoggers();
        return services;
    }

    public static WechatMode ResolveMode(WechatOptions settings, IHostEnvironment environment)
    {
        var mode = settings.Mode
            ?? (environment.IsDevelopment() || environment.IsEnvironment("Testing") ? WechatMode.Simulated : WechatMode.Live);
        if (mode == WechatMode.Simulated && environment.IsProduction() && !settings.AllowSimulatedInProduction)
            throw new InvalidOperationException(
                "Wechat:Mode is Simulated in Production: nobody could really sign in. Set Wechat:Mode=Live, or Wechat:AllowSimulatedInProduction=true for a deployment that must not reach WeChat.");
        return mode;
    }
}
