using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Linli.Api.Tests.Support;
using Linli.Api.Tickets;
using Linli.Domain.Identity;
using Linli.Domain.Tickets;

namespace Linli.Api.Tests.Tickets;

/// <summary>Category defaults and recategorization (issue 13).</summary>
public class CategoryDefaultsTests
{
    private static async Task<CategoryDto> CreateCategoryAsync(TicketWorld w, object body)
    {
        var (_, admin) = await w.Data.SignedInAsync(Roles.Admin);
        using var response = await admin.PostAsJsonAsync("/api/v1/ticket-categories", body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<CategoryDto>(TicketsApp.Json))!;
    }

    private static async Task<TicketDto> ReportInAsync(TicketWorld w, long categoryId)
    {
        using var response = await w.PostReportAsync(w.Resident.Client,
            new { categoryId, description = "小区门口井盖松动", gridId = w.GridId });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<TicketDto>(TicketsApp.Json))!;
    }

    [Test]
    public async Task ADispatchWithoutDueTimeTakesTheCategoryWindowAndTheFormSuggestsItsDepartment()
    {
        var w = await TicketWorld.CreateAsync();
        var category = await CreateCategoryAsync(w, new { name = TestData.Unique("井盖"), dueHours = 48, defaultDepartmentId = w.DepartmentId });
        var ticket = await ReportInAsync(w, category.Id);

        var staffView = await TicketWorld.GetAsync(w.Staff.Client, ticket.Id);
        var residentView = await TicketWorld.GetAsync(w.Resident.Client, ticket.Id);
        var dispatchedAt = w.Factory.Clock.GetUtcNow();
        var dispatched = await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "dispatch", new { departmentId = staffView.SuggestedDepartmentId });
        var ownDue = dispatchedAt.AddDays(5);
        var other = await ReportInAsync(w, category.Id);
        var published = await TicketWorld.ActOkAsync(w.Staff.Client, other.Id, "publish", new { dueAt = ownDue });

        Assert.Multiple(() =>
        {
            Assert.That(category.DueHours, Is.EqualTo(48));
            Assert.That(category.DefaultDepartmentId, Is.EqualTo(w.DepartmentId));
            Assert.That(staffView.SuggestedDepartmentId, Is.EqualTo(w.DepartmentId));
            Assert.That(residentView.SuggestedDepartmentId, Is.Null, "the suggestion is for those who work on the ticket");
            Assert.That(dispatched.DepartmentId, Is.EqualTo(w.DepartmentId));
            Assert.That(dispatched.DueAt, Is.EqualTo(dispatchedAt.AddHours(48)).Within(TimeSpan.FromSeconds(1)));
            Assert.That(published.DueAt, Is.EqualTo(ownDue).Within(TimeSpan.FromSeconds(1)), "a due time of its own wins");
        });
    }

    [Test]
    public async Task ACategoryWithoutDueHoursGetsSeventyTwoAndAnAdminCanChangeOrClearItsDefaults()
    {
        var w = await TicketWorld.CreateAsync();
        var category = await CreateCategoryAsync(w, new { name = TestData.Unique("绿化") });
        var (_, admin) = await w.Data.SignedInAsync(Roles.Admin);

        using var changed = await admin.PutAsJsonAsync($"/api/v1/ticket-categories/{category.Id}", new { dueHours = 24, defaultDepartmentId = w.DepartmentId });
        var afterChange = await changed.Content.ReadFromJsonAsync<CategoryDto>(TicketsApp.Json);
        using var cleared = await admin.PutAsJsonAsync($"/api/v1/ticket-categories/{category.Id}", new { clearDefaultDepartment = true });
        var afterClear = await cleared.Content.ReadFromJsonAsync<CategoryDto>(TicketsApp.Json);

        Assert.Multiple(() =>
        {
            Assert.That(category.DueHours, Is.EqualTo(72));
            Assert.That(category.DefaultDepartmentId, Is.Null);
            Assert.That(afterChange!.DueHours, Is.EqualTo(24));
            Assert.That(afterChange.DefaultDepartmentId, Is.EqualTo(w.DepartmentId));
            Assert.That(afterClear!.DueHours, Is.EqualTo(24));
            Assert.That(afterClear.DefaultDepartmentId, Is.Null);
        });
    }

    [TestCase("dueHours", 0)]
    [TestCase("dueHours", 8761)]
    [TestCase("defaultDepartmentId", 0)]
    [TestCase("defaultDepartmentId", 999_999_999)]
    public async Task ABadCategoryDefaultIsAFieldLevel400(string field, long value)
    {
        var w = await TicketWorld.CreateAsync();
        var (_, admin) = await w.Data.SignedInAsync(Roles.Admin);
        var body = new Dictionary<string, object> { ["name"] = TestData.Unique("坏"), [field] = value };

        using var response = await admin.PostAsJsonAsync("/api/v1/ticket-categories", body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(problem.RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { field }));
    }

    [Test]
    public async Task StaffAndAStreetLeaderRecategorizeATicketWithItsReasonOnTheTimeline()
    {
        var w = await TicketWorld.CreateAsync();
        var ticket = await w.ReportAsync();
        var rightCategory = await w.CategoryIdAsync("环境卫生");
        var leaderClient = await w.StreetLeaderAsync();

        using var byResident = await TicketWorld.ActAsync(w.Resident.Client, ticket.Id, "recategorize", new { categoryId = rightCategory, reason = "错了" });
        using var unknown = await TicketWorld.ActAsync(w.Staff.Client, ticket.Id, "recategorize", new { categoryId = 999_999_999, reason = "错了" });
        using var noReason = await TicketWorld.ActAsync(w.Staff.Client, ticket.Id, "recategorize", new { categoryId = rightCategory });
        var fixedTicket = await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "recategorize", new { categoryId = rightCategory, reason = "是垃圾堆放，不是设施" });
        var back = await TicketWorld.ActOkAsync(leaderClient, ticket.Id, "recategorize", new { categoryId = ticket.CategoryId, reason = "街道复核" });

        Assert.Multiple(() =>
        {
            Assert.That(byResident.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(noReason.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(fixedTicket.CategoryId, Is.EqualTo(rightCategory));
            Assert.That(fixedTicket.CategoryName, Is.EqualTo("环境卫生"));
            Assert.That(fixedTicket.Status, Is.EqualTo(TicketState.Submitted));
            Assert.That(back.CategoryId, Is.EqualTo(ticket.CategoryId));
            Assert.That(back.Timeline.Where(e => e.Action == "recategorize").Select(e => (e.Note, e.ActorRole)),
                Is.EqualTo(new[] { ("是垃圾堆放，不是设施", "community_staff"), ("街道复核", "community_staff") }));
        });
    }

    [Test]
    public async Task AResolvedTicketCannotBeRecategorized()
    {
        var w = await TicketWorld.CreateAsync();
        var ticket = await w.ReportAsync();
        await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "take");
        await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "resolve", new { result = "已处理" });

        using var response = await TicketWorld.ActAsync(w.Staff.Client, ticket.Id, "recategorize", new { categoryId = await w.CategoryIdAsync("其他"), reason = "晚了" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
    }
}
