namespace Linli.Infrastructure.Notifications;

/// <summary>Settings under <c>Notifications</c>: subscribe-message templates per kind, and the outbox worker's pace.</summary>
public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>Notification kind (e.g. <c>ticket_dispatched</c>) → its WeChat subscribe-message template. A kind without one is only in-app.</summary>
    public Dictionary<string, SubscribeTemplate> Templates { get; set; } = [];

    /// <summary>The mini-program page a message opens; <c>{ticketId}</c> is replaced.</summary>
    public string TicketPage { get; set; } = "pages/tickets/detail?id={ticketId}";

    /// <summary>The mini-program page a notice's message opens; <c>{noticeId}</c> is replaced.</summary>
    public string NoticePage { get; set; } = "pages/notices/detail?id={noticeId}";

    public int BatchSize { get; set; } = 20;
    public int MaxAttempts { get; set; } = 5;
    /// <summary>How long a claimed message stays with its worker before another may take it (a crash lets it come due again).</summary>
    public int LeaseSeconds { get; set; } = 120;
    public int PollSeconds { get; set; } = 5;
}

/// <summary>
/// A template chosen in the WeChat console (订阅消息 → 我的模板): its id, and which of the notice's values
/// (<see cref="NoticeValues"/>) fills each of its keywords, e.g. <c>thing2 = category</c>. Checked at start-up.
/// </summary>
public sealed class SubscribeTemplate
{
    public string Id { get; set; } = "";
    public Dictionary<string, string> Keywords { get; set; } = [];
}
