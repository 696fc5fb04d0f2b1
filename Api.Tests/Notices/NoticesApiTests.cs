using System.Data.Common;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Linli.Api.Notices;
using Linli.Api.Tests.Houses;
using Linli.Api.Tests.Support;
using Linli.Api.Tests.Tickets;
using Linli.Api.Tests.Uploads;
using Linli.Domain.Identity;
using Linli.Domain.Notices;
using Linli.Domain.Stats;
using Linli.Infrastructure.Notifications;
using Linli.Infrastructure.Wechat;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Api.Tests.Notices;

/// <summary>
/// The apps the notice tests share: the ticket settings (workers off, a clock tests move) with the notice templates;
/// <see cref="Factory"/> has no quiet hours, <see cref="Quiet"/> is in its quiet hours from the moment it starts.
/// </summary>
public static class NoticesApp
{
    private static readonly Lazy<LinliFactory> Instance = new(() => Start(("Notices:QuietFrom", "00:00"), ("Notices:QuietUntil", "00:00")));

    private static readonly Lazy<LinliFactory> QuietInstance = new(() =>
    {
        var china = TimeOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(ChinaStandardTime.Offset).DateTime);
        return Start(("Notices:QuietFrom", china.AddHours(-1).ToString("HH:mm", CultureInfo.InvariantCulture)),
            ("Notices:QuietUntil", china.AddHours(3).ToString("HH:mm", CultureInfo.InvariantCulture)));
    });

    public static LinliFactory Factory => Instance.Value;
    public static LinliFactory Quiet => QuietInstance.Value;

    private static LinliFactory Start(params (string Key, string? Value)[] extra)
    {
        var factory = new LinliFactory(TicketsApp.Settings([
            .. Template(NoticesApi.PublishedKind, "tpl-notice"), .. Template(NoticesApi.EmergencyKind, "tpl-emergency"), .. extra]));
        _ = factory.Server;
        return factory;
    }

    private static IEnumerable<(string Key, string? Value)> Template(string kind, string id)
    {
        var prefix = $"Notifications:Templates:{kind}";
        yield return ($"{prefix}:Id", id);
        yield return ($"{prefix}:Keywords:thing1", NoticeValues.Title);
        yield return ($"{prefix}:Keywords:thing2", NoticeValues.Category);
        yield return ($"{prefix}:Keywords:thing3", NoticeValues.Community);
        yield return ($"{prefix}:Keywords:time4", NoticeValues.Time);
    }
}

public class NoticesApiTests
{
    private static async Task<HttpClient> ResidentAtAsync(HouseWorld world, object home)
    {
        var (_, client) = await world.ResidentAsync();
        var path = home.GetType().GetProperty("houseCode") is null ? "/api/v1/me/home" : "/api/v1/me/home/house";
        using var response = await client.PutAsJsonAsync(path, home);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return client;
    }

    private static object Notice(long communityId, string kind = "notice", long[]? gridIds = null, object[]? buildings = null,
        DateTimeOffset? pinnedUntil = null, string? title = null) => new
    {
        kind, title = title ?? TestData.Unique("停水通知"), body = "明天上午9点到12点停水，请提前储水。",
        audience = new { communityId, gridIds, buildings }, pinnedUntil,
    };

