using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Linli.Infrastructure.Wechat;

/// <summary>
/// Calls the WeChat mini-program server APIs over HTTPS (a typed <see cref="HttpClient"/>).
/// Every call has a deadline (<see cref="WechatOptions.TimeoutSeconds"/>, retries included); errcode -1 is retried
/// with a doubling delay, except on calls that spend a single-use code (WeChat may have consumed it: the caller is
/// told to try again with a new one); a rejected access token (40001/40014/42001) is replaced once and the call repeated.
/// Wire formats: developers.weixin.qq.com/miniprogram/dev/OpenApiDoc (each method names its API).
/// Logged are the API name and errcode only: never AppSecret, tokens, codes or session_key.
/// </summary>
public sealed partial class LiveWechatClient(
    HttpClient http, IOptions<WechatOptions> options, WechatAccessTokenStore tokens, ILogger<LiveWechatClient> logger) : IWechatClient
{
    private WechatOptions Options => options.Value;

    /// <summary><c>GET sns/jscode2session?appid&amp;secret&amp;js_code&amp;grant_type=authorization_code</c> → openid, session_key, unionid.</summary>
    public async Task<WechatSession> Code2SessionAsync(string code, CancellationToken cancellationToken)
    {
        var json = await CallJsonAsync("jscode2session", withToken: false, spendsCode: true, _ => new HttpRequestMessage(HttpMethod.Get,
            $"sns/jscode2session?appid={Uri.EscapeDataString(Options.AppId)}&secret={Uri.EscapeDataString(Options.AppSecret)}" +
            $"&js_code={Uri.EscapeDataString(code)}&grant_type=authorization_code"), cancellationToken);
        var openId = json["openid"]?.GetValue<string>();
        var sessionKey = json["session_key"]?.GetValue<string>();
        if (string.IsNullOrEmpty(openId) || sessionKey is null)
            throw Unreadable("jscode2session", "no openid or session_key");
        return new WechatSession(openId, json["unionid"]?.GetValue<string>(), sessionKey);
    }

    /// <summary><c>POST wxa/business/getuserphonenumber {code, openid}</c> → phone_info: phoneNumber, purePhoneNumber, countryCode.</summary>
    public async Task<WechatPhone> GetPhoneNumberAsync(string code, string? openId, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["code"] = code };
        if (!string.IsNullOrEmpty(openId))
            body["openid"] = openId;
        var json = await CallJsonAsync("getuserphonenumber", withToken: true, spendsCode: true, token => Post(
            $"wxa/business/getuserphonenumber?access_token={Uri.EscapeDataString(token!)}", body), cancellationToken);
        var info = json["phone_info"];
        var pure = info?["purePhoneNumber"]?.GetValue<string>();
        if (string.IsNullOrEmpty(pure))
            throw Unreadable("getuserphonenumber", "no phone_info.purePhoneNumber");
        // Documented as a string, shown as a number in WeChat's own example: both are read.
        var countryCode = info?["countryCode"] is JsonValue value
            ? value.TryGetValue<string>(out var text) ? text : value.ToJsonString()
            : WechatPhone.MainlandChina;
        return new WechatPhone(info?["phoneNumber"]?.GetValue<string>() ?? pure, pure, countryCode.TrimStart('+'));
    }

    /// <summary><c>POST wxa/getwxacodeunlimit {scene, page, check_path, env_version}</c> → image bytes, or JSON on failure.</summary>
    public async Task<byte[]> GetUnlimitedQrCodeAsync(string scene, string page, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["scene"] = scene,
            ["page"] = page,
            ["check_path"] = Options.CheckPath,
            ["env_version"] = Options.MiniProgramEnvVersion,
        };
        var response = await CallAsync("getwxacodeunlimit", withToken: true, spendsCode: false, token => Post(
            $"wxa/getwxacodeunlimit?access_token={Uri.EscapeDataString(token!)}", body), cancellationToken);
        // An empty image under an image content type has been seen; cached, it would print a blank door plate for good.
        return response.Image is { Length: > 0 } image ? image : throw Unreadable("getwxacodeunlimit", "an empty image");
    }

    /// <summary><c>POST cgi-bin/message/subscribe/send {touser, template_id, page, data: {key: {value}}}</c>.</summary>
    public async Task SendSubscribeMessageAsync(SubscribeMessage message, CancellationToken cancellationToken)
    {
        var data = new JsonObject();
        foreach (var (key, value) in message.Data)
            data[key] = new JsonObject { ["value"] = value };
        var body = new JsonObject { ["touser"] = message.ToOpenId, ["template_id"] = message.TemplateId, ["data"] = data };
        if (message.Page is not null)
            body["page"] = message.Page;
        await CallJsonAsync("subscribe/send", withToken: true, spendsCode: false, token => Post(
            $"cgi-bin/message/subscribe/send?access_token={Uri.EscapeDataString(token!)}", body), cancellationToken);
    }

    /// <summary><c>POST wxa/msg_sec_check {content, version: 2, scene, openid}</c> → result.suggest and result.label.</summary>
    public async Task<ContentCheckResult> CheckTextAsync(string openid, string content, int scene, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["content"] = content, ["version"] = 2, ["scene"] = scene, ["openid"] = openid };
        var json = await CallJsonAsync("msg_sec_check", withToken: true, spendsCode: false, token => Post(
            $"wxa/msg_sec_check?access_token={Uri.EscapeDataString(token!)}", body), cancellationToken);
        var suggestion = json["result"]?["suggest"]?.GetValue<string>() switch
        {
            "pass" => ContentSuggestion.Pass,
            "review" => ContentSuggestion.Review,
            "risky" => ContentSuggestion.Risky,
            _ => throw Unreadable("msg_sec_check", "no result.suggest"),
        };
        return new ContentCheckResult(suggestion, json["result"]?["label"]?.GetValue<int>() ?? 0, json["trace_id"]?.GetValue<string>());
    }

    /// <summary><c>POST cgi-bin/stable_token {grant_type: client_credential, appid, secret, force_refresh}</c> → access_token, expires_in.</summary>
    private async Task<FetchedAccessToken> FetchStableTokenAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["grant_type"] = "client_credential",
            ["appid"] = Options.AppId,
            ["secret"] = Options.AppSecret,
            ["force_refresh"] = forceRefresh,
        };
        var json = await CallJsonAsync("stable_token", withToken: false, spendsCode: false, _ => Post("cgi-bin/stable_token", body), cancellationToken);
        var token = json["access_token"]?.GetValue<string>();
        var expiresIn = json["expires_in"]?.GetValue<int>() ?? 0;
        if (string.IsNullOrEmpty(token) || expiresIn <= 0)
            throw Unreadable("stable_token", "no access_token or expires_in");
        return new FetchedAccessToken(token, expiresIn);
    }

    private async Task<JsonObject> CallJsonAsync(string api, bool withToken, bool spendsCode, Func<string?, HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        var response = await CallAsync(api, withToken, spendsCode, request, cancellationToken);
        return response.Json ?? throw Unreadable(api, "an image where JSON was expected");
    }

    /// <param name="spendsCode">The request carries a single-use code (login or phone): WeChat may consume it even when it
    /// answers -1, so a retry could only fail with 40029/40163; the caller gets a new code instead.</param>
    private async Task<WechatResponse> CallAsync(string api, bool withToken, bool spendsCode, Func<string?, HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(Options.TimeoutSeconds));
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return await CallWithRetriesAsync(api, withToken, spendsCode, request, linked.Token);
        }
        catch (OperationCanceledException e) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            LogUnavailable(api, "timeout");
            throw new WechatException(null, $"WeChat ({api}) did not answer within {Options.TimeoutSeconds} s.", e);
        }
        catch (HttpRequestException e)
        {
            LogUnavailable(api, e.HttpRequestError.ToString());
            throw new WechatException(null, $"WeChat ({api}) could not be reached.", e);
        }
    }

    private async Task<WechatResponse> CallWithRetriesAsync(string api, bool withToken, bool spendsCode, Func<string?, HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        var fetch = (Func<bool, CancellationToken, Task<FetchedAccessToken>>)FetchStableTokenAsync;
        var token = withToken ? await tokens.GetAsync(fetch, cancellationToken) : null;
        var busyRetries = 0;
        var tokenReplaced = false;
        while (true)
        {
            using var message = request(token);
            using var httpResponse = await http.SendAsync(message, cancellationToken);
            var response = await ReadAsync(api, httpResponse, cancellationToken);
            var errCode = response.ErrCode;
            if (errCode == 0)
                return response;

            if (errCode == WechatErrors.SystemBusy && !spendsCode && busyRetries < Options.BusyRetries)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Options.BusyRetryDelayMilliseconds * (1 << busyRetries)), cancellationToken);
                busyRetries++;
                continue;
            }
            if (withToken && WechatErrors.IsTokenRejected(errCode) && !tokenReplaced)
            {
                token = await tokens.ReplaceRejectedAsync(token!, errCode, fetch, cancellationToken);
                tokenReplaced = true;
                continue;
            }
            LogFailed(api, errCode);
            throw new WechatException(errCode, Describe(api, errCode, response.ErrMsg));
        }
    }

    private static async Task<WechatResponse> ReadAsync(string api, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if ((int)response.StatusCode >= 500)
            throw new WechatException(null, $"WeChat ({api}) answered HTTP {(int)response.StatusCode}.");
        if (!response.IsSuccessStatusCode)
            throw new WechatException(WechatErrors.UnreadableResponse, $"WeChat ({api}) answered HTTP {(int)response.StatusCode}.");
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (response.Content.Headers.ContentType?.MediaType?.StartsWith("image/", StringComparison.OrdinalIgnoreCase) == true)
            return new WechatResponse(0, null, null, bytes);
        // WeChat labels some JSON answers text/plain, so the body decides, not the content type.
        try
        {
            if (JsonNode.Parse(bytes) is not JsonObject json)
                throw Unreadable(api, "not a JSON object");
            var errCode = json["errcode"]?.GetValue<int>() ?? 0;
            return new WechatResponse(errCode, json["errmsg"]?.GetValue<string>(), json, null);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new WechatException(WechatErrors.UnreadableResponse, $"WeChat ({api}) answered something that is not its JSON.", e);
        }
    }

    private static string Describe(string api, int errCode, string? errMsg) => errCode switch
    {
        WechatErrors.SystemBusy => $"WeChat ({api}) is busy (errcode -1); try again shortly" + (api is "jscode2session" or "getuserphonenumber" ? " with a new code." : "."),
        WechatErrors.InvalidCode or WechatErrors.CodeUsed => "The WeChat code is invalid or was already used; sign in again.",
        WechatErrors.HighRiskUser => "WeChat has blocked this account as high-risk.",
        WechatErrors.TooFrequent => "WeChat rejects calls this frequent; try again shortly.",
        _ => $"WeChat ({api}) failed with errcode {errCode}: {errMsg}",
    };

    private static WechatException Unreadable(string api, string what) =>
        new(WechatErrors.UnreadableResponse, $"WeChat ({api}) answered without the expected fields: {what}.");

    private static HttpRequestMessage Post(string uri, JsonObject body) =>
        new(HttpMethod.Post, uri) { Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json") };

    private sealed record WechatResponse(int ErrCode, string? ErrMsg, JsonObject? Json, byte[]? Image);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WeChat {Api} failed with errcode {ErrCode}")]
    private partial void LogFailed(string api, int errCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WeChat {Api} unavailable: {Reason}")]
    private partial void LogUnavailable(string api, string reason);
}
