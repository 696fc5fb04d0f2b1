using System.Data.Common;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Linli.Api.Tests.Houses;
using Linli.Api.Tests.Tickets;
using Linli.Infrastructure.Audit;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Linli.Api.Tests.StaffConsole;

/// <summary>
/// The staff console in a real Chromium: signing in by scan, dispatching, the audited full read of a tenant's
/// number, a CSV download, and an accessibility check and a screenshot (.data/console-screenshots) of every page.
/// </summary>
[NonParallelizable]
public class ConsoleTests
{
    private ConsoleBrowser _browser = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _browser = await ConsoleBrowser.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _browser.DisposeAsync();

    private async Task<(IPage Page, TicketWorld World)> SignedInStaffAsync(string? loginScreenshot = null)
    {
        var world = await TicketWorld.CreateAsync(_browser.Factory);
        var page = await _browser.NewPageAsync();
        await ConsoleBrowser.SignInByScanAsync(page, world.Staff.Client, loginScreenshot);
        return (page, world);
    }

    [Test]
    public async Task StaffSignInByScanningAndLandOnTheDispatchBoard()
    {
        var page = await _browser.NewPageAsync();
        await page.GotoAsync("/console/");
        await Expect(page.Locator("img[data-qr-content]")).ToBeVisibleAsync();
        // Simulated WeChat: the demo staff codes are offered beside the QR code.
        await Expect(page.GetByText("sim:chuanfang-staff")).ToBeVisibleAsync();
        await ConsoleBrowser.AssertAccessibleAsync(page, "the sign-in page");

        var (signedIn, _) = await SignedInStaffAsync(loginScreenshot: "01-sign-in");

        await Expect(signedIn.Locator("#who")).ToContainTextAsync("社区工作人员");
        await Expect(signedIn.Locator("[data-column]")).ToHaveCountAsync(6);
        await ConsoleBrowser.AssertAccessibleAsync(signedIn, "the dispatch board");
    }

