namespace Linli.Infrastructure.Wechat;

/// <summary>The WeChat errcodes Linli treats specially (developers.weixin.qq.com, 全局错误码).</summary>
public static class WechatErrors
{
    public const int SystemBusy = -1;
    /// <summary>Not WeChat's: WeChat answered, but not in its documented format.</summary>
    public const int UnreadableResponse = -2;
    public const int InvalidAccessToken = 40001;
    /// <summary>"invalid access_token": the token is not (or no longer) one WeChat issued, e.g. after a forced refresh elsewhere.</summary>
    public const int IllegalAccessToken = 40014;
    public const int ExpiredAccessToken = 42001;
    public const int InvalidCode = 40029;
    public const int CodeUsed = 40163;
    public const int HighRiskUser = 40226;
    public const int TooFrequent = 45011;

    public static bool IsTokenRejected(int errCode) => errCode is InvalidAccessToken or IllegalAccessToken or ExpiredAccessToken;
}
