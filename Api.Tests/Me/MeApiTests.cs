using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using Dapper;
using Linli.Api.Me;
using Linli.Api.Tests.Support;
using Linli.Domain.Identity;
using Linli.Infrastructure.Crypto;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Api.Tests.Me;

public class MeApiTests
{
    private static LinliFactory Factory => SharedApp.Factory;
    private static TestData Data => new(Factory);

    [Test]
    public async Task MeShowsEveryRoleWithItsScope()
    {
        var community = await Data.CommunityAsync();
        var grid = await Data.GridAsync(community);
        var (userId, client) = await Data.SignedInAsync(Roles.GridWorker, community, grid);
        await Data.GrantAsync(userId, Roles.PartyMember, community);
        var me = await client.GetFromJsonAsync<MeApi.MeDto>("/api/v1/me");
        Assert.Multiple(() =>
        {
            Assert.That(me!.Id, Is.EqualTo(userId));
            Assert.That(me.Roles.Select(r => r.Role), Is.EqualTo(new[] { Roles.Resident, Roles.GridWorker, Roles.PartyMember }));
            Assert.That(me.Roles[1].GridId, Is.EqualTo(grid));
            Assert.That(me.Roles[1].GridName, Does.StartWith("网格"));
            Assert.That(me.Roles[2].CommunityName, Does.StartWith("社区"));
            Assert.That(me.Phone, Is.Null);
        });
    }

    [Test]
    public async Task AUserChangesTheirNicknameAndAvatar()
    {
        var (_, client) = await Data.SignedInAsync(Roles.Resident);
        var response = await client.PutAsJsonAsync("/api/v1/me", new { nickname = "  老王  ", avatarUrl = "https://thirdwx.qlogo.cn/a.png" });
        var me = await response.Content.ReadFromJsonAsync<MeApi.MeDto>();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(me!.Nickname, Is.EqualTo("老王"));
            Assert.That(me.AvatarUrl, Is.EqualTo("https://thirdwx.qlogo.cn/a.png"));
        });
    }

    [Test]
    public async Task AnInvalidProfileNamesEachField()
    {
        var (_, client) = await Data.SignedInAsync(Roles.Resident);
        var response = await client.PutAsJsonAsync("/api/v1/me", new { nickname = new string('名', 65), avatarUrl = "javascript:alert(1)" });
        var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>();
        Assert.That(problem!.Errors.Keys, Is.EquivalentTo(new[] { "nickname", "avatarUrl" }));
    }

    [Test]
    public async Task ThePhoneFromWechatIsStoredEncryptedAndShownMasked()
    {
        var (userId, client) = await Data.SignedInAsync(Roles.Resident);
        var response = await client.PostAsJsonAsync("/api/v1/me/phone", new { code = "phone-code" });
        var bound = await response.Content.ReadFromJsonAsync<MeApi.PhoneDto>();
        Assert.That(bound!.Phone, Is.EqualTo("138****5678"));
        Assert.That((await client.GetFromJsonAsync<MeApi.MeDto>("/api/v1/me"))!.Phone, Is.EqualTo("138****5678"));

        await using var connection = await Factory.Services.GetRequiredService<DbDataSource>().OpenConnectionAsync();
        var row = await connection.QuerySingleAsync<(byte[] Cipher, byte[] Hash)>(
            "SELECT phone_cipher, phone_hash FROM users WHERE id = @userId", new { userId });
        var protector = Factory.Services.GetRequiredService<FieldProtector>();
        Assert.Multiple(() =>
        {
            Assert.That(System.Text.Encoding.UTF8.GetString(row.Cipher), Does.Not.Contain("13812345678"));
            Assert.That(protector.Decrypt(row.Cipher), Is.EqualTo("13812345678"));
            Assert.That(row.Hash, Is.EqualTo(protector.Hash("13812345678")));
        });
    }

    [Test]
    public async Task APhoneCodeWechatRefusesIsABadCodeNotASignOut()
    {
        var (_, client) = await Data.SignedInAsync(Roles.Resident);
        foreach (var code in new[] { "sim-error:40029", "sim-error:40163" })
        {
            var response = await client.PostAsJsonAsync("/api/v1/me/phone", new { code });
            var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>();
            Assert.Multiple(() =>
            {
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
                Assert.That(problem!.Errors.Keys, Is.EqualTo(new[] { "code" }));
            });
        }
        Assert.That((await client.GetAsync("/api/v1/me")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "still signed in");
    }

    [Test]
    public async Task ABusyWechatAsksThePhoneCallerToTryAgain()
    {
        var (_, client) = await Data.SignedInAsync(Roles.Resident);
        var response = await client.PostAsJsonAsync("/api/v1/me/phone", new { code = "sim-error:-1" });
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(response.Headers.RetryAfter, Is.Not.Null);
        });
    }
}
