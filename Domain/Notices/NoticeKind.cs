namespace Linli.Domain.Notices;

/// <summary>What a notice (公告) is. Sent and stored as its snake_case name.</summary>
public enum NoticeKind
{
    /// <summary>通知: an ordinary notice.</summary>
    Notice,
    /// <summary>政策: a policy explained.</summary>
    Policy,
    /// <summary>公开: a result made public (一征三议两公开, 党务公开, 公开回复).</summary>
    Result,
    /// <summary>居民公约: the residents' convention; each household acknowledges it.</summary>
    Convention,
    /// <summary>紧急通知: an emergency, sent to everyone in the audience at once, even in quiet hours.</summary>
    Emergency,
}

public static class NoticeKinds
{
    /// <summary>The kind as residents read it in a message.</summary>
    public static string Label(this NoticeKind kind) => kind switch
    {
        NoticeKind.Notice => "通知",
        NoticeKind.Policy => "政策",
        NoticeKind.Result => "公开",
        NoticeKind.Convention => "居民公约",
        NoticeKind.Emergency => "紧急通知",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Only a convention asks each household to acknowledge it.</summary>
    public static bool NeedsAcknowledgement(this NoticeKind kind) => kind == NoticeKind.Convention;

    /// <summary>Only an emergency is sent during quiet hours.</summary>
    public static bool IgnoresQuietHours(this NoticeKind kind) => kind == NoticeKind.Emergency;
}
