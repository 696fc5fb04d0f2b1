using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Api.Tests.Support;

/// <summary>
/// The API with a connection address per request, as Kestrel would see it: the in-memory test server has none, so the
/// header <see cref="Header"/> sets it before anything of the app runs (the app itself never reads that header).
/// </summary>
public sealed class AddressedFactory(IDictionary<string, string?> settings) : LinliFactory(settings)
{
    public const string Header = "X-Test-Connection-Address";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, ConnectionAddress>());
    }

    /// <summary>A request from <paramref name="connection"/>, optionally carrying an <c>X-Forwarded-For</c>.</summary>
    public static HttpRequestMessage From(string connection, HttpMethod method, string path, HttpContent? content = null, string? forwardedFor = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Add(Header, connection);
        if (forwardedFor is not null)
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        return request;
    }

    private sealed class ConnectionAddress : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, then) =>
            {
                if (context.Request.Headers.TryGetValue(Header, out var address))
                {
                    context.Connection.RemoteIpAddress = IPAddress.Parse(address.ToString());
                    context.Request.Headers.Remove(Header);
                }
                return then(context);
            });
            next(app);
        };
    }
}
