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
    private readonly ConcurrentDictionary<string, byte> _usedCodes = new();
    private readonly Lock _tokens = new();
    // stable_token's state for the one AppID: the current token, the one it replaced (valid until its own expiry,
    // WeChat's 5-minute overlap), tokens WeChat refuses although normal mode still hands them out, forced refreshes.
    private IssuedToken? _current;
    private IssuedToken? _previous;
    private readonly HashSet<string> _refused = [];
    private readonly List<DateTimeOffset> _forcedAt = [];
    private int _tokenSerial;

    private sealed record IssuedToken(string Value, DateTimeOffset ExpiresAt);

    /// <summary>WeChat's documented limits (stable_token 注意事项).</summary>
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromSeconds(7200);
    public static readonly TimeSpan RenewalWindow = TimeSpan.FromMinutes(5);
    public const int ForcedRefreshesPerDay = 20;
    public static readonly TimeSpan ForcedRefreshSpacing = TimeSpan.FromSeconds(30);

    private FakeWechatServer(WebApplication app, string appId) => (_app, AppId) = (app, appId);

    public string AppId { get; }

    public Uri BaseAddress { get; private set; } = null!;
    /// <summary>How long stable_token takes to answer: widens the window in which instances race to refresh.</summary>
    public TimeSpan TokenDelay { get; set; }
    /// <summary>APIs that never answer (until the caller gives up).</summary>
    public ConcurrentDictionary<string, byte> Hanging { get; } = new();
    public ConcurrentQueue<bool> ForceRefreshFlags { get; } = new();
    /// <summary>WeChat's clock: token lifetimes, the renewal window and the forced-refresh limits follow it.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;
    /// <summary>What WeChat answers for a token it does not accept (40001, or 40014 "invalid access_token").</summary>
    public int InvalidTokenErrCode { get; set; } = WechatInvalidToken;
    /// <summary>How many distinct access tokens stable_token has issued.</summary>
    public int TokensIssued => Volatile.Read(ref _tokenSerial);
    public ConcurrentQueue<JsonObject> SentMessages { get; } = new();
    /// <summary>The next getwxacodeunlimit answers: "empty" (an image/jpeg of no bytes) or a content type to send a JPEG as.</summary>
    public ConcurrentQueue<string> OddImages { get; } = new();
    /// <summary>getuserphonenumber request bodies, as sent.</summary>
    public ConcurrentQueue<JsonObject> PhoneRequests { get; } = new();
    /// <summary>When set, every phone code gives this number outside mainland China.</summary>
    public (int CountryCode, string Pure)? ForeignPhone { get; set; }
    /// <summary>The subscribe-message templates of the mini-program (我的模板): id → its keywords.</summary>
    public ConcurrentDictionary<string, string[]> Templates { get; } = new();
    /// <summary>The pages of the released mini-program; a subscribe message opening another one is refused (41030).</summary>
    public ConcurrentBag<string> Pages { get; } = ["pages/tickets/detail", "pages/ticket/index", "pages/house/index"];
    public ConcurrentQueue<JsonObject> SecurityChecks { get; } = new();

    public int Calls(string api) => _calls.GetValueOrDefault(api);

    /// <summary>The next calls of <paramref name="api"/> fail with these errcodes, in order.</summary>
    public void Script(string api, params int[] errCodes)
    {
        var queue = _scripted.GetOrAdd(api, _ => new ConcurrentQueue<int>());
        foreach (var code in errCodes)
            queue.Enqueue(code);
    }

    /// <summary>
    /// Every token issued so far stops working and normal mode issues a new one, as after a forced refresh by
    /// somebody else holding the AppID (another deployment, or the WeChat console).
    /// </summary>
    public void ExpireAllTokens()
    {
        lock (_tokens)
        {
            _current = null;
            _previous = null;
        }
    }

    /// <summary>WeChat refuses the current token (40001) while normal mode still hands it out: only a forced refresh helps.</summary>
    public void RefuseCurrentToken()
    {
        lock (_tokens)
        {
            if (_current is not null)
                _refused.Add(_current.Value);
        }
    }

    /// <summary>stable_token as documented: normal mode returns the current token with its remaining lifetime and a
    /// new one only in its last 5 minutes (the old one stays valid until it expires); forced mode invalidates every
    /// earlier token, at most 20 times a day and not within 30 s of the last (then nothing is refreshed).</summary>
    private IResult StableToken(bool force)
    {
        var now = Clock.GetUtcNow();
        lock (_tokens)
        {
            if (force)
            {
                var today = now.ToOffset(TimeSpan.FromHours(8)).Date;
                if (_forcedAt.Count(t => t.ToOffset(TimeSpan.FromHours(8)).Date == today) >= ForcedRefreshesPerDay)
                    return Error(45009, "reach max api daily quota limit");
                if (_forcedAt.Count == 0 || _forcedAt[^1] + ForcedRefreshSpacing <= now || _current is null)
                {
                    _forcedAt.Add(now);
                    _previous = null;
                    _current = Issue(now);
                }
            }
            else if (_current is null || _current.ExpiresAt <= now)
            {
                _previous = null;
                _current = Issue(now);
            }
            else if (_current.ExpiresAt - RenewalWindow <= now)
            {
                _previous = _current;
                _current = Issue(now);
            }
            var expiresIn = (int)Math.Floor((_current.ExpiresAt - now).TotalSeconds);
            return Json(new JsonObject { ["access_token"] = _current.Value, ["expires_in"] = expiresIn });
        }
    }

    private IssuedToken Issue(DateTimeOffset now) =>
        new($"fake-token-{Interlocked.Increment(ref _tokenSerial)}-{Guid.NewGuid():N}", now + TokenLifetime);

    /// <summary>Null when WeChat accepts the token; otherwise the errcode it answers.</summary>
    private int? TokenError(string token)
    {
        var now = Clock.GetUtcNow();
        lock (_tokens)
        {
            if (_refused.Contains(token))
                return WechatInvalidToken;
            foreach (var issued in new[] { _current, _previous })
            {
                if (issued?.Value == token)
                    return issued.ExpiresAt > now ? null : 42001;
            }
            return WechatInvalidToken;
        }
    }

    private const int WechatInvalidToken = 40001;

    public static async Task<FakeWechatServer> StartAsync(string appId)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeWechatServer(app, appId);
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
            var force = body["force_refresh"]?.GetValue<bool>() ?? false;
            ForceRefreshFlags.Enqueue(force);
            if (TokenDelay > TimeSpan.Zero)
                await Task.Delay(TokenDelay);
            return StableToken(force);
        });

        app.MapPost("/wxa/business/getuserphonenumber", async (HttpContext http) =>
        {
            if (await BeginWithToken("getuserphonenumber", http) is { } failed)
                return failed;
            var body = await Body(http);
            PhoneRequests.Enqueue(body);
            var code = body["code"]?.GetValue<string>();
            if (string.IsNullOrEmpty(code))
                return Error(47001, "data format error");
            if (!code.StartsWith("phone-", StringComparison.Ordinal))
                return Error(40029, "invalid code");
            // A number outside mainland China: phoneNumber carries the country code, countryCode is a number as in WeChat's example.
            var info = ForeignPhone is var (country, pure)
                ? new JsonObject { ["phoneNumber"] = $"+{country}{pure}", ["purePhoneNumber"] = pure, ["countryCode"] = country }
                : new JsonObject { ["phoneNumber"] = PhoneNumber, ["purePhoneNumber"] = PhoneNumber, ["countryCode"] = "86" };
            info["watermark"] = new JsonObject { ["timestamp"] = 1637744274, ["appid"] = appId };
            return Json(new JsonObject { ["errcode"] = 0, ["errmsg"] = "ok", ["phone_info"] = info });
        });

        app.MapPost("/wxa/getwxacodeunlimit", async (HttpContext http) =>
        {
            if (await BeginWithToken("getwxacodeunlimit", http) is { } failed)
                return failed;
            var body = await Body(http);
            var scene = body["scene"]?.GetValue<string>() ?? "";
            if (scene.Length is 0 or > 32)
                return Error(40169, "invalid length for scene");
            // Answers WeChat has been seen to give under load: a 200 with an empty image, or with another content type.
            if (OddImages.TryDequeue(out var odd))
                return odd == "empty" ? Results.Bytes([], "image/jpeg") : Results.Bytes([0xFF, 0xD8, 0xFF, 0xD9], odd);
            // A JPEG as WeChat sends it (only the markers matter to the client).
            return Results.Bytes([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0xFF, 0xD9], "image/jpeg");
        });

        app.MapPost("/cgi-bin/message/subscribe/send", async (HttpContext http) =>
        {
            if (await BeginWithToken("subscribe/send", http) is { } failed)
                return failed;
            var body = await Body(http);
            if (string.IsNullOrEmpty(body["touser"]?.GetValue<string>()) || body["touser"]!.GetValue<string>().StartsWith("bad-", StringComparison.Ordinal))
                return Error(40003, "invalid openid");
            var templateId = body["template_id"]?.GetValue<string>() ?? "";
            if (!Templates.TryGetValue(templateId, out var keywords))
                return Error(40037, "invalid template_id");
            if (body["page"]?.GetValue<string>() is { } page && !Pages.Contains(page.Split('?')[0]))
                return Error(41030, "invalid page");
            var data = body["data"] as JsonObject ?? [];
            foreach (var keyword in keywords)
            {
                var value = data[keyword]?["value"]?.GetValue<string>();
                if (SubscribeValueProblem(keyword, value) is { } problem)
                    return Error(47003, $"argument invalid! data.{keyword}.value {problem}");
            }
            SentMessages.Enqueue(body);
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

    /// <summary>
    /// 订阅消息参数值内容限制说明, read on its own (not Linli's code): thing ≤ 20 characters, phrase ≤ 5 Chinese
    /// characters, character_string ≤ 32 letters, digits or symbols, time/date as 2019年10月1日 15:01; never empty;
    /// no line breaks or control characters; characters counted as Unicode scalars, a broken surrogate refused.
    /// </summary>
    private static string? SubscribeValueProblem(string keyword, string? value)
    {
        if (string.IsNullOrEmpty(value))
            return "is empty";
        if (value.Any(char.IsControl) || value.Any(char.IsSurrogate) && value.EnumerateRunes().Any(r => r == System.Text.Rune.ReplacementChar))
            return "invalid";
        var length = value.EnumerateRunes().Count();
        var type = keyword.TrimEnd('0', '1', '2', '3', '4', '5', '6', '7', '8', '9');
        var ok = type switch
        {
            "thing" => length <= 20,
            "phrase" => length <= 5 && value.All(c => c is >= '\u4E00' and <= '\u9FFF'),
            "character_string" => length <= 32 && value.All(c => c is >= '!' and <= '~'),
            "time" => System.Text.RegularExpressions.Regex.IsMatch(value, @"^(\d{4}年\d{1,2}月\d{1,2}日 )?\d{1,2}:\d{2}(~.+)?$"),
            "date" => System.Text.RegularExpressions.Regex.IsMatch(value, @"^\d{4}年\d{1,2}月\d{1,2}日( \d{1,2}:\d{2})?(~.+)?$"),
            _ => true,
        };
        return ok ? null : "invalid";
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
        return TokenError(token) switch
        {
            null => null,
            42001 => Error(42001, "access_token expired"),
            _ => Error(InvalidTokenErrCode, "invalid credential, access_token is invalid or not latest"),
        };
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
