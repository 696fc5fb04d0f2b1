using System.Data.Common;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Dapper;
using Linli.Api.Auth;
using Linli.Api.Me;
using Linli.Api.Tests.Support;
using Linli.Api.Tests.Wechat;
using Linli.Infrastructure.Crypto;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Api.Tests.Me;

/// <summary><c>POST /me/phone</c> with the Live client talking to <see cref="FakeWechatServer"/>.</summary>
public class PhoneBindingLiveTests
{
    private FakeWechatServer _wechat = null!;
    private LinliFactory _factory = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        var appId = TestData.Unique("wx");
        _wechat = await FakeWechatServer.StartAsync(appId);
        _factory = new LinliFactory(new Dictionary<string, string?>
        {
            ["Wechat:Mode"] = "Live", ["Wechat:AppId"] = appId, ["Wechat:AppSecret"] = FakeWechatServer.AppSecret,
            ["Wechat:BaseAddress"] = _wechat.BaseAddress.ToString(), ["Wechat:BusyRetryDelayMilliseconds"] = "10",
        });
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _factory.DisposeAsync();
        await _wechat.DisposeAsync();
    }

    private async Task<(HttpClient Client, string OpenId, long UserId)> SignInAsync()
    {
        var name = Guid.NewGuid().ToString("N")[..12];
        var client = _factory.CreateClient();
        var login = await client.PostAsJsonAsync("/api/v1/auth/wechat-login", new { code = "code-" + name });
        var session = (await login.Content.ReadFromJsonAsync<SessionDto>())!;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.AccessToken);
        var me = (await client.GetFromJsonAsync<MeApi.MeDto>("/api/v1/me"))!;
        return (client, "o-" + name, me.Id);
    }

    [Test]
    public async Task APhoneOutsideMainlandChinaIsStoredWithItsCountryCodeAndTheCallersOpenIdIsChecked()
    {
        var (client, openId, userId) = await SignInAsync();
        _wechat.ForeignPhone = (852, "61234567");
        try
        {
            using var response = await client.PostAsJsonAsync("/api/v1/me/phone", new { code = "phone-" + openId });
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        }
        finally
        {
            _wechat.ForeignPhone = null;
        }

        await using var connection = await _factory.Services.GetRequiredService<DbDataSource>().OpenConnectionAsync();
        var cipher = await connection.ExecuteScalarAsync<byte[]>("SELECT phone_cipher FROM users WHERE id = @userId", new { userId });
        Assert.Multiple(() =>
        {
            Assert.That(_factory.Services.GetRequiredService<FieldProtector>().Decrypt(cipher!), Is.EqualTo("85261234567"));
            Assert.That(_wechat.PhoneRequests.Last()["openid"]!.GetValue<string>(), Is.EqualTo(openId));
        });
    }

    [Test]
    public async Task APhoneCodeWechatRefusesIsA400AndTheSessionStays()
    {
        var (client, _, _) = await SignInAsync();
        using var response = await client.PostAsJsonAsync("/api/v1/me/phone", new { code = "not-a-phone-code" });
        var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>();
        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(problem!.Errors.Keys, Is.EqualTo(new[] { "code" }));
            Assert.That((await client.GetAsync("/api/v1/me")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }
}
