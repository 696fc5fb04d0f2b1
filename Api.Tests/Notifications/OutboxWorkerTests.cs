using System.Data.Common;
using Dapper;
using Linli.Api.Tests.Tickets;
using Linli.Domain.Identity;
using Linli.Infrastructure.Notifications;
using Linli.Infrastructure.Wechat;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Api.Tests.Notifications;

public class OutboxWorkerTests
{
    private RecordingWechatFactory _factory = null!;

    [OneTimeSetUp]
    public void StartApp()
    {
        _factory = new RecordingWechatFactory();
        _ = _factory.Server;
    }

    [OneTimeTearDown]
    public void StopApp() => _factory.Dispose();

    [SetUp]
    public void ResetWechat()
    {
        _factory.Wechat.AfterSend = null;
        _factory.Wechat.BeforeSend = null;
    }

    private OutboxWorker Worker => _factory.Services.GetRequiredService<OutboxWorker>();

    [Test]
    public async Task WorkerCrashingBetweenSendingAndMarkingSentLosesNothing()
    {
        var w = await TicketWorld.CreateAsync(_factory);
        var openid = await OpenIdAsync(w.Resident.Id);
        var ticket = await w.ReportAsync();
        await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "dispatch", new { departmentId = w.DepartmentId });

        using var crash = new CancellationTokenSource();
        _factory.Wechat.AfterSend = m =>
        {
            if (m.ToOpenId != openid)
                return Task.CompletedTask;
            // The message went out; the process dies before it can say so.
            _factory.Wechat.AfterSend = null;
            crash.Cancel();
            throw new OperationCanceledException(crash.Token);
        };
        Assert.ThrowsAsync<OperationCanceledException>(async () => await Worker.RunOnceAsync(crash.Token));
        Assert.That(_factory.Wechat.SentTo(openid), Is.EqualTo(1));
        Assert.That(await StatusOfAsync(w.Resident.Id, "ticket_dispatched"), Is.EqualTo("pending"));

        await Worker.RunOnceAsync(CancellationToken.None);
        Assert.That(_factory.Wechat.SentTo(openid), Is.EqualTo(1), "still leased to the crashed worker");

        _factory.Clock.Advance(TimeSpan.FromSeconds(new NotificationOptions().LeaseSeconds + 1));
        await Worker.RunOnceAsync(CancellationToken.None);

