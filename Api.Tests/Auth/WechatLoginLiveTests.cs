using System.Net;
using System.Net.Http.Json;
using Linli.Api.Auth;
using Linli.Api.Tests.Support;
using Linli.Api.Tests.Wechat;
using Linli.Infrastructure.Wechat;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Linli.Api.Tests.Auth;

/// <summary>Sign-in through the real endpoint with the Live client talking to <see cref="FakeWechatServer"/>.</summary>
public class WechatLoginLiveTests
{
    private FakeWechatServer _server = null!;
    private LinliFactory _factory = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        var appId = TestData.Unique("wx");
        _server = await FakeWechatServer.StartAsync(appId);
        _factory = new LinliFactory(new Dictionary<string, string?>
        {
            ["Wechat:Mode"] = "Live", ["Wechat:AppId"] = appId, ["Wechat:AppSecret"] = FakeWechatServer.AppSecret,
            // The deadline must fire for the hang test, yet never for a healthy call on a loaded CI machine.
            ["Wechat:BaseAddress"] = _server.BaseAddress.ToString(), ["Wechat:TimeoutSeconds"] = "5", ["Wechat:BusyRetryDelayMilliseconds"] = "10",
        });
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _factory.DisposeAsync();
        await _server.DisposeAsync();
    }

    private async Task<HttpResponseMessage> LoginAsync(string code)
    {
        using var client = _factory.CreateClient();
        return await client.PostAsJsonAsync("/api/v1/auth/wechat-login", new { code });
    }

    [Test]
    public async Task AValidCodeSignsInAndTheSessionKeyNeverLeavesTheServer()
    {
        var response = await LoginAsync("code-" + Guid.NewGuid().ToString("N"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
            Assert.That(body, Does.Not.Contain(FakeWechatServer.SessionKey));
            Assert.That(body, Does.Contain("accessToken").And.Contain("refreshToken"));
        });
    }

    [TestCase(WechatErrors.InvalidCode, HttpStatusCode.Unauthorized)]
    [TestCase(WechatErrors.CodeUsed, HttpStatusCode.Unauthorized)]
    [TestCase(WechatErrors.HighRiskUser, HttpStatusCode.Forbidden)]
    [TestCase(WechatErrors.TooFrequent, HttpStatusCode.TooManyRequests)]
    [TestCase(40013, HttpStatusCode.BadGateway)]
    public async Task WechatErrcodesBecomeProblemDetails(int errCode, HttpStatusCode status)
    {
        _server.Script("jscode2session", errCode);
        var response = await LoginAsync("code-" + Guid.NewGuid().ToString("N"));
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(status));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(problem!.Status, Is.EqualTo((int)status));
            Assert.That(problem.Detail, Is.Not.Empty);
        });
        if (status == HttpStatusCode.TooManyRequests)
            Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(WechatExceptionHandler.RetryAfterSeconds)));
    }

    [Test]
    public async Task AWechatThatDoesNotAnswerIsA503NotAHang()
    {
        _server.Hanging["jscode2session"] = 0;
        try
        {
            var response = await LoginAsync("code-" + Guid.NewGuid().ToString("N"));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        }
        finally
        {
            _server.Hanging.Clear();
        }
    }

    [Test]
    public async Task AMalformedRequestIsA400WithTheField()
    {
        var response = await LoginAsync("");
        var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(problem!.Errors.Keys, Does.Contain("code"));
        });
    }
}
