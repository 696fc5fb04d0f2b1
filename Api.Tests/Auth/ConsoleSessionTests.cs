using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Linli.Api.Auth;
using Linli.Api.Tests.Support;
using Linli.Domain.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Api.Tests.Auth;

/// <summary>Sign-in by scan for the browser console: open, approve in the mini-program, collect the tokens once.</summary>
public class ConsoleSessionTests
{
    private const string Sessions = "/api/v1/auth/console-sessions";
    private static LinliFactory Factory => SharedApp.Factory;
    private static TestData Data => new(Factory);

    internal static async Task<ConsoleSessionsApi.ConsoleSessionDto> OpenAsync(LinliFactory factory)
    {
        using var client = factory.CreateClient();
        var response = await client.PostAsync(Sessions, null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ConsoleSessionsApi.ConsoleSessionDto>())!;
    }

    private static async Task<HttpResponseMessage> PollAsync(LinliFactory factory, string id, string secret)
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Sessions}/{id}");
        request.Headers.Add(ConsoleSessionsApi.SecretHeader, secret);
        return await client.SendAsync(request);
    }

    private static async Task<long> StaffAsync() => (await Data.SignedInAsync(Roles.CommunityStaff, await Data.CommunityAsync())).UserId;

    [Test]
    public async Task ApprovedConsoleCollectsTokensForTheApproverExactlyOnce()
    {
        var console = await OpenAsync(Factory);
        var (staffId, phone) = await Data.SignedInAsync(Roles.CommunityStaff, await Data.CommunityAsync());

        var pending = await PollAsync(Factory, console.Id, console.Secret);
        var pendingBody = await pending.Content.ReadFromJsonAsync<ConsoleSessionsApi.ConsoleSessionStatusDto>();
        var approve = await phone.PostAsync($"{Sessions}/{console.Id}/approve", null);
        var approved = await PollAsync(Factory, console.Id, console.Secret);
        var body = await approved.Content.ReadFromJsonAsync<ConsoleSessionsApi.ConsoleSessionStatusDto>();
        var again = await PollAsync(Factory, console.Id, console.Secret);

        using var me = SignIn.Bearer(Factory, body!.Session!.AccessToken);
        var meResponse = await me.GetAsync("/api/v1/me");
        Assert.Multiple(() =>
        {
            Assert.That(console.QrContent, Is.EqualTo("linli-console:" + console.Id));
            Assert.That(pending.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(pendingBody!.Status, Is.EqualTo("pending"));
            Assert.That(pendingBody.Session, Is.Null);
            Assert.That(approve.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(body.Status, Is.EqualTo("approved"));
            Assert.That(body.Session.User.Id, Is.EqualTo(staffId));
            Assert.That(body.Session.User.Roles, Does.Contain(Roles.CommunityStaff));
            Assert.That(approved.Headers.CacheControl?.NoStore, Is.True);
            Assert.That(meResponse.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Gone));
        });
    }

    [Test]
    public async Task OnlyTheHashOfTheSecretIsStored()
    {
        var console = await OpenAsync(Factory);
        await using var connection = await Factory.Services.GetRequiredService<DbDataSource>().OpenConnectionAsync();
        var stored = await connection.QuerySingleAsync<byte[]>(
            "SELECT secret_hash FROM console_sessions WHERE public_id = @Id", new { console.Id });
        Assert.That(stored, Is.EqualTo(SHA256.HashData(Encoding.UTF8.GetBytes(console.Secret))));
    }

    [Test]
    public async Task PollingWithAnotherSecretLooksLikeNoSession()
    {
        var console = await OpenAsync(Factory);
        var other = await OpenAsync(Factory);
        var response = await PollAsync(Factory, console.Id, other.Secret);
        var unknown = await PollAsync(Factory, "AAAAAAAAAAAAAAAAAAAAAA", console.Secret);
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [TestCase(Roles.Resident)]
    [TestCase(Roles.PartyMember)]
    [TestCase(Roles.Landlord)]
    public async Task OnlyStaffMayApprove(string role)
    {
        var console = await OpenAsync(Factory);
        var (_, phone) = await Data.SignedInAsync(role, role == Roles.PartyMember ? await Data.CommunityAsync() : null);
        var response = await phone.PostAsync($"{Sessions}/{console.Id}/approve", null);
        var poll = await (await PollAsync(Factory, console.Id, console.Secret)).Content.ReadFromJsonAsync<ConsoleSessionsApi.ConsoleSessionStatusDto>();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(poll!.Status, Is.EqualTo("pending"));
        });
    }

    [Test]
    public async Task ApprovingAnUnknownSessionIsNotFound()
    {
        var staff = Factory.ClientFor(await StaffAsync(), Roles.CommunityStaff);
        var response = await staff.PostAsync($"{Sessions}/not-a-session/approve", null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task SecondApprovalIsAConflict()
    {
        var console = await OpenAsync(Factory);
        var first = Factory.ClientFor(await StaffAsync(), Roles.CommunityStaff);
        var second = Factory.ClientFor(await StaffAsync(), Roles.CommunityStaff);
        await first.PostAsync($"{Sessions}/{console.Id}/approve", null);
        var response = await second.PostAsync($"{Sessions}/{console.Id}/approve", null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
    }

    [Test]
    public async Task RacingPollsHandTheTokensOverOnce()
    {
        var console = await OpenAsync(Factory);
        var staff = Factory.ClientFor(await StaffAsync(), Roles.CommunityStaff);
        await staff.PostAsync($"{Sessions}/{console.Id}/approve", null);

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => PollAsync(Factory, console.Id, console.Secret)));

        Assert.Multiple(() =>
        {
            Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.OK), Is.EqualTo(1));
            Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.Gone), Is.EqualTo(5));
        });
    }

    [Test]
    public async Task AfterTwoMinutesTheSessionCanNeitherBeApprovedNorCollected()
    {
        await using var factory = new LinliFactory();
        var console = await OpenAsync(factory);
        var approvedInTime = await OpenAsync(factory);
        var (_, staff) = await new TestData(factory).SignedInAsync(Roles.GridWorker);
        await staff.PostAsync($"{Sessions}/{approvedInTime.Id}/approve", null);

        factory.Clock.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        var approve = await staff.PostAsync($"{Sessions}/{console.Id}/approve", null);
        var poll = await PollAsync(factory, console.Id, console.Secret);
        var late = await PollAsync(factory, approvedInTime.Id, approvedInTime.Secret);

        Assert.Multiple(() =>
        {
            Assert.That(approve.StatusCode, Is.EqualTo(HttpStatusCode.Gone));
            Assert.That(poll.StatusCode, Is.EqualTo(HttpStatusCode.Gone));
            Assert.That(late.StatusCode, Is.EqualTo(HttpStatusCode.Gone));
        });
    }

    [Test]
    public void OpeningASessionIsRateLimitedLikeSigningIn()
    {
        var open = Factory.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Single(e => e.RoutePattern.RawText == Sessions + "/" && e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods.Contains("POST"));
        Assert.That(open.Metadata.GetMetadata<Microsoft.AspNetCore.RateLimiting.EnableRateLimitingAttribute>()?.PolicyName,
            Is.EqualTo(Linli.Api.Hosting.RateLimits.SignIn));
    }

    [Test]
    public async Task SimulatedWechatOffersTheDemoStaffCodes()
    {
        using var client = Factory.CreateClient();
        var codes = await client.GetFromJsonAsync<List<ConsoleSessionsApi.DemoSignInDto>>($"{Sessions}/demo-sign-ins");
        Assert.Multiple(() =>
        {
            Assert.That(codes!.Select(c => c.Code), Does.Contain("sim:chuanfang-staff").And.Contain("sim:admin"));
            Assert.That(codes!.Select(c => c.Role), Is.All.AnyOf(ConsoleSessionsApi.StaffRoles.ToArray()));
        });
    }

    [Test]
    public async Task LiveWechatOffersNoDemoCodes()
    {
        await using var factory = new LinliFactory(new Dictionary<string, string?>
        {
            ["Wechat:Mode"] = "Live", ["Wechat:AppId"] = "wx-test", ["Wechat:AppSecret"] = "test-secret",
        });
        using var client = factory.CreateClient();
        var response = await client.GetAsync($"{Sessions}/demo-sign-ins");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