        Assert.That(_factory.Wechat.SentTo(openid), Is.EqualTo(2), "sent again: at least once");
        Assert.That(await StatusOfAsync(w.Resident.Id, "ticket_dispatched"), Is.EqualTo("sent"));
    }

    [Test]
    public async Task NotSubscribedIsFinalAndNotRetried()
    {
        var w = await TicketWorld.CreateAsync(_factory);
        var openid = await OpenIdAsync(w.Resident.Id);
        var ticket = await w.ReportAsync();
        _factory.Wechat.BeforeSend = m => m.ToOpenId == openid
            ? throw new WechatException(OutboxWorker.NotSubscribed, "user refuse to accept the msg")
            : Task.CompletedTask;
        await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "dispatch", new { departmentId = w.DepartmentId });

        await Worker.RunOnceAsync(CancellationToken.None);
        _factory.Clock.Advance(TimeSpan.FromHours(2));
        await Worker.RunOnceAsync(CancellationToken.None);

        Assert.That(_factory.Wechat.Sent.Count(m => m.ToOpenId == openid), Is.Zero);
        await using var connection = await _factory.Services.GetRequiredService<DbDataSource>().OpenConnectionAsync();
        var row = await connection.QuerySingleAsync<(string Status, int Attempts, string LastError)>(
            "SELECT status, attempts, last_error FROM notification_outbox WHERE user_id = @id AND kind = 'ticket_dispatched'", new { id = w.Resident.Id });
        Assert.That(row, Is.EqualTo(("failed", 1, "errcode 43101")));
    }

    [Test]
    public async Task TransientFailureIsRetriedAfterABackoff()
    {
        var w = await TicketWorld.CreateAsync(_factory);
        var openid = await OpenIdAsync(w.Resident.Id);
        var ticket = await w.ReportAsync();
        var failures = 1;
        _factory.Wechat.BeforeSend = m => m.ToOpenId == openid && failures-- > 0
            ? throw new WechatException(null, "WeChat could not be reached.")
            : Task.CompletedTask;
        await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "dispatch", new { departmentId = w.DepartmentId });

        await Worker.RunOnceAsync(CancellationToken.None);
        await Worker.RunOnceAsync(CancellationToken.None);
        Assert.That(await StatusOfAsync(w.Resident.Id, "ticket_dispatched"), Is.EqualTo("pending"));
        Assert.That(_factory.Wechat.SentTo(openid), Is.Zero);

        _factory.Clock.Advance(OutboxWorker.Backoff(1) + TimeSpan.FromSeconds(1));
        await Worker.RunOnceAsync(CancellationToken.None);

        Assert.That(_factory.Wechat.SentTo(openid), Is.EqualTo(1));
        Assert.That(await StatusOfAsync(w.Resident.Id, "ticket_dispatched"), Is.EqualTo("sent"));
    }

    [Test]
    public async Task TwoWorkersNeverSendTheSameMessage()
    {
        var w = await TicketWorld.CreateAsync(_factory);
        var members = new List<long>();
        for (var i = 0; i < 30; i++)
            members.Add((await w.Data.SignedInAsync(Roles.PartyMember, communityId: w.CommunityId)).UserId);
        var ticket = await w.ReportAsync(description: "小区健身器材损坏需要维修，请党员志愿者帮忙联系");
        await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "publish");
        var second = ActivatorUtilities.CreateInstance<OutboxWorker>(_factory.Services);

        await Task.WhenAll(Drain(Worker), Drain(second));

        var openids = new List<string>();
        foreach (var member in members.Append(w.PartyMember.Id))
            openids.Add(await OpenIdAsync(member));
        Assert.That(openids.Select(o => _factory.Wechat.SentTo(o)), Is.All.EqualTo(1));
        var message = _factory.Wechat.Sent.First(m => m.ToOpenId == openids[0]);
        Assert.That(message.TemplateId, Is.EqualTo("tpl-published"));
        Assert.That(message.Data["thing4"], Has.Length.EqualTo(20), "thing values are cut to 20 characters");
        Assert.That(message.Data["character_string1"], Is.EqualTo(ticket.Number));

        static async Task Drain(OutboxWorker worker)
        {
            while (await worker.RunOnceAsync(CancellationToken.None) > 0)
            {
            }
        }
    }

    [Test]
    public async Task AKindWithoutATemplateStaysInAppOnly()
    {
        var w = await TicketWorld.CreateAsync(_factory);
        var ticket = await w.ReportAsync();
        await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "reject", new { reason = "不在本社区范围" });

        await Worker.RunOnceAsync(CancellationToken.None);

        Assert.That(await StatusOfAsync(w.Resident.Id, "ticket_rejected"), Is.EqualTo("skipped"));
        Assert.That(await TicketFlowTests.NotificationKindsAsync(w.Resident.Client), Does.Contain("ticket_rejected"));
    }

    private async Task<string> OpenIdAsync(long userId)
    {
        await using var connection = await _factory.Services.GetRequiredService<DbDataSource>().OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<string>("SELECT openid FROM users WHERE id = @userId", new { userId }) ?? "";
    }

    private async Task<string?> StatusOfAsync(long userId, string kind)
    {
        await using var connection = await _factory.Services.GetRequiredService<DbDataSource>().OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<string?>(
            "SELECT status FROM notification_outbox WHERE user_id = @userId AND kind = @kind", new { userId, kind });
    }
}