    [Test]
    public async Task DispatchingANewTicketTakesItOffTheNewColumn()
    {
        var (page, world) = await SignedInStaffAsync();
        var ticket = await world.ReportAsync(description: "小区门口路灯不亮，请尽快维修");
        await page.ReloadAsync();
        var newColumn = page.Locator("[data-column=new]");
        var card = newColumn.Locator($"[data-ticket-id='{ticket.Id}']");
        await Expect(card).ToBeVisibleAsync();
        await Expect(newColumn.Locator(".count")).ToHaveTextAsync("1");
        await ConsoleBrowser.ScreenshotAsync(page, "02-dispatch-board");

        await card.Locator("a").ClickAsync();
        await Expect(page.Locator("#ticket-status")).ToHaveTextAsync("待派单");
        await ConsoleBrowser.ScreenshotAsync(page, "03-ticket");
        await ConsoleBrowser.AssertAccessibleAsync(page, "the ticket page");

        await page.Locator("[data-action=dispatch]").ClickAsync();
        var dialog = page.Locator("dialog");
        await dialog.Locator("select[name=departmentId]").SelectOptionAsync(world.DepartmentId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await ConsoleBrowser.ScreenshotAsync(page, "04-dispatch-form");
        await ConsoleBrowser.AssertAccessibleAsync(page, "the dispatch form");
        var dispatch = await page.RunAndWaitForRequestAsync(() => dialog.Locator("button[type=submit]").ClickAsync(),
            request => request.Method == "POST" && request.Url.EndsWith($"/api/v1/tickets/{ticket.Id}/dispatch", StringComparison.Ordinal));
        await Expect(page.Locator("#ticket-status")).ToHaveTextAsync("已派单");
        // The form's own key: sent again after a lost answer, the dispatch is answered, not refused as a conflict.
        Assert.That(await dispatch.HeaderValueAsync("idempotency-key"), Does.Match("^[0-9a-f]{32}$"));

        await page.GetByRole(AriaRole.Link, new() { Name = "返回派单看板" }).ClickAsync();
        await Expect(page.Locator($"[data-column=working] [data-ticket-id='{ticket.Id}']")).ToBeVisibleAsync();
        await Expect(newColumn.Locator($"[data-ticket-id='{ticket.Id}']")).ToHaveCountAsync(0);
        await Expect(newColumn.Locator(".count")).ToHaveTextAsync("0");
        var stored = await TicketWorld.GetAsync(world.Staff.Client, ticket.Id);
        Assert.That(stored.DepartmentId, Is.EqualTo(world.DepartmentId));
    }

    [Test]
    public async Task AnEscalatedTicketShowsInTheEscalatedColumnWithItsLevel()
    {
        var (page, world) = await SignedInStaffAsync();
        var ticket = await world.ReportAsync(description: "井盖缺失，已经一周没人管");
        // The clock worker's escalation has its own tests; here only the board's reading of the level matters.
        await using (var connection = await world.Service<DbDataSource>().OpenConnectionAsync())
            await connection.ExecuteAsync("UPDATE tickets SET escalation_level = 2 WHERE id = @id", new { id = ticket.Id });

        await page.ReloadAsync();

        var card = page.Locator($"[data-column=escalated] [data-ticket-id='{ticket.Id}']");
        await Expect(card).ToContainTextAsync("升级2级");
        await Expect(page.Locator("[data-column=new]").Locator($"[data-ticket-id='{ticket.Id}']")).ToContainTextAsync("升级2级");
        Assert.That(await _browser.Factory.CreateClient().GetAsync("/swagger/v1/swagger.json").ContinueWith(t => (int)t.Result.StatusCode),
            Is.EqualTo(404), "the console runs where Swagger is not served");
    }

    [Test]
    public async Task ReadingATenantsFullNumberAsksForAReasonAndLeavesAnAuditRow()
    {
        var houses = await HouseWorld.CreateAsync(_browser.Factory);
        var house = await houses.HouseAsync(landlordId: null, landlordPhone: "13800001111");
        var number = People.IdNumber();
        var tenancy = await HouseWorld.TenancyAsync(houses.Staff, house.Id, number);
        var page = await _browser.NewPageAsync();
        await ConsoleBrowser.SignInByScanAsync(page, houses.Staff);

        await page.GotoAsync("/console/#/houses");
        await page.Locator("#h-community").SelectOptionAsync(houses.CommunityId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.Locator("#h-grid").SelectOptionAsync(houses.GridId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = house.Code })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "下载本网格二维码打印页（PDF）" })).ToBeEnabledAsync();
        await ConsoleBrowser.ScreenshotAsync(page, "05-houses");
        await ConsoleBrowser.AssertAccessibleAsync(page, "the houses of a grid");

        await page.GetByRole(AriaRole.Link, new() { Name = house.Code }).ClickAsync();
        var row = page.Locator($"tr[data-tenancy-id='{tenancy.Id}']");
        await Expect(row.Locator(".document-number")).ToHaveTextAsync(tenancy.DocumentNumber!);
        Assert.That(tenancy.DocumentNumber, Is.Not.EqualTo(number), "the list shows the number masked");
        await ConsoleBrowser.AssertAccessibleAsync(page, "a house with its tenants");

        await row.GetByRole(AriaRole.Button, new() { Name = "查看完整号码" }).ClickAsync();
        await page.Locator("#read-reason").FillAsync("核查出租屋登记信息");
        await ConsoleBrowser.AssertAccessibleAsync(page, "the reason prompt");
        await page.Locator("dialog button[type=submit]").ClickAsync();
        await Expect(row.Locator(".document-number")).ToHaveTextAsync(number);
        await ConsoleBrowser.ScreenshotAsync(page, "06-house-tenants");

        await using var connection = await houses.Db.OpenConnectionAsync();
        var reasons = await connection.QueryAsync<string>(
            "SELECT reason FROM audit_log WHERE action = @action AND subject_type = 'tenancy' AND subject_id = @id",
            new { action = AuditActions.TenancyDocumentRead, id = tenancy.Id });
        Assert.That(reasons, Is.EqualTo(new[] { "核查出租屋登记信息" }));
    }

    [Test]
    public async Task FiguresShowAsChartsAndDownloadAsCsv()
    {
        var (page, world) = await SignedInStaffAsync();
        await world.ReportAsync();
        await page.GotoAsync("/console/#/stats");
        await page.Locator("#s-community").SelectOptionAsync(world.CommunityId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "查询" }).ClickAsync();
        await Expect(page.Locator("[data-chart] svg.chart, [data-chart] p.muted")).ToHaveCountAsync(5);
        await Expect(page.Locator("[data-chart=by-day] svg")).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex("1/0"));
        await ConsoleBrowser.ScreenshotAsync(page, "07-stats");
        await ConsoleBrowser.AssertAccessibleAsync(page, "the figures");

        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Button, new() { Name = "下载 按网格 CSV" }).ClickAsync());
        var path = await download.PathAsync();
        var bytes = await File.ReadAllBytesAsync(path);
        Assert.Multiple(() =>
        {
            Assert.That(download.SuggestedFilename, Does.EndWith(".csv"));
            Assert.That(bytes.Take(3), Is.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }), "UTF-8 with BOM, as Excel needs");
            Assert.That(Encoding.UTF8.GetString(bytes), Does.Contain(","));
        });
    }

    [Test]
    public async Task PartyMemberReportInsAndInvitationsHaveTheirPages()
    {
        var (page, world) = await SignedInStaffAsync();
        using var reportIn = await world.Resident.Client.PostAsJsonAsync("/api/v1/party-members/report-in", new
        {
            name = "张党员", organisation = "某某大学机关第三党支部", isFloating = true, phone = "138 1234 5678",
            communityId = world.CommunityId, skills = new[] { "mediation" }, showBadge = true,
        });
        var memberId = (await reportIn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        await page.GotoAsync("/console/#/party-members");
        var row = page.Locator($"tr[data-party-member-id='{memberId}']");
        await Expect(row).ToContainTextAsync("张党员");
        await ConsoleBrowser.ScreenshotAsync(page, "08-party-members");
        await ConsoleBrowser.AssertAccessibleAsync(page, "the party-member report-ins");
        await row.GetByRole(AriaRole.Button, new() { Name = "确认", Exact = true }).ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        await using (var connection = await world.Service<DbDataSource>().OpenConnectionAsync())
            Assert.That(await connection.ExecuteScalarAsync<string>("SELECT status FROM party_members WHERE id = @memberId", new { memberId }),
                Is.EqualTo("confirmed"));

        await page.GotoAsync("/console/#/invitations");
        await page.Locator("#role").SelectOptionAsync("grid_worker");
        await page.Locator("#communityId").SelectOptionAsync(world.CommunityId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.Locator($"#gridId option[value='{world.GridId}']")).ToHaveCountAsync(1);
        await page.Locator("#gridId").SelectOptionAsync(world.GridId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "生成邀请码" }).ClickAsync();
        await Expect(page.Locator("#invitation-code")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[A-Z2-9]+$"));
        await Expect(page.Locator("#main img")).ToBeVisibleAsync();
        await ConsoleBrowser.ScreenshotAsync(page, "09-invitations");
        await ConsoleBrowser.AssertAccessibleAsync(page, "the invitations");
    }
}
