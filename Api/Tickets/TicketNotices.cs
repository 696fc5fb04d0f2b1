using System.Globalization;
using Linli.Domain.Tickets;
using Linli.Infrastructure.Notifications;

namespace Linli.Api.Tickets;

/// <summary>The words of ticket notifications: in-app title and body, and the subscribe-message fields.</summary>
public static class TicketNotices
{
    public static string Label(TicketState state) => state switch
    {
        TicketState.Submitted => "待派单",
        TicketState.Dispatched => "已派单",
        TicketState.OpenForClaim => "待领单",
        TicketState.InProgress => "办理中",
        TicketState.Resolved => "已办结",
        TicketState.Closed => "已关闭",
        TicketState.Cancelled => "已取消",
        TicketState.Rejected => "已驳回",
        TicketState.Merged => "已合并",
        TicketState.ReturnVisit => "待回访",
        _ => state.ToCode(),
    };

    /// <summary>
    /// A notice about a ticket, offering a subscribe-message template its number, category, status, a text (the
    /// actor's note, or the description when the note is empty) and the time; each template's configuration picks.
    /// </summary>
    public static Notice For(string kind, TicketRow ticket, TicketState state, string title, string? text, DateTimeOffset now)
    {
        var shown = string.IsNullOrWhiteSpace(text) ? ticket.Description : text;
        var body = $"{ticket.Number} {ticket.CategoryName}：{shown}";
        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [NoticeValues.TicketNumber] = ticket.Number,
            [NoticeValues.Category] = ticket.CategoryName,
            [NoticeValues.Status] = Label(state),
            [NoticeValues.Text] = shown,
            [NoticeValues.Time] = now.ToString("O", CultureInfo.InvariantCulture),
        };
        return new Notice(kind, ticket.Id, title, body, values);
    }
}
