using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Linli.Api.Tests.Support;
using Linli.Api.Tickets;
using Linli.Domain.Identity;
using Linli.Domain.Tickets;

namespace Linli.Api.Tests.Tickets;

public class ReportingTests
{
    [Test]
    public async Task ReportGetsANumberOfTheChinaDayAndMasksTheContactPhone()
    {
        var w = await TicketWorld.CreateAsync();

        var ticket = await w.ReportAsync();

        var chinaDay = w.Factory.Clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Multiple(() =>
        {
            Assert.That(ticket.Number, Does.Match($"^LL-{chinaDay}-\\d{{4,}}$"));
            Assert.That(ticket.Status, Is.EqualTo(TicketState.Submitted));
            Assert.That(ticket.CommunityId, Is.EqualTo(w.CommunityId), "the grid fixes the community");
            Assert.That(ticket.Channel, Is.EqualTo("mini_program"));
            Assert.That(ticket.ContactPhone, Is.EqualTo("139****5678"));
            Assert.That(ticket.AllowedActions, Is.EquivalentTo(new[] { TicketAction.Cancel }));
        });
        await using var connection = await w.Service<DbDataSource>().OpenConnectionAsync();
        var cipher = await connection.ExecuteScalarAsync<byte[]>("SELECT contact_phone_cipher FROM tickets WHERE id = @id", new { id = ticket.Id });
        Assert.That(System.Text.Encoding.UTF8.GetString(cipher!), Does.Not.Contain("13912345678"), "stored encrypted");
    }

