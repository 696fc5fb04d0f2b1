namespace Linli.Infrastructure.Notifications;

/// <summary>
/// One notification to write: the in-app title and body, and the values a subscribe message may show, by Linli's
/// value name (<see cref="NoticeValues"/>). Which WeChat keyword shows which value is each template's configuration
/// (<see cref="SubscribeTemplate.Keywords"/>); the values are fitted to WeChat's rules when the outbox row is written.
/// </summary>
public sealed record Notice(string Kind, long? TicketId, string Title, string Body, IReadOnlyDictionary<string, string?> Values);

/// <summary>The values a notice offers a subscribe-message template, and the keyword types each may fill.</summary>
public static class NoticeValues
{
    public const string TicketNumber = "ticket_number";
    public const string Category = "category";
    public const string Status = "status";
    public const string Text = "text";
    /// <summary>An ISO 8601 instant; shown in China time.</summary>
    public const string Time = "time";
    /// <summary>A notice's (公告) title.</summary>
    public const string Title = "title";
    /// <summary>The community a notice comes from.</summary>
    public const string Community = "community";

    public static readonly IReadOnlyDictionary<string, string[]> KeywordTypes = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        [TicketNumber] = [SubscribeValueRules.CharacterString, SubscribeValueRules.Thing],
        [Category] = [SubscribeValueRules.Thing],
        [Status] = [SubscribeValueRules.Phrase, SubscribeValueRules.Thing],
        [Text] = [SubscribeValueRules.Thing],
        [Time] = [SubscribeValueRules.Time, SubscribeValueRules.Date],
        [Title] = [SubscribeValueRules.Thing],
        [Community] = [SubscribeValueRules.Thing],
    };
}
