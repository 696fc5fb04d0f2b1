using System.Collections.Concurrent;
using Linli.Api.Tests.Support;
using Linli.Api.Tests.Tickets;
using Linli.Infrastructure.Wechat;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Linli.Api.Tests.Notifications;

/// <summary>
/// A stand-in for WeChat's subscribe-message API that records what it was asked to send and can be told to
/// fail or to "crash" for a given recipient. Text checks pass. Only the outbox tests use it.
/// </summary>
public sealed class RecordingWechat : IWechatClient
{
    public ConcurrentQueue<SubscribeMessage> Sent { get; } = new();

    /// <summary>Runs after recording a message; may throw to fail the send (or to simulate a crash after it went out).</summary>
    public Func<SubscribeMessage, Task>? AfterSend { get; set; }

    /// <summary>Runs before recording; may throw to refuse the send.</summary>
    public Func<SubscribeMessage, Task>? BeforeSend { get; set; }

    public int SentTo(string openid) => Sent.Count(m => m.ToOpenId == openid);

    public async Task SendSubscribeMessageAsync(SubscribeMessage message, CancellationToken cancellationToken)
    {
        if (BeforeSend is not null)
            await BeforeSend(message);
        Sent.Enqueue(message);
        if (AfterSend is not null)
            await AfterSend(message);
    }

    public Task<ContentCheckResult> CheckTextAsync(string openid, string content, int scene, CancellationToken cancellationToken) =>
        Task.FromResult(new ContentCheckResult(ContentSuggestion.Pass, 100, null));

    public Task<WechatSession> Code2SessionAsync(string code, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<WechatPhone> GetPhoneNumberAsync(string code, string? openId, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<byte[]> GetUnlimitedQrCodeAsync(string scene, string page, CancellationToken cancellationToken) => throw new NotSupportedException();
}

/// <summary>The ticket test app with <see cref="RecordingWechat"/> in place of WeChat.</summary>
public sealed class RecordingWechatFactory() : LinliFactory(TicketsApp.Settings(("Notifications:BatchSize", "1000")))
{
    public RecordingWechat Wechat { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<IWechatClient>();
            services.AddSingleton<IWechatClient>(Wechat);
        });
    }
}
