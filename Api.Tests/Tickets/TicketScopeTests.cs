using System.Net.Http.Json;
using Linli.Api.Tickets;
using Linli.Domain.Identity;

namespace Linli.Api.Tests.Tickets;

/// <summary>Two communities, tickets in several states in each: every role's list is exactly its share, so a leak shows.</summary>
public class TicketScopeTests
{
    [Test]
    public async Task EachRoleListsExactlyTheTicketsItMaySee()
    {
        var a = await TicketWorld.CreateAsync();
        var b = await TicketWorld.CreateAsync();
        var otherGridA = await a.Data.GridAsync(a.CommunityId);

        // Community A: one submitted (grid), one dispatched to A's department, one open for claim, one claimed by the party member,
        // one reported by another resident in another grid.
        var submitted = await a.ReportAsync();
        var dispatched = await a.ReportAsync();
        await TicketWorld.ActOkAsync(a.Staff.Client, dispatched.Id, "dispatch", new { departmentId = a.DepartmentId });
        var open = await a.ReportAsync();
        await TicketWorld.ActOkAsync(a.Staff.Client, open.Id, "publish");
        var claimed = await a.ReportAsync();
        await TicketWorld.ActOkAsync(a.Staff.Client, claimed.Id, "publish");
        await TicketWorld.ActOkAsync(a.PartyMember.Client, claimed.Id, "claim");
        var (_, neighbour) = await a.Data.SignedInAsync(Roles.Resident);
        using (var r = await a.PostReportAsync(neighbour, new { categoryId = await a.CategoryIdAsync(), description = "邻居家漏水到我家", gridId = otherGridA }))
            Assert.That(r.IsSuccessStatusCode, Is.True);
        var neighbours = (await ListAsync(neighbour)).Single();

        // Community B: the same shapes, none of which A's people may see.
        var bSubmitted = await b.ReportAsync();
        var bDispatched = await b.ReportAsync();
        await TicketWorld.ActOkAsync(b.Staff.Client, bDispatched.Id, "dispatch", new { departmentId = b.DepartmentId });
        var bOpen = await b.ReportAsync();
        await TicketWorld.ActOkAsync(b.Staff.Client, bOpen.Id, "publish");

        var aAll = new[] { submitted.Id, dispatched.Id, open.Id, claimed.Id, neighbours };
        {
            Assert.That(await ListAsync(a.Resident.Client), Is.EquivalentTo(new[] { submitted.Id, dispatched.Id, open.Id, claimed.Id }));
            Assert.That(await ListAsync(neighbour), Is.EquivalentTo(new[] { neighbours }));
            Assert.That(await ListAsync(a.Staff.Client), Is.EquivalentTo(aAll));
            Assert.That(await ListAsync(a.DepartmentStaff.Client), Is.EquivalentTo(new[] { dispatched.Id }));
            Assert.That(await ListAsync(a.PartyMember.Client), Is.EquivalentTo(new[] { open.Id, claimed.Id }));
            Assert.That(await ListAsync(a.GridWorker.Client), Is.EquivalentTo(new[] { submitted.Id, dispatched.Id, open.Id, claimed.Id }));
            Assert.That(await ListAsync(b.Staff.Client), Is.EquivalentTo(new[] { bSubmitted.Id, bDispatched.Id, bOpen.Id }));
            Assert.That(await ListAsync(b.PartyMember.Client), Is.EquivalentTo(new[] { bOpen.Id }));
            Assert.That(await ListAsync(b.DepartmentStaff.Client), Is.EquivalentTo(new[] { bDispatched.Id }));
        }
    }

    [Test]
    public async Task ARoleClaimWithoutAnActiveRoleRowGivesNoScope()
    {
        var w = await TicketWorld.CreateAsync();
        await w.ReportAsync();
        var userId = await w.Data.UserAsync();
        var pretender = w.Factory.ClientFor(userId, Roles.CommunityStaff);

        Assert.That(await ListAsync(pretender), Is.Empty);
    }

    [Test]
    public async Task StaffFiltersAndPagesWithACursor()
    {
        var w = await TicketWorld.CreateAsync();
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
            ids.Add((await w.ReportAsync(description: $"第{i}号问题：路面坑洼")).Id);
        await TicketWorld.ActOkAsync(w.Staff.Client, ids[0], "publish");

        var first = await w.Staff.Client.GetFromJsonAsync<TicketPageDto>($"/api/v1/tickets?communityId={w.CommunityId}&status=submitted&limit=2", TicketsApp.Json);
        var second = await w.Staff.Client.GetFromJsonAsync<TicketPageDto>(
            $"/api/v1/tickets?communityId={w.CommunityId}&status=submitted&limit=2&cursor={first!.NextCursor}", TicketsApp.Json);
        var open = await w.Staff.Client.GetFromJsonAsync<TicketPageDto>(
            $"/api/v1/tickets?communityId={w.CommunityId}&status=open_for_claim,dispatched", TicketsApp.Json);
        var text = await w.Staff.Client.GetFromJsonAsync<TicketPageDto>($"/api/v1/tickets?communityId={w.CommunityId}&text=第3号", TicketsApp.Json);

        Assert.That(first.Items.Select(i => i.Id), Is.EqualTo(new[] { ids[4], ids[3] }));
        Assert.That(second!.Items.Select(i => i.Id), Is.EqualTo(new[] { ids[2], ids[1] }));
        // status=submitted alone is the dispatch queue: its cursor names the followers count too (none here).
        Assert.That(first.NextCursor, Is.EqualTo("0." + ids[3].ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(second.NextCursor, Is.Null, "the fifth ticket is open for claim, so the submitted ones end here");
        Assert.That(open!.Items.Select(i => i.Id), Is.EqualTo(new[] { ids[0] }));
        Assert.That(text!.Items.Select(i => i.Id), Is.EqualTo(new[] { ids[3] }));
    }

    [Test]
    public async Task StaffWhoReportedElsewhereSeesEachTicketOnceInOrderAcrossPages()
    {
        var a = await TicketWorld.CreateAsync();
        var b = await TicketWorld.CreateAsync();
        // The list pages with one branch per part of the visibility rule: a ticket of A that the staff member reported
        // is in two branches (staff of A, submitter), one in B only in the submitter's.
        var ids = new List<long>
        {
            (await a.ReportAsync()).Id,
            (await b.ReportAsync(a.Staff.Client)).Id,
            (await a.ReportAsync(a.Staff.Client)).Id,
            (await a.ReportAsync()).Id,
            (await b.ReportAsync(a.Staff.Client)).Id,
        };
        await b.ReportAsync();

        var seen = new List<long>();
        var pages = 0;
        string? cursor = null;
        do
        {
            var page = await a.Staff.Client.GetFromJsonAsync<TicketPageDto>(
                "/api/v1/tickets?status=submitted,dispatched,open_for_claim,in_progress&limit=2" + (cursor is null ? "" : "&cursor=" + cursor), TicketsApp.Json);
            seen.AddRange(page!.Items.Select(i => i.Id));
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.That(seen, Is.EqualTo(ids.AsEnumerable().Reverse()));
        Assert.That(pages, Is.EqualTo(3));
    }

    private static async Task<List<long>> ListAsync(HttpClient client)
    {
        var page = await client.GetFromJsonAsync<TicketPageDto>("/api/v1/tickets?limit=50", TicketsApp.Json);
        return page!.Items.Select(i => i.Id).ToList();
    }
}
