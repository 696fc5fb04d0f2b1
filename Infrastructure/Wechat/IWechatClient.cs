namespace Linli.Infrastructure.Wechat;

/// <summary>
/// The WeChat mini-program server APIs Linli uses. The Live implementation calls WeChat over HTTPS;
/// the Simulated one answers locally (./run and tests). Swapping in a library is a one-line change in Program.cs.
/// Failures are <see cref="WechatException"/>; <c>session_key</c>, AppSecret, tokens and codes are never logged.
/// </summary>
public interface IWechatClient
{
    /// <summary><c>sns/jscode2session</c>: exchanges a wx.login code for the user's openid.</summary>
    Task<WechatSession> Code2SessionAsync(string code, CancellationToken cancellationToken);

    /// <summary>
    /// <c>wxa/business/getuserphonenumber</c>: the phone number behind a getPhoneNumber code. With the caller's
    /// <paramref name="openId"/>, WeChat also checks that the code was issued to that user.
    /// </summary>
    Task<WechatPhone> GetPhoneNumberAsync(string code, string? openId, CancellationToken cancellationToken);

    /// <summary><c>wxa/getwxacodeunlimit</c>: a mini-program code (PNG) opening <paramref name="page"/> with <paramref name="scene"/> (≤ 32 chars).</summary>
    Task<byte[]> GetUnlimitedQrCodeAsync(string scene, string page, CancellationToken cancellationToken);

    /// <summary><c>cgi-bin/message/subscribe/send</c>.</summary>
    Task SendSubscribeMessageAsync(SubscribeMessage message, CancellationToken cancellationToken);

    /// <summary><c>wxa/msg_sec_check</c> version 2.</summary>
    Task<ContentCheckResult> CheckTextAsync(string openid, string content, int scene, CancellationToken cancellationToken);
}

/// <summary>The result of code2Session. <see cref="SessionKey"/> never leaves the server.</summary>
public sealed record WechatSession(string OpenId, string? UnionId, string SessionKey);

/// <summary>
/// A phone number as WeChat gives it: without and with its country code (<c>phoneNumber</c> carries it for numbers
/// outside mainland China) and the country code alone (<c>86</c> for the mainland).
/// </summary>
public sealed record WechatPhone(string PhoneNumber, string PurePhoneNumber, string CountryCode)
{
    public const string MainlandChina = "86";

    /// <summary>The digits Linli stores and hashes: a mainland number bare, any other with its country code first.</summary>
    public string WithCountryCode => CountryCode is MainlandChina or "" ? PurePhoneNumber : CountryCode + PurePhoneNumber;
}

/// <summary>A subscribe message: template id, the page it opens, and its data fields (key → value).</summary>
public sealed record SubscribeMessage(string ToOpenId, string TemplateId, string? Page, IReadOnlyDictionary<string, string> Data);

public enum ContentSuggestion { Pass, Review, Risky }

public sealed record ContentCheckResult(ContentSuggestion Suggestion, int Label, string? TraceId);
