using Linli.Domain.Notices;

namespace Linli.Api.Notices;

/// <summary>Settings under <c>Notices</c>: the quiet hours (China time) in which only an emergency's message goes out.</summary>
public sealed class NoticeOptions
{
    public const string Section = "Notices";

    /// <summary>When the quiet hours start (22:00); equal to <see cref="QuietUntil"/>: none.</summary>
    public TimeOnly QuietFrom { get; set; } = QuietHours.Default.From;

    /// <summary>When they end (07:00), the next morning if before <see cref="QuietFrom"/>.</summary>
    public TimeOnly QuietUntil { get; set; } = QuietHours.Default.Until;

    public QuietHours QuietHours => new(QuietFrom, QuietUntil);

    /// <summary>When the subscribe messages of a notice published at <paramref name="publishedAt"/> go out.</summary>
    public DateTimeOffset MessagesFrom(NoticeKind kind, DateTimeOffset publishedAt) =>
        kind.IgnoresQuietHours() ? publishedAt : QuietHours.SendAt(publishedAt);
}
