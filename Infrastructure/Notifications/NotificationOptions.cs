namespace Linli.Infrastructure.Notifications;

/// <summary>Settings under <c>Notifications</c>: subscribe-message template ids per kind, and the outbox worker's pace.</summary>
public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>Notification kind (e.g. <c>ticket_dispatched</c>) → WeChat subscribe-message template id. A kind without one is only in-app.</summary>
    public Dictionary<string, string> Templates { get; set; } = [];

    /// <summary>The mini-program page a message opens; <c>{ticketId}</c> is replaced.</summary>
    public string TicketPage { get; set; } = "pages/tickets/detail?id={ticketId}";

    public int BatchSize { get; set; } = 20;
    public int MaxAttempts { get; set; } = 5;
    /// <summary>How long a claimed message stays with its worker before another may take it (a crash lets it come due again).</summary>
    public int LeaseSeconds { get; set; } = 120;
    public int PollSeconds { get; set; } = 5;
}
