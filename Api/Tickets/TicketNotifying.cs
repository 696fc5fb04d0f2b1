using System.Data.Common;
using Linli.Api.Auth;
using Linli.Domain.Identity;
using Linli.Domain.Tickets;
using Linli.Infrastructure.Notifications;

namespace Linli.Api.Tickets;

/// <summary>Tells people of a ticket action, inside its transaction: the notifications of the action's row in <see cref="TicketActionTable"/>.</summary>
public sealed class TicketNotifying(NotificationWriter notifications)
{
    public async Task NotifyAsync(DbConnection connection, DbTransaction transaction, TicketRow ticket, TicketActionSpec spec, TicketState to,
        TicketActionInput input, long? me, string? note, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var notification in spec.Notifies.Where(n => n.OnlyTo is null || n.OnlyTo == to))
        {
            var recipients = (await RecipientsAsync(connection, transaction, ticket, notification.To, input, ct)).Where(id => id != me).ToList();
            if (recipients.Count > 0)
                await notifications.WriteAsync(connection, transaction, recipients,
                    TicketNotices.For(notification.Kind, ticket, to, notification.Title(input), notification.WithNote ? note : null, now), ct);
        }
    }

    private static async Task<IReadOnlyList<long>> RecipientsAsync(DbConnection connection, DbTransaction transaction, TicketRow ticket,
        TicketRecipient recipient, TicketActionInput input, CancellationToken ct)
    {
        IReadOnlyList<long> Handler() => ticket.HandlerUserId is { } h ? [h] : [];
        return recipient switch
        {
            TicketRecipient.Submitter => [ticket.SubmitterId],
            TicketRecipient.Handler => Handler(),
            TicketRecipient.DepartmentStaff when (input.DepartmentId ?? ticket.DepartmentId) is { } department =>
                await RoleHolders.OfAsync(connection, transaction, Roles.DepartmentStaff, department, ct),
            TicketRecipient.SummonedDepartments => await SummonedStaffAsync(connection, transaction, input.SummonedDepartmentIds ?? [], ct),
            TicketRecipient.PartyMembers => await RoleHolders.OfAsync(connection, transaction, Roles.PartyMember, ticket.CommunityId, ct),
            TicketRecipient.Urged when ticket.State == TicketState.InProgress => Handler(),
            TicketRecipient.Urged when ticket.DispatchedBy is { } by => [by],
            TicketRecipient.Urged => await RoleHolders.OfAsync(connection, transaction, Roles.CommunityStaff, ticket.CommunityId, ct),
            TicketRecipient.CommunityStaff => await RoleHolders.CommunityStaffAsync(connection, transaction, ticket.CommunityId, ct),
            _ => [],
        };
    }

    private static async Task<IReadOnlyList<long>> SummonedStaffAsync(DbConnection connection, DbTransaction transaction,
        IReadOnlyList<long> departments, CancellationToken ct)
    {
        var staff = new List<long>();
        foreach (var department in departments)
            staff.AddRange(await RoleHolders.OfAsync(connection, transaction, Roles.DepartmentStaff, department, ct));
        return staff.Distinct().ToList();
    }
}
