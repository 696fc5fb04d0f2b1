using Linli.Domain.Tickets;

namespace Linli.Api.Tickets;

/// <summary>
/// What anyone may know of a ticket (issue 15: the nearby list, a followed ticket's card): its category, the start of its
/// description, its state, time and followers. Never who reported it, nor how to reach them.
/// </summary>
public class PublicTicketRow
{
    public const int DescriptionLength = 60;

    public long Id { get; init; }
    public long CategoryId { get; init; }
    public string CategoryName { get; init; } = "";
    public string Description { get; init; } = "";
    public string Status { get; init; } = "";
    public DateTime CreatedAt { get; init; }
    public int Followers { get; init; }

    public string ShortDescription => Description.Length > DescriptionLength ? Description[..DescriptionLength] : Description;
    public TicketState State => TicketStates.Parse(Status);
    public DateTimeOffset Created => TicketRow.Utc(CreatedAt);
}
