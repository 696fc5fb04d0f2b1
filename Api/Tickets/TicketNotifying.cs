using System.Data.Common;
using Linli.Api.Auth;
using Linli.Domain.Identity;
using Linli.Domain.Tickets;
using Linli.Infrastructure.Notifications;

namespace Linli.Api.Tickets;

/// <summary>
/// Tells people of a ticket action, inside its transaction: the notifications of the action's row in <see cref="TicketActionTable"/>.
/// Those the ticket does not name (a department's staff, the community's party members …) are read with the ticket
/// itself (<see cref="RecipientColumns"/>), and every notice of the action is written at once, so telling people costs
/// two statements however many they are.
/// </summary>
public sealed class TicketNotifying(NotificationWriter notifications)
{
    /// <summary>The role holders an action may tell, as read with the ticket; each comma-separated, null when none.</summary>
    public sealed class RoleHolderIds
    {
        public string? DepartmentStaff { get; init; }
        public string? PartyMembers { get; init; }
        public string? CommunityStaff { get; init; }
        public string? SummonedStaff { get; init; }
    }

    /// <summary>
    /// The columns the ticket's read adds for the people <paramref name="spec"/>'s notifications go to (fixed text over
    /// <c>t</c>, the tickets row, and the parameters of <see cref="RecipientParameters"/>), read onto <see cref="RoleHolderIds"/>.
    /// </summary>
    public static string RecipientColumns(TicketActionSpec spec) =>
        string.Concat(spec.Notifies.Select(n => n.To switch
        {
            TicketRecipient.DepartmentStaff => Column(Roles.DepartmentStaff, "= COALESCE(@departmentId, t.department_id)", "department_staff"),
            TicketRecipient.PartyMembers => Column(Roles.PartyMember, "= t.community_id", "party_members"),
            TicketRecipient.SummonedDepartments => Column(Roles.DepartmentStaff, "IN @summonedDepartmentIds", "summoned_staff"),
            // Urged: asked only when the ticket names nobody who owes the answer; read it anyway, it is one index range.
            TicketRecipient.CommunityStaff or TicketRecipient.Urged => Column(Roles.CommunityStaff, "= t.community_id", "community_staff"),
            _ => "",
        }).Distinct());

    private static string Column(string role, string scope, string name) => $",\n       {RoleHolders.IdsSql(role, scope)} AS {name}";

    public static object RecipientParameters(TicketActionInput input) =>
        new { departmentId = input.DepartmentId, summonedDepartmentIds = input.SummonedDepartmentIds ?? [] };

    public async Task NotifyAsync(DbConnection connection, DbTransaction transaction, TicketRow ticket, RoleHolderIds holders, TicketActionSpec spec,
        TicketState to, TicketActionInput input, long? me, string? note, DateTimeOffset now, CancellationToken ct)
    {
        var followers = ticket.FollowerIds.Where(id => id != ticket.SubmitterId && id != me).ToList();
        var notices = new List<(IEnumerable<long> UserIds, Notice Notice)>();
        foreach (var n in spec.Notifies.Where(n => n.OnlyTo is null || n.OnlyTo == to))
        {
            var noteText = n.WithNote ? note : null;
            notices.Add((Recipients(ticket, holders, n.To).Where(id => id != me), TicketNotices.For(n.Kind, ticket, to, n.Title(input), noteText, now)));
            // Whoever said "me too" hears what the reporter hears, in their own words.
            if (n.FollowersTitle is { } followersTitle && followers.Count > 0)
                notices.Add((followers, TicketNotices.For(n.Kind, ticket, to, followersTitle(input), noteText, now)));
        }
        await notifications.WriteAsync(connection, transaction, notices, ct);
    }

    private static IReadOnlyList<long> Recipients(TicketRow ticket, RoleHolderIds holders, TicketRecipient recipient)
    {
        IReadOnlyList<long> Handler() => ticket.HandlerUserId is { } h ? [h] : [];
        return recipient switch
        {
            TicketRecipient.Submitter => [ticket.SubmitterId],
            TicketRecipient.Handler => Handler(),
            TicketRecipient.DepartmentStaff => RoleHolders.Ids(holders.DepartmentStaff),
            TicketRecipient.SummonedDepartments => RoleHolders.Ids(holders.SummonedStaff),
            TicketRecipient.PartyMembers => RoleHolders.Ids(holders.PartyMembers),
            TicketRecipient.Urged when ticket.State == TicketState.InProgress => Handler(),
            TicketRecipient.Urged when ticket.DispatchedBy is { } by => [by],
            TicketRecipient.Urged => RoleHolders.Ids(holders.CommunityStaff),
            TicketRecipient.CommunityStaff => RoleHolders.Ids(holders.CommunityStaff),
            _ => [],
        };
    }
}