    /// <summary>POST /api/v1/notices as the mini-program sends it: with an Idempotency-Key, a fresh one unless given.</summary>
    internal static Task<HttpResponseMessage> SendPublishAsync(HttpClient by, object body, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/notices") { Content = JsonContent.Create(body, options: TicketsApp.Json) };
        request.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString("N"));
        return by.SendAsync(request);
    }

    private static async Task<NoticeDto> PublishAsync(HttpClient staff, object body)
    {
        using var response = await SendPublishAsync(staff, body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<NoticeDto>(TicketsApp.Json))!;
    }

    private static async Task<List<NoticeItemDto>> MineAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<NoticePageDto>("/api/v1/notices?limit=50", TicketsApp.Json))!.Items.ToList();

    private static async Task<NoticeReceiptsDto> ReceiptsAsync(HttpClient staff, long id) =>
        (await staff.GetFromJsonAsync<NoticeReceiptsDto>($"/api/v1/notices/{id}/receipts", TicketsApp.Json))!;

    private static (int Recipients, int Read, int Households, int Acknowledged) Counted(NoticeReceiptsDto receipts) =>
        (receipts.Recipients, receipts.Read, receipts.Households, receipts.AcknowledgedHouseholds);

    /// <summary>
    /// Delivers what the test left due: the worker takes the oldest due rows of the shared database first, so messages
    /// left behind would be sent ahead of the next test's own (which may script WeChat's answer to its first message).
    /// </summary>
    [TearDown]
    public Task DeliverWhatIsDueAsync() => DrainOutboxAsync(NoticesApp.Factory);

    private static async Task DrainOutboxAsync(LinliFactory factory)
    {
        var outbox = factory.Services.GetRequiredService<OutboxWorker>();
        for (var round = 0; round < 200 && await outbox.RunOnceAsync(CancellationToken.None) > 0; round++)
        {
        }
    }

    [Test]
    public async Task AGridNoticeReachesThatGridsResidentsAndNobodyElseWithOneMessageEach()
    {
        var world = await HouseWorld.CreateAsync(NoticesApp.Factory);
        var inGrid = new[]
        {
            await ResidentAtAsync(world, new { communityId = world.CommunityId, gridId = world.GridId }),
            await ResidentAtAsync(world, new { communityId = world.CommunityId, gridId = world.GridId }),
        };
        var otherGrid = await ResidentAtAsync(world, new { communityId = world.CommunityId, gridId = world.OtherGridId });
        var otherCommunity = await world.Data.CommunityAsync();
        var elsewhere = await ResidentAtAsync(world, new { communityId = otherCommunity, gridId = await world.Data.GridAsync(otherCommunity) });
        var (_, nowhere) = await world.ResidentAsync();

        var notice = await PublishAsync(world.Staff, Notice(world.CommunityId, gridIds: [world.GridId]));

        foreach (var resident in inGrid)
            Assert.That((await MineAsync(resident)).Select(n => n.Id), Is.EqualTo(new[] { notice.Id }));
        foreach (var outsider in new[] { otherGrid, elsewhere, nowhere })
        {
            Assert.That(await MineAsync(outsider), Is.Empty);
            using var direct = await outsider.GetAsync($"/api/v1/notices/{notice.Id}");
            using var read = await outsider.PostAsync($"/api/v1/notices/{notice.Id}/read", null);
            Assert.That(direct.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        }
        Assert.That(notice.Receipts.Recipients, Is.EqualTo(2));
        Assert.That(notice.Receipts.Grids.Select(g => (g.GridId, g.Recipients)), Is.EqualTo(new[] { (world.GridId, 2) }));

        await DrainOutboxAsync(NoticesApp.Factory);
        await DrainOutboxAsync(NoticesApp.Factory);
        await using var connection = await world.Db.OpenConnectionAsync();
        var outbox = (await connection.QueryAsync<(long UserId, string Status, string Kind)>("""
            SELECT o.user_id, o.status, o.kind FROM notification_outbox o JOIN notifications n ON n.id = o.notification_id
            WHERE n.notice_id = @Id
            """, new { notice.Id })).ToList();
        var messages = (await connection.QueryAsync<(string OpenId, string Page, string Data)>("""
            SELECT m.to_openid, m.page, m.data_json FROM wechat_simulated_messages m
            JOIN users u ON u.openid = m.to_openid
            JOIN notice_recipients r ON r.user_id = u.id AND r.notice_id = @Id
            WHERE m.template_id = 'tpl-notice'
            """, new { notice.Id })).ToList();
        var inApp = await inGrid[0].GetFromJsonAsync<JsonElement>("/api/v1/notifications");
        Assert.Multiple(() =>
        {
            Assert.That(outbox, Has.Count.EqualTo(2));
            Assert.That(outbox.Select(s => s.UserId).Distinct().Count(), Is.EqualTo(2));
            Assert.That(outbox.Select(s => s.Status), Is.All.EqualTo("sent"));
            Assert.That(outbox.Select(s => s.Kind), Is.All.EqualTo(NoticesApi.PublishedKind));
            Assert.That(messages, Has.Count.EqualTo(2));
            Assert.That(messages.Select(m => m.OpenId).Distinct().Count(), Is.EqualTo(2));
            Assert.That(messages.Select(m => m.Page), Is.All.EqualTo($"pages/notices/detail?id={notice.Id}"));
            Assert.That(JsonSerializer.Deserialize<Dictionary<string, string>>(messages[0].Data)!["thing2"], Is.EqualTo("通知"));
            Assert.That(inApp.GetProperty("items").EnumerateArray().Count(i => i.GetProperty("noticeId").ValueKind == JsonValueKind.Number
                && i.GetProperty("noticeId").GetInt64() == notice.Id), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task ABuildingNoticeReachesOnlyThatBuilding()
    {
        var world = await HouseWorld.CreateAsync(NoticesApp.Factory);
        var house = await world.HouseAsync(null, landlordPhone: People.Phone());
        var otherHouse = await world.HouseAsync(null, landlordPhone: People.Phone());
        var inside = await ResidentAtAsync(world, new { houseCode = house.Code });
        var nextDoor = await ResidentAtAsync(world, new { houseCode = otherHouse.Code });
        var sameGridNoHouse = await ResidentAtAsync(world, new { communityId = world.CommunityId, gridId = world.GridId });

        var notice = await PublishAsync(world.Staff, Notice(world.CommunityId,
            buildings: [new { street = house.Address.Street, building = house.Address.Building }]));

        Assert.Multiple(async () =>
        {
            Assert.That((await MineAsync(inside)).Select(n => n.Id), Is.EqualTo(new[] { notice.Id }));
            Assert.That(await MineAsync(nextDoor), Is.Empty);
            Assert.That(await MineAsync(sameGridNoHouse), Is.Empty);
            Assert.That(notice.Receipts.Recipients, Is.EqualTo(1));
            Assert.That(notice.Audience.Buildings.Single().Building, Is.EqualTo(house.Address.Building));
        });
    }

    [Test]
    public async Task ReadReceiptsAndAcknowledgementsPerHouseholdAreCountedExactly()
    {
        var world = await HouseWorld.CreateAsync(NoticesApp.Factory);
        var house = await world.HouseAsync(null, landlordPhone: People.Phone());
        var husband = await ResidentAtAsync(world, new { houseCode = house.Code });
        var wife = await ResidentAtAsync(world, new { houseCode = house.Code });
        var single = await ResidentAtAsync(world, new { communityId = world.CommunityId, gridId = world.OtherGridId });
        var (_, outsider) = await world.ResidentAsync();
        var convention = await PublishAsync(world.Staff, Notice(world.CommunityId, "convention", title: "居民公约"));
        var plain = await PublishAsync(world.Staff, Notice(world.CommunityId));

        var before = await ReceiptsAsync(world.Staff, convention.Id);
        foreach (var _ in new[] { 1, 2 })
        {
            using var read = await husband.PostAsync($"/api/v1/notices/{convention.Id}/read", null);
            Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }
        var afterRead = await ReceiptsAsync(world.Staff, convention.Id);
        foreach (var resident in new[] { husband, wife, wife })
        {
            using var ack = await resident.PostAsync($"/api/v1/notices/{convention.Id}/acknowledge", null);
            Assert.That(ack.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }
        var oneHousehold = await ReceiptsAsync(world.Staff, convention.Id);
        (await single.PostAsync($"/api/v1/notices/{convention.Id}/acknowledge", null)).Dispose();
        var both = await ReceiptsAsync(world.Staff, convention.Id);
        using var outsiderAck = await outsider.PostAsync($"/api/v1/notices/{convention.Id}/acknowledge", null);
        using var plainAck = await husband.PostAsync($"/api/v1/notices/{plain.Id}/acknowledge", null);
        using var residentReceipts = await husband.GetAsync($"/api/v1/notices/{convention.Id}/receipts");
        var item = (await MineAsync(wife)).Single(n => n.Id == convention.Id);
        var plainReceipts = await ReceiptsAsync(world.Staff, plain.Id);

        Assert.Multiple(async () =>
        {
            Assert.That(Counted(before), Is.EqualTo((3, 0, 2, 0)));
            Assert.That(Counted(afterRead), Is.EqualTo((3, 1, 2, 0)));
            Assert.That(Counted(oneHousehold), Is.EqualTo((3, 2, 2, 1)));
            Assert.That(Counted(both), Is.EqualTo((3, 3, 2, 2)));
            Assert.That(both.Grids.Select(g => (g.GridId, g.Recipients, g.Read)),
                Is.EqualTo(new[] { (world.GridId, 2, 2), (world.OtherGridId, 1, 1) }));
            Assert.That(Counted(plainReceipts), Is.EqualTo((3, 0, 2, 0)));
            Assert.That(outsiderAck.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(plainAck.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That((await plainAck.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("kind").GetString(), Is.EqualTo("notice"));
            Assert.That(residentReceipts.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(item.NeedsAcknowledgement, Is.True);
            Assert.That(item.AcknowledgedAt, Is.Not.Null);
            Assert.That(item.ReadAt, Is.Not.Null);
        });
    }

    [Test]
    public async Task PinnedNoticesComeFirstThenNewestAPageAtATime()
    {
        var world = await HouseWorld.CreateAsync(NoticesApp.Factory);
        var resident = await ResidentAtAsync(world, new { communityId = world.CommunityId, gridId = world.GridId });
        var oldest = await PublishAsync(world.Staff, Notice(world.CommunityId));
        var pinned = await PublishAsync(world.Staff, Notice(world.CommunityId, "policy", pinnedUntil: NoticesApp.Factory.Clock.GetUtcNow().AddDays(3)));
        var newest = await PublishAsync(world.Staff, Notice(world.CommunityId, "result"));

        var first = (await resident.GetFromJsonAsync<NoticePageDto>("/api/v1/notices?limit=2", TicketsApp.Json))!;
        var second = (await resident.GetFromJsonAsync<NoticePageDto>($"/api/v1/notices?limit=2&cursor={first.NextCursor}", TicketsApp.Json))!;
        using var badCursor = await resident.GetAsync("/api/v1/notices?cursor=x");
        using var badLimit = await resident.GetAsync("/api/v1/notices?limit=500");

        Assert.Multiple(() =>
        {
            Assert.That(first.Items.Select(n => n.Id), Is.EqualTo(new[] { pinned.Id, newest.Id }));
            Assert.That(first.Items[0].Pinned, Is.True);
            Assert.That(first.Items[1].Pinned, Is.False);
            Assert.That(second.Items.Select(n => n.Id), Is.EqualTo(new[] { oldest.Id }));
            Assert.That(second.NextCursor, Is.Null);
            Assert.That(badCursor.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(badLimit.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        });
    }

    [Test]
    public async Task OnlyTheCommunitysStaffAndStreetLeadersPublishAndBadNoticesAreRefused()
    {
        var world = await HouseWorld.CreateAsync(NoticesApp.Factory);
        var (_, resident) = await world.ResidentAsync();
        var (_, foreignStaff) = await world.Data.SignedInAsync(Roles.CommunityStaff, await world.Data.CommunityAsync());
        var foreignGrid = await world.Data.GridAsync(await world.Data.CommunityAsync());

        using var byResident = await SendPublishAsync(resident, Notice(world.CommunityId));
        using var byWorker = await SendPublishAsync(world.Worker, Notice(world.CommunityId));
        using var byForeignStaff = await SendPublishAsync(foreignStaff, Notice(world.CommunityId));
        using var badKind = await SendPublishAsync(world.Staff, Notice(world.CommunityId, "rumour"));
        using var noTitle = await SendPublishAsync(world.Staff, new { kind = "notice", body = "正文内容", audience = new { communityId = world.CommunityId } });
        using var grid = await SendPublishAsync(world.Staff, Notice(world.CommunityId, gridIds: [foreignGrid]));
        using var building = await SendPublishAsync(world.Staff, Notice(world.CommunityId,
            buildings: [new { street = "没有的路", building = "99号楼" }]));
        using var pastPin = await SendPublishAsync(world.Staff,
            Notice(world.CommunityId, pinnedUntil: NoticesApp.Factory.Clock.GetUtcNow().AddDays(-1)));
        using var risky = await SendPublishAsync(world.Staff, Notice(world.CommunityId, title: "公告" + SimulatedWechatClient.RiskyMarker));
        var review = await PublishAsync(world.Staff, Notice(world.CommunityId, title: "公告" + SimulatedWechatClient.ReviewMarker));
        await using var connection = await world.Db.OpenConnectionAsync();
        var published = await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM notices WHERE community_id = @CommunityId", new { world.CommunityId });

        Assert.Multiple(async () =>
        {
            Assert.That(byResident.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(byWorker.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(byForeignStaff.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(await Errors(badKind), Does.ContainKey("kind"));
            Assert.That(await Errors(noTitle), Does.ContainKey("title"));
            Assert.That(await Errors(grid), Does.ContainKey("audience.gridIds"));
            Assert.That(await Errors(building), Does.ContainKey("audience.buildings"));
            Assert.That(await Errors(pastPin), Does.ContainKey("pinnedUntil"));
            Assert.That(risky.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That(review.NeedsReview, Is.True);
            Assert.That(published, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task AStreetLeaderPublishesInTheirStreetOfficeAndSeesTheCommunitysNoticesWithReceipts()
    {
        var world = await HouseWorld.CreateAsync(NoticesApp.Factory);
        var street = await world.Data.StreetOfficeAsync();
        await using (var c = await world.Db.OpenConnectionAsync())
            await c.ExecuteAsync("UPDATE communities SET street_office_id = @street WHERE id = @CommunityId", new { street, world.CommunityId });
        var leaderId = await world.Data.UserAsync("街道领导");
        await world.Data.GrantAsync(leaderId, Roles.StreetLeader, streetOfficeId: street);
        var leader = world.Factory.ClientFor(leaderId, Roles.StreetLeader);
        var resident = await ResidentAtAsync(world, new { communityId = world.CommunityId, gridId = world.GridId });
        var other = await world.Data.CommunityAsync();

        var notice = await PublishAsync(leader, Notice(world.CommunityId, "emergency", title: "燃气泄漏紧急通知"));
        using var elsewhere = await SendPublishAsync(leader, Notice(other));
        (await resident.PostAsync($"/api/v1/notices/{notice.Id}/read", null)).Dispose();
        var list = (await leader.GetFromJsonAsync<PublishedNoticePageDto>($"/api/v1/communities/{world.CommunityId}/notices", TicketsApp.Json))!;
        using var foreignList = await leader.GetAsync($"/api/v1/communities/{other}/notices");
        using var byWorker = await world.Worker.GetAsync($"/api/v1/communities/{world.CommunityId}/notices");

        Assert.Multiple(() =>
        {
            Assert.That(elsewhere.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(list.Items.Select(n => n.Id), Is.EqualTo(new[] { notice.Id }));
            Assert.That(list.Items[0].Kind, Is.EqualTo(NoticeKind.Emergency));
            Assert.That((list.Items[0].Receipts.Recipients, list.Items[0].Receipts.Read), Is.EqualTo((1, 1)));
            Assert.That(foreignList.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(byWorker.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        });
    }

    [Test]
    public async Task ANoticesPhotosAreSeenByItsAudienceAndNobodyElseAndCannotBeAttachedTwice()
    {
        var world = await HouseWorld.CreateAsync(NoticesApp.Factory);
        var resident = await ResidentAtAsync(world, new { communityId = world.CommunityId, gridId = world.GridId });
        var (_, outsider) = await world.ResidentAsync();
        var (status, photoId) = await UploadsTests.UploadAsync(world.Staff, UploadsTests.Photo(32, 24));
        Assert.That(status, Is.EqualTo(HttpStatusCode.Created));

        var notice = await PublishAsync(world.Staff, new
        {
            kind = "result", title = "议事结果公开", body = "加装电梯方案经居民议事会表决通过。",
            audience = new { communityId = world.CommunityId }, photoIds = new[] { photoId },
        });
        using var again = await SendPublishAsync(world.Staff, new
        {
            kind = "result", title = "议事结果公开", body = "同一张照片不能再用。",
            audience = new { communityId = world.CommunityId }, photoIds = new[] { photoId },
        });
        using var byResident = await resident.GetAsync(notice.Photos.Single().Url);
        using var byOutsider = await outsider.GetAsync(notice.Photos.Single().Url);

        Assert.Multiple(async () =>
        {
            Assert.That(notice.Photos.Select(p => p.Id), Is.EqualTo(new[] { photoId }));
            Assert.That((await MineAsync(resident)).Single().Photos.Select(p => p.Id), Is.EqualTo(new[] { photoId }));
            Assert.That(byResident.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(byOutsider.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(await Errors(again), Does.ContainKey("photoIds"));
        });
    }

    [Test]
    public async Task AnEmergencyToAWholeCommunityGoesOutInOneRoundOfTheWorkerOneMessageEach()
    {
        var world = await HouseWorld.CreateAsync(NoticesApp.Factory);
        var batch = NoticesApp.Factory.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<NotificationOptions>>().Value.BatchSize;
        var residents = batch * 2 + 5;
        for (var i = 0; i < residents; i++)
            await ResidentAtAsync(world, new { communityId = world.CommunityId, gridId = i % 2 == 0 ? world.GridId : world.OtherGridId });

        var notice = await PublishAsync(world.Staff, Notice(world.CommunityId, "emergency", title: "暴雨红色预警"));
        await NoticesApp.Factory.Services.GetRequiredService<OutboxWorker>().RunUntilIdleAsync(CancellationToken.None);
        await using var connection = await world.Db.OpenConnectionAsync();
        var outbox = (await connection.QueryAsync<(long UserId, string Status)>("""
            SELECT o.user_id, o.status FROM notification_outbox o JOIN notifications n ON n.id = o.notification_id WHERE n.notice_id = @Id
            """, new { notice.Id })).ToList();
        var messages = await connection.ExecuteScalarAsync<long>("""
            SELECT COUNT(*) FROM wechat_simulated_messages m JOIN users u ON u.openid = m.to_openid
            JOIN notice_recipients r ON r.user_id = u.id AND r.notice_id = @Id
            WHERE m.template_id = 'tpl-emergency'
            """, new { notice.Id });

        Assert.Multiple(() =>
        {
            Assert.That(notice.Receipts.Recipients, Is.EqualTo(residents));
            Assert.That(outbox.Select(o => o.UserId).Distinct().Count(), Is.EqualTo(residents));
            Assert.That(outbox.Select(o => o.Status), Is.All.EqualTo("sent"));
            Assert.That(messages, Is.EqualTo(residents));
        });
    }

    [Test]
    public async Task InQuietHoursAnEmergencyGoesAtOnceAndAnOrdinaryNoticeWaitsForTheMorning()
    {
        var factory = NoticesApp.Quiet;
        var world = await HouseWorld.CreateAsync(factory);
        await ResidentAtAsync(world, new { communityId = world.CommunityId, gridId = world.GridId });
        await ResidentAtAsync(world, new { communityId = world.CommunityId, gridId = world.OtherGridId });

        var now = factory.Clock.GetUtcNow();
        var ordinary = await PublishAsync(world.Staff, Notice(world.CommunityId, "notice"));
        var emergency = await PublishAsync(world.Staff, Notice(world.CommunityId, "emergency"));
        await DrainOutboxAsync(factory);
        await using var connection = await world.Db.OpenConnectionAsync();
        var rows = (await connection.QueryAsync<(long NoticeId, string Status, string? TemplateId, DateTime NextAttemptAt)>("""
            SELECT n.notice_id, o.status, o.template_id, o.next_attempt_at FROM notification_outbox o
            JOIN notifications n ON n.id = o.notification_id WHERE n.notice_id IN @ids
            """, new { ids = new[] { ordinary.Id, emergency.Id } })).ToList();
        var waiting = rows.Where(r => r.NoticeId == ordinary.Id).ToList();
        var sent = rows.Where(r => r.NoticeId == emergency.Id).ToList();

        factory.Clock.Advance(ordinary.MessagesFrom - factory.Clock.GetUtcNow());
        await DrainOutboxAsync(factory);
        var morning = (await connection.QueryAsync<string>("""
            SELECT o.status FROM notification_outbox o JOIN notifications n ON n.id = o.notification_id WHERE n.notice_id = @Id
            """, new { ordinary.Id })).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(morning, Is.EqualTo(new[] { "sent", "sent" }), "sent when the quiet hours end");
            Assert.That(ordinary.MessagesFrom, Is.GreaterThan(now.AddHours(2)).And.LessThanOrEqualTo(now.AddHours(3).AddMinutes(1)));
            Assert.That(emergency.MessagesFrom, Is.EqualTo(emergency.PublishedAt));
            Assert.That(waiting.Select(r => r.Status), Is.EqualTo(new[] { "pending", "pending" }));
            Assert.That(waiting.Select(r => new DateTimeOffset(DateTime.SpecifyKind(r.NextAttemptAt, DateTimeKind.Utc))),
                Is.All.EqualTo(ordinary.MessagesFrom));
            Assert.That(sent.Select(r => (r.Status, r.TemplateId)), Is.EqualTo(new[] { ("sent", "tpl-emergency"), ("sent", "tpl-emergency") }));
        });
    }

    private static async Task<Dictionary<string, JsonElement>> Errors(HttpResponseMessage response)
    {
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), await response.Content.ReadAsStringAsync());
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return problem.GetProperty("errors").EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
    }

    private static async Task<(long Notices, long Messages)> PublishedCountsAsync(HouseWorld world)
    {
        await using var connection = await world.Db.OpenConnectionAsync();
        return (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM notices WHERE community_id = @CommunityId", new { world.CommunityId }),
            await connection.ExecuteScalarAsync<long>("""
                SELECT COUNT(*) FROM notification_outbox o JOIN notifications n ON n.id = o.notification_id
                JOIN notices x ON x.id = n.notice_id WHERE x.community_id = @CommunityId
                """, new { world.CommunityId }));
    }

    [Test]
    public async Task ARetryAnswersTheFirstNoticeAndTellsNobodyTwice()
    {
        var world = await HouseWorld.CreateAsync(NoticesApp.Factory);
        await ResidentAtAsync(world, new { communityId = world.CommunityId, gridId = world.GridId });
        await ResidentAtAsync(world, new { communityId = world.CommunityId, gridId = world.GridId });
        var key = Guid.NewGuid().ToString("N");
        var body = Notice(world.CommunityId);

        using var first = await SendPublishAsync(world.Staff, body, key);
        using var retry = await SendPublishAsync(world.Staff, body, key);
        var published = await first.Content.ReadFromJsonAsync<NoticeDto>(TicketsApp.Json);
        var replayed = await retry.Content.ReadFromJsonAsync<NoticeDto>(TicketsApp.Json);

        Assert.Multiple(async () =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(replayed!.Id, Is.EqualTo(published!.Id));
            Assert.That((replayed.Title, replayed.Audience.CommunityId, replayed.Receipts.Recipients),
                Is.EqualTo((published.Title, world.CommunityId, 2)));
            // As stored: the database keeps microseconds.
            Assert.That(replayed.MessagesFrom, Is.EqualTo(published.MessagesFrom).Within(TimeSpan.FromMilliseconds(1)));
            Assert.That(await PublishedCountsAsync(world), Is.EqualTo((1L, 2L)), "one notice, one message for each of the two residents");
        });
    }

    [Test]
    public async Task SimultaneousRetriesPublishOneNotice()
    {
        var world = await HouseWorld.CreateAsync(NoticesApp.Factory);
        await ResidentAtAsync(world, new { communityId = world.CommunityId, gridId = world.GridId });
        var key = Guid.NewGuid().ToString("N");
        var body = Notice(world.CommunityId, kind: "emergency");
        using var start = new SemaphoreSlim(0);

        var posts = Enumerable.Range(0, 5).Select(async _ =>
        {
            await start.WaitAsync();
            using var response = await SendPublishAsync(world.Staff, body, key);
            var statusCode = response.StatusCode;
            return (statusCode, (await response.Content.ReadFromJsonAsync<NoticeDto>(TicketsApp.Json))!.Id);
        }).ToList();
        start.Release(posts.Count);
        var answers = await Task.WhenAll(posts);

        Assert.Multiple(async () =>
        {
            Assert.That(answers.Count(a => a.statusCode == HttpStatusCode.Created), Is.EqualTo(1));
            Assert.That(answers.Count(a => a.statusCode == HttpStatusCode.OK), Is.EqualTo(4));
            Assert.That(answers.Select(a => a.Id).Distinct().Count(), Is.EqualTo(1));
            Assert.That(await PublishedCountsAsync(world), Is.EqualTo((1L, 1L)));
        });
    }

    [Test]
    public async Task WithoutAKeyNothingIsPublished()
    {
        var world = await HouseWorld.CreateAsync(NoticesApp.Factory);
        await ResidentAtAsync(world, new { communityId = world.CommunityId, gridId = world.GridId });

        using var response = await world.Staff.PostAsJsonAsync("/api/v1/notices", Notice(world.CommunityId), TicketsApp.Json);

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(e => e.Name),
                Is.EqualTo(new[] { "Idempotency-Key" }));
            Assert.That(await PublishedCountsAsync(world), Is.EqualTo((0L, 0L)));
        });
    }
}
