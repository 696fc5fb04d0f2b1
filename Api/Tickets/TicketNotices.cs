using System.Globalization;
using Linli.Domain.Tickets;
using Linli.Infrastructure.Notifications;

namespace Linli.Api.Tickets;

/// <summary>The words of ticket notifications: in-app title and body, and the subscribe-message fields.</summary>
public static class TicketNotices
{
    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

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
        _ => state.ToCode(),
    };

    /// <summary>A notice about a ticket: subscribe-message fields number, category, status, text and time.</summary>
    public static Notice For(string kind, TicketRow ticket, TicketState state, string title, string? text, DateTimeOffset now)
    {
        var body = $"{ticket.Number} {ticket.CategoryName}：{text ?? ticket.Description}";
        var data = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["character_string1"] = ticket.Number,
            ["thing2"] = ticket.CategoryName,
            ["phrase3"] = Label(state),
            ["thing4"] = text ?? ticket.Description,
            ["time5"] = now.ToOffset(ChinaStandardTime).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        };
        return new Notice(kind, ticket.Id, title, body, data);
    }
}