    [Test]
    public async Task ChineseTravelsAsUtf8AndMarkupStaysEscaped()
    {
        var w = await TicketWorld.CreateAsync();
        var ticket = await w.ReportAsync(description: "楼道灯坏了 <b>晚上</b> & 很黑");

        using var response = await w.Resident.Client.GetAsync($"/api/v1/tickets/{ticket.Id}");
        var raw = await response.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(raw, Does.Contain("楼道灯坏了"), "three bytes a character, not a six-byte \\uXXXX escape");
            Assert.That(raw, Does.Not.Contain("\\u697C"));
            Assert.That(raw, Does.Contain("\\u003Cb\\u003E").And.Contain("\\u0026").And.Not.Contain("<b>"));
        });
        Assert.That((await response.Content.ReadFromJsonAsync<TicketDto>(TicketsApp.Json))!.Description, Is.EqualTo("楼道灯坏了 <b>晚上</b> & 很黑"));
    }

    [Test]
    public async Task NumbersOfOneDayAreConsecutive()
    {
        var w = await TicketWorld.CreateAsync();
        var first = await w.ReportAsync();
        var second = await w.ReportAsync();

        var n1 = int.Parse(first.Number[^4..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(second.Number, Is.EqualTo(first.Number[..^4] + (n1 + 1).ToString("0000", System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public async Task InvalidReportNamesEveryBadField()
    {
        var w = await TicketWorld.CreateAsync();

        using var response = await w.PostReportAsync(w.Resident.Client,
            new { categoryId = 999999999, description = "短", photoIds = Enumerable.Range(1, 10).ToArray(), contactPhone = "abc" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        // Each field's form is checked before anything is looked up (the unknown category is named once the form is right).
        Assert.That(errors.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "description", "photoIds", "contactPhone" }));
    }

    [Test]
    public async Task AnEmptyPhoneIsNoPhoneAndADescriptionOfSpacesIsTooShort()
    {
        var w = await TicketWorld.CreateAsync();
        var category = await w.CategoryIdAsync();

        using var emptyPhone = await w.PostReportAsync(w.Resident.Client,
            new { categoryId = category, description = "楼道灯坏了，晚上很黑", gridId = w.GridId, contactPhone = "" });
        using var spaces = await w.PostReportAsync(w.Resident.Client,
            new { categoryId = category, description = "  灯坏了    ", gridId = w.GridId });

        Assert.Multiple(async () =>
        {
            Assert.That(emptyPhone.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((await emptyPhone.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(p => p.Name),
                Is.EqualTo(new[] { "contactPhone" }));
            Assert.That(spaces.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((await spaces.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(p => p.Name),
                Is.EqualTo(new[] { "description" }));
        });
    }

    [Test]
    public async Task AReportFromInsideTheServiceMeetsTheRulesOfTheApi()
    {
        var w = await TicketWorld.CreateAsync();
        var category = await w.CategoryIdAsync();
        var staff = new CallerScope(new Linli.Api.Auth.Caller(w.Staff.Id, [new(Roles.CommunityStaff, w.CommunityId, null, null, null)]));
        await using var connection = await w.Service<DbDataSource>().OpenConnectionAsync();

        // On behalf of someone without their phone (CreateTicketRequest.Validate), and a phone that is no phone (its pattern):
        // what POST /tickets would refuse, named as it would name it.
        var reporting = w.Service<TicketReporting>();
        var noPhone = await reporting.CreateCheckedAsync(connection, staff, TestData.Unique("inside"),
            new CreateTicketRequest(category, "楼道灯坏了，晚上很黑", GridId: w.GridId, Channel: "on_behalf", OnBehalfName: "张阿姨"), CancellationToken.None);
        var badPhone = await reporting.CreateCheckedAsync(connection, staff, TestData.Unique("inside"),
            new CreateTicketRequest(category, "楼道灯坏了，晚上很黑", GridId: w.GridId, Channel: "on_behalf", OnBehalfName: "张阿姨", OnBehalfPhone: "abc"),
            CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(noPhone, Is.TypeOf<TicketOutcome.Invalid>());
            Assert.That((noPhone as TicketOutcome.Invalid)?.Errors.Keys, Is.EquivalentTo(new[] { "onBehalfName" }));
            Assert.That(badPhone, Is.TypeOf<TicketOutcome.Invalid>());
            Assert.That((badPhone as TicketOutcome.Invalid)?.Errors.Keys, Is.EquivalentTo(new[] { "onBehalfPhone" }));
        });
    }

    [Test]
    public async Task AReportWithoutAPlaceOrWithAnUnknownCategoryNamesTheField()
    {
        var w = await TicketWorld.CreateAsync();

        using var nowhere = await w.PostReportAsync(w.Resident.Client, new { categoryId = await w.CategoryIdAsync(), description = "路灯不亮已经三天了" });
        using var unknownCategory = await w.PostReportAsync(w.Resident.Client, new { categoryId = 999999999, description = "路灯不亮已经三天了", gridId = w.GridId });

        Assert.Multiple(async () =>
        {
            Assert.That((await nowhere.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(p => p.Name),
                Is.EqualTo(new[] { "communityId" }));
            Assert.That((await unknownCategory.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(p => p.Name),
                Is.EqualTo(new[] { "categoryId" }));
        });
    }

    [Test]
    public async Task ReportWithoutIdempotencyKeyIsRefused()
    {
        var w = await TicketWorld.CreateAsync();

        using var response = await w.Resident.Client.PostAsJsonAsync("/api/v1/tickets",
            new { categoryId = await w.CategoryIdAsync(), description = "路灯不亮已经三天了", gridId = w.GridId });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("Idempotency-Key", out _), Is.True);
    }

    [TestCase("   ")]
    [TestCase("a key one character longer than the hundred that the contract allows, which the validator refuses.....")]
    public async Task BlankOrOverlongIdempotencyKeyIsRefusedUnderTheHeadersName(string key)
    {
        var w = await TicketWorld.CreateAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tickets")
        {
            Content = JsonContent.Create(new { categoryId = await w.CategoryIdAsync(), description = "路灯不亮已经三天了", gridId = w.GridId }),
        };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);

        using var response = await w.Resident.Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.That(errors.EnumerateObject().Select(e => e.Name), Is.EqualTo(new[] { "Idempotency-Key" }), "named as the client sends it");
        await using var connection = await w.Service<DbDataSource>().OpenConnectionAsync();
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM tickets WHERE submitter_id = @me", new { me = w.Resident.Id }), Is.Zero);
    }

    [Test]
    public async Task UnknownHouseCodeIsABadRequest()
    {
        var w = await TicketWorld.CreateAsync();

        using var response = await w.PostReportAsync(w.Resident.Client,
            new { categoryId = await w.CategoryIdAsync(), description = "出租屋消防通道堵塞", houseCode = "H-NOPE-1" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("houseCode", out _), Is.True);
    }

    [Test]
    public async Task RiskyTextIsRefusedWithAClearMessage()
    {
        var w = await TicketWorld.CreateAsync();

        using var response = await w.PostReportAsync(w.Resident.Client,
            new { categoryId = await w.CategoryIdAsync(), description = "这里有违规内容 [risky]", gridId = w.GridId });

        Assert.That(response.StatusCode, Is.EqualTo((HttpStatusCode)422));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("rephrase"));
    }

    [Test]
    public async Task TextWeChatWantsReviewedIsAcceptedAndFlaggedForStaff()
    {
        var w = await TicketWorld.CreateAsync();

        var ticket = await w.ReportAsync(description: "需要人工看看的内容 [review]");

        Assert.That(ticket.NeedsReview, Is.Null, "the resident is not told");
        Assert.That((await TicketWorld.GetAsync(w.Staff.Client, ticket.Id)).NeedsReview, Is.True);
    }

    [Test]
    public async Task WhenWeChatIsUnreachableTheTicketIsAcceptedAndFlagged()
    {
        // Live mode against a loopback port nobody listens on: WeChat is down.
        using var factory = new LinliFactory(TicketsApp.Settings(
            ("Wechat:Mode", "Live"), ("Wechat:AppId", "wx-test"), ("Wechat:AppSecret", "test-secret"),
            ("Wechat:BaseAddress", "http://127.0.0.1:9/"), ("Wechat:TimeoutSeconds", "2"), ("Wechat:BusyRetries", "0")));
        var w = await TicketWorld.CreateAsync(factory);

        var ticket = await w.ReportAsync(description: "电梯困人，请尽快处理");

        Assert.That((await TicketWorld.GetAsync(w.Staff.Client, ticket.Id)).NeedsReview, Is.True);
    }

    [Test]
    public async Task GridWorkerReportsOnBehalfOfAResidentAndOnlyStaffReportForOthers()
    {
        var w = await TicketWorld.CreateAsync();
        var body = new
        {
            categoryId = await w.CategoryIdAsync("困难帮扶"),
            description = "独居老人需要帮助购买生活用品",
            gridId = w.GridId,
            channel = "on_behalf",
            onBehalfName = "王大爷",
            onBehalfPhone = "13700001111",
        };

        using var byGridWorker = await w.PostReportAsync(w.GridWorker.Client, body);
        using var byResident = await w.PostReportAsync(w.Resident.Client, body);

        Assert.That(byGridWorker.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var ticket = await byGridWorker.Content.ReadFromJsonAsync<TicketDto>(TicketsApp.Json);
        Assert.That(ticket!.Channel, Is.EqualTo("on_behalf"));
        Assert.That(ticket.OnBehalfName, Is.EqualTo("王大爷"));
        Assert.That(ticket.OnBehalfPhone, Is.EqualTo("137****1111"));
        Assert.That(ticket.Timeline[0].ActorRole, Is.EqualTo(Roles.GridWorker));
        Assert.That(byResident.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task CategoriesAreSeededAndAdminsManageThem()
    {
        var w = await TicketWorld.CreateAsync();
        var (_, admin) = await w.Data.SignedInAsync(Roles.Admin);
        var name = TestData.Unique("分类");

        var seeded = await w.Resident.Client.GetFromJsonAsync<List<CategoryDto>>("/api/v1/ticket-categories", TicketsApp.Json);
        using var byResident = await w.Resident.Client.PostAsJsonAsync("/api/v1/ticket-categories", new { name });
        using var created = await admin.PostAsJsonAsync("/api/v1/ticket-categories", new { name, sortOrder = 5 });
        var category = await created.Content.ReadFromJsonAsync<CategoryDto>(TicketsApp.Json);
        using var hidden = await admin.PutAsJsonAsync($"/api/v1/ticket-categories/{category!.Id}", new { isActive = false });
        var after = await w.Resident.Client.GetFromJsonAsync<List<CategoryDto>>("/api/v1/ticket-categories", TicketsApp.Json);

        Assert.That(seeded!.Select(c => c.Name), Is.SupersetOf(new[] { "环境卫生", "设施维修", "治安隐患", "消防安全", "邻里纠纷", "物业服务", "出租房管理", "就业帮扶", "困难帮扶", "其他" }));
        Assert.That(byResident.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(hidden.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(after!.Select(c => c.Name), Does.Not.Contain(name));
    }
}
