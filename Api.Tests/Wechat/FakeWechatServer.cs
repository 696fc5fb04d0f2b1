using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Linli.Api.Tests.Wechat;

/// <summary>
/// A real HTTP server on loopback that speaks WeChat's documented wire format for the APIs Linli uses
/// (developers.weixin.qq.com, 服务端 API): errcode/errmsg JSON, text/plain JSON from jscode2session,
/// image bytes from getwxacodeunlimit. Tests script errcodes per API and count the calls.
/// </summary>
public sealed class FakeWechatServer : IAsyncDisposable
{
    public const string AppSecret = "fake-app-secret";
    public const string PhoneNumber = "13912345678";
    public const string SessionKey = "fake-session-key-never-shown";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<int>> _scripted = new();
    private readonly ConcurrentDictionary<string, int> _calls = new();
    private readonly ConcurrentDictionary<string, byte> _validTokens = new();
    private readonly ConcurrentDictionary<string, byte> _usedCodes = new();
    private int _tokenSerial;

    private FakeWechatServer(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;
    /// <summary>How long stable_token takes to answer: widens the window in which instances race to refresh.</summary>
    public TimeSpan TokenDelay { get; set; }
    /// <summary>APIs that never answer (until the caller gives up).</summary>
    public ConcurrentDictionary<string, byte> Hanging { get; } = new();
    public ConcurrentQueue<bool> ForceRefreshFlags { get; } = new();
    public ConcurrentQueue<JsonObject> SentMessages { get; } = new();
    public ConcurrentQueue<JsonObject> SecurityChecks { get; } = new();

    public int Calls(string api) => _calls.GetValueOrDefault(api);

    /// <summary>The next calls of <paramref name="api"/> fail with these errcodes, in order.</summary>
    public void Script(string api, params int[] errCodes)
    {
        var queue = _scripted.GetOrAdd(api, _ => new ConcurrentQueue<int>());
        foreach (var code in errCodes)
            queue.Enqueue(code);
    }

    /// <summary>Every token issued so far stops working, as when WeChat expires it early.</summary>
    public void ExpireAllTokens() => _validTokens.Clear();

    public static async Task<FakeWechatServer> StartAsync(string appId)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeWechatServer(app);
        server.Map(app, appId);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    private void Map(WebApplication app, string appId)
    {
        app.MapGet("/sns/jscode2session", async (HttpContext http) =>
        {
            if (await Begin("jscode2session", http) is { } failed)
                return failed;
            var q = http.Request.Query;
            if (q["appid"] != appId || q["secret"] != AppSecret || q["grant_type"] != "authorization_code")
                return Error(40125, "invalid appsecret");
            var code = q["js_code"].ToString();
            if (!code.StartsWith("code-", StringComparison.Ordinal))
                return Error(40029, "invalid code");
            if (!_usedCodes.TryAdd(code, 0))
                return Error(40163, "code been used");
            // WeChat labels this JSON text/plain.
            return Results.Text(new JsonObject { ["openid"] = "o-" + code["code-".Length..], ["session_key"] = SessionKey }.ToJsonString(), "text/plain");
        });

        app.MapPost("/cgi-bin/stable_token", async (HttpContext http) =>
        {
            if (await Begin("stable_token", http) is { } failed)
                return failed;
            var body = await Body(http);
            if (body["grant_type"]?.GetValue<string>() != "client_credential" || body["appid"]?.GetValue<string>() != appId
                || body["secret"]?.GetValue<string>() != AppSecret)
                return Error(40125, "invalid appsecret");
            ForceRefreshFlags.Enqueue(body["force_refresh"]?.GetValue<bool>() ?? false);
            if (TokenDelay > TimeSpan.Zero)
                await Task.Delay(TokenDelay);
            var token = $"fake-token-{Interlocked.Increment(ref _tokenSerial)}-{Guid.NewGuid():N}";
            _validTokens[token] = 0;
            return Json(new JsonObject { ["access_token"] = token, ["expires_in"] = 7200 });
        });

        app.MapPost("/wxa/business/getuserphonenumber", async (HttpContext http) =>
        {
            if (await BeginWithToken("getuserphonenumber", http) is { } failed)
                return failed;
            var body = await Body(http);
            if (string.IsNullOrEmpty(body["code"]?.GetValue<string>()))
                return Error(47001, "data format error");
            return Json(new JsonObject
            {
                ["errcode"] = 0,
                ["errmsg"] = "ok",
                ["phone_info"] = new JsonObject
                {
                    ["phoneNumber"] = PhoneNumber, ["purePhoneNumber"] = PhoneNumber, ["countryCode"] = "86",
                    ["watermark"] = new JsonObject { ["timestamp"] = 1637744274, ["appid"] = appId },
                },
            });
        });

        app.MapPost("/wxa/getwxacodeunlimit", async (HttpContext http) =>
        {
            if (await BeginWithToken("getwxacodeunlimit", http) is { } failed)
                return failed;
            var body = await Body(http);
            var scene = body["scene"]?.GetValue<string>() ?? "";
            if (scene.Length is 0 or > 32)
                return Error(40169, "invalid length for scene");
            // A JPEG as WeChat sends it (only the markers matter to the client).
            return Results.Bytes([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0xFF, 0xD9], "image/jpeg");
        });

        app.MapPost("/cgi-bin/message/subscribe/send", async (HttpContext http) =>
        {
            if (await BeginWithToken("subscribe/send", http) is { } failed)
                return failed;
            SentMessages.Enqueue(await Body(http));
            return Json(new JsonObject { ["errcode"] = 0, ["errmsg"] = "ok" });
        });

        app.MapPost("/wxa/msg_sec_check", async (HttpContext http) =>
        {
            if (await BeginWithToken("msg_sec_check", http) is { } failed)
                return failed;
            var body = await Body(http);
            SecurityChecks.Enqueue(body);
            if (body["version"]?.GetValue<int>() != 2 || body["openid"] is null)
                return Error(47001, "data format error");
            var content = body["content"]?.GetValue<string>() ?? "";
            var (suggest, label) = content.Contains("赌博", StringComparison.Ordinal) ? ("risky", 20006)
                : content.Contains("可疑", StringComparison.Ordinal) ? ("review", 21000) : ("pass", 100);
            return Json(new JsonObject
            {
                ["errcode"] = 0, ["errmsg"] = "ok",
                ["result"] = new JsonObject { ["suggest"] = suggest, ["label"] = label },
                ["detail"] = new JsonArray(),
                ["trace_id"] = "fake-trace",
            });
        });
    }

    private async Task<IResult?> Begin(string api, HttpContext http)
    {
        _calls.AddOrUpdate(api, 1, (_, n) => n + 1);
        if (Hanging.ContainsKey(api))
        {
            try { await Task.Delay(Timeout.Infinite, http.RequestAborted); }
            catch (OperationCanceledException) { }
            return Results.Empty;
        }
        if (_scripted.TryGetValue(api, out var queue) && queue.TryDequeue(out var errCode))
            return Error(errCode, "scripted failure");
        return null;
    }

    private async Task<IResult?> BeginWithToken(string api, HttpContext http)
    {
        if (await Begin(api, http) is { } failed)
            return failed;
        var token = http.Request.Query["access_token"].ToString();
        if (token.Length == 0)
            return Error(41001, "access_token missing");
        return _validTokens.ContainsKey(token) ? null : Error(42001, "access_token expired");
    }

    private static async Task<JsonObject> Body(HttpContext http) =>
        (await JsonNode.ParseAsync(http.Request.Body)) as JsonObject ?? [];

    private static IResult Json(JsonObject body) => Results.Text(body.ToJsonString(), "application/json; encoding=utf-8");

    private static IResult Error(int errCode, string errMsg) =>
        Json(new JsonObject { ["errcode"] = errCode, ["errmsg"] = $"{errMsg} rid: fake" });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
