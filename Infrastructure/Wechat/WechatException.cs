namespace Linli.Infrastructure.Wechat;

/// <summary>
/// A WeChat call that failed: <see cref="ErrCode"/> is WeChat's errcode, or null when WeChat could not be
/// reached in time (timeout, connection failure). The API maps it to a ProblemDetails status.
/// </summary>
public sealed class WechatException(int? errCode, string message, Exception? inner = null) : Exception(message, inner)
{
    public int? ErrCode { get; } = errCode;

    /// <summary>WeChat unreachable or timed out: the caller may accept the request and retry later.</summary>
    public bool IsUnavailable => ErrCode is null;
}
