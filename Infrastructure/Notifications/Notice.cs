namespace Linli.Infrastructure.Notifications;

/// <summary>
/// One notification to write: the in-app title and body, and the subscribe-message data
/// (WeChat's field names → values; <c>thing*</c> values are cut to 20 characters when sent).
/// </summary>
public sealed record Notice(string Kind, long? TicketId, string Title, string Body, IReadOnlyDictionary<string, string> Data);
