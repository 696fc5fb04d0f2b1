using System.Data.Common;
using Linli.Api.Tests.Support;
using Linli.Infrastructure.Crypto;
using Linli.Infrastructure.Wechat;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Linli.Api.Tests.Wechat;

/// <summary>A Live client (and its token store in the test database) talking to a <see cref="FakeWechatServer"/>.</summary>
public static class LiveClients
{
    public static LiveWechatClient Create(FakeWechatServer server, Action<WechatOptions>? configure = null, TimeProvider? clock = null,
        Uri? baseAddress = null, ILoggerFactory? logs = null)
    {
        var services = SharedApp.Factory.Services;
        var options = new WechatOptions
        {
            Mode = WechatMode.Live, AppId = server.AppId, AppSecret = FakeWechatServer.AppSecret, BaseAddress = baseAddress ?? server.BaseAddress,
            TimeoutSeconds = 5, BusyRetryDelayMilliseconds = 10,
        };
        configure?.Invoke(options);
        logs ??= NullLoggerFactory.Instance;
        var store = new WechatAccessTokenStore(services.GetRequiredService<DbDataSource>(), services.GetRequiredService<FieldProtector>(),
            clock ?? TimeProvider.System, Options.Create(options), logs.CreateLogger<WechatAccessTokenStore>());
        var http = new HttpClient { BaseAddress = options.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        return new LiveWechatClient(http, Options.Create(options), store, logs.CreateLogger<LiveWechatClient>());
    }

    /// <summary>The number behind a phone code, as the tests of the token mostly need it.</summary>
    public static async Task<string> PhoneAsync(this IWechatClient wechat, string code) =>
        (await wechat.GetPhoneNumberAsync(code, null, CancellationToken.None)).PurePhoneNumber;
}
