using Linli.Api.PartyMembers;
using Linli.Api.Tests.PartyMembers;
using Linli.Api.Tests.Support;
using Linli.Domain.Identity;

namespace Linli.Api.Tests.Tickets;

/// <summary>党员亮身份 on tickets: the handler's badge shows only for a member confirmed in the ticket's community who agreed to show it.</summary>
public class HandlerBadgeTests
{
    private static async Task<long> PublishedAndClaimedAsync(TicketWorld w)
    {
        var ticket = await w.ReportAsync();
        await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "publish");
        await TicketWorld.ActOkAsync(w.PartyMember.Client, ticket.Id, "claim");
        return ticket.Id;
    }

    [Test]
    public async Task AClaimingMembersBadgeShowsOnlyOnceTheyAgreeToShowIt()
    {
        var w = await TicketWorld.CreateAsync();
        var name = TestData.Unique("党员");
        var reportIn = await ReportIns.ReportInAsync(w.PartyMember.Client, w.CommunityId, name, showBadge: false);
        await ReportIns.ConfirmAsync(w.Staff.Client, reportIn);
        var ticketId = await PublishedAndClaimedAsync(w);

        var hidden = (await TicketWorld.GetAsync(w.Resident.Client, ticketId)).Handler!;
        await ReportIns.SetBadgeAsync(w.PartyMember.Client, reportIn, show: true);
        var shown = (await TicketWorld.GetAsync(w.Resident.Client, ticketId)).Handler!;

        Assert.Multiple(() =>
        {
            Assert.That(hidden.UserId, Is.EqualTo(w.PartyMember.Id));
            Assert.That(hidden.IsPartyMember, Is.False, "the member has not agreed to show the badge");
            Assert.That(hidden.PartyBadge, Is.Null);
            Assert.That(shown.IsPartyMember, Is.True);
            Assert.That(shown.PartyBadge, Is.EqualTo(new PartyBadgeDto(name, ReportIns.Organisation)));
        });
    }

    [Test]
    public async Task AMemberConfirmedInAnotherCommunityShowsNoBadgeOnThisCommunitysTicket()
    {
        var w = await TicketWorld.CreateAsync();
        var elsewhere = await w.Data.CommunityAsync();
        var (_, elsewhereStaff) = await w.Data.SignedInAsync(Roles.CommunityStaff, elsewhere);
        var reportIn = await ReportIns.ReportInAsync(w.PartyMember.Client, elsewhere, TestData.Unique("党员"), showBadge: true);
        await ReportIns.ConfirmAsync(elsewhereStaff, reportIn);
        var ticketId = await PublishedAndClaimedAsync(w);

        var handler = (await TicketWorld.GetAsync(w.Staff.Client, ticketId)).Handler!;

        Assert.Multiple(() =>
        {
            Assert.That(handler.UserId, Is.EqualTo(w.PartyMember.Id));
            Assert.That(handler.IsPartyMember, Is.False);
            Assert.That(handler.PartyBadge, Is.Null);
        });
    }

    [Test]
    public async Task APendingReportInShowsNoBadgeEvenIfTheMemberAgreed()
    {
        var w = await TicketWorld.CreateAsync();
        await ReportIns.ReportInAsync(w.PartyMember.Client, w.CommunityId, TestData.Unique("党员"), showBadge: true);
        var ticketId = await PublishedAndClaimedAsync(w);

        var handler = (await TicketWorld.GetAsync(w.Resident.Client, ticketId)).Handler!;

        Assert.That(handler.PartyBadge, Is.Null, "staff have not confirmed the report-in");
    }
}
