namespace Linli.Infrastructure.Wechat;

public enum WechatMode { Live, Simulated }

/// <summary>Settings under <c>Wechat</c>. AppSecret is a secret: it is never logged.</summary>
public sealed class WechatOptions
{
    public const string Section = "Wechat";

    /// <summary>Unset means Simulated in Development and Testing, Live everywhere else.</summary>
    public WechatMode? Mode { get; set; }
    /// <summary>Production refuses Simulated unless this is set (a staging deployment that must not reach WeChat).</summary>
    public bool AllowSimulatedInProduction { get; set; }
    public string AppId { get; set; } = "";
    public string AppSecret { get; set; } = "";
    public Uri BaseAddress { get; set; } = new("https://api.weixin.qq.com/");
    /// <summary>The deadline of one call to WeChat, retries included.</summary>
    public int TimeoutSeconds { get; set; } = 10;
    /// <summary>How often errcode -1 (system busy) is retried, with a doubling delay starting here.</summary>
    public int BusyRetries { get; set; } = 2;
    public int BusyRetryDelayMilliseconds { get; set; } = 200;
    /// <summary>
    /// The access token is refreshed this long before WeChat says it expires: within stable_token's 5-minute renewal
    /// window (at most <see cref="MaxRefreshAheadSeconds"/>), or normal mode would hand back the same token.
    /// </summary>
    public int AccessTokenRefreshAheadSeconds { get; set; } = 240;
    public const int MaxRefreshAheadSeconds = 300;
    /// <summary>getwxacodeunlimit <c>env_version</c>: release, trial or develop.</summary>
    public string MiniProgramEnvVersion { get; set; } = "release";
    /// <summary>getwxacodeunlimit <c>check_path</c>: false lets codes point at pages not yet released.</summary>
    public bool CheckPath { get; set; } = true;
    /// <summary>The number every phone code gives in Simulated mode.</summary>
    public string SimulatedPhoneNumber { get; set; } = "13812345678";
}
