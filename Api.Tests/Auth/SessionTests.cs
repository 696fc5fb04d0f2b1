using System.Data.Common;
using System.IdentityModel.Tokens.Jwt;
using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using Dapper;
using Linli.Api.Auth;
using Linli.Api.Tests.Support;
using Linli.Domain.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace Linli.Api.Tests.Auth;

public class SessionTests
{
    private static LinliFactory Factory => SharedApp.Factory;
    private static TestData Data => new(Factory);

    private static async Task<long> UserIdOfAsync(string openId)
    {
        await using var connection = await Factory.Services.GetRequiredService<DbDataSource>().OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT id FROM users WHERE openid = @openId", new { openId });
    }

    private static async Task<HttpStatusCode> GetMeStatusAsync(string accessToken)
    {
        using var client = SignIn.Bearer(Factory, accessToken);
        return (await client.GetAsync("/api/v1/me")).StatusCode;
    }

    [Test]
    public async Task TheFirstSignInCreatesTheUserAndTheNextFindsThem()
    {
        var name = TestData.Unique("li");
        var first = await SignIn.AsAsync(Factory, name);
        var second = await SignIn.AsAsync(Factory, name);
        Assert.Multiple(async () =>
        {
            Assert.That(first.User.IsNew, Is.True);
            Assert.That(second.User.IsNew, Is.False);
            Assert.That(second.User.Id, Is.EqualTo(first.User.Id));
            Assert.That(first.User.Id, Is.EqualTo(await UserIdOfAsync("sim-" + name)));
            Assert.That(first.User.Roles, Is.EqualTo(new[] { Roles.Resident }));
            Assert.That(first.ExpiresIn, Is.EqualTo(30 * 60));
        });
    }

    [Test]
    public async Task TheAccessTokenCarriesIssuerAudienceUserAndRoles()
    {
        var session = await SignIn.AsAsync(Factory, TestData.Unique("wang"));
        var jwt = new JwtSecurityTokenHandler().ReadJwtToken(session.AccessToken);
        Assert.Multiple(() =>
        {
            Assert.That(jwt.Issuer, Is.EqualTo("linli"));
            Assert.That(jwt.Audiences, Is.EqualTo(new[] { "linli-miniprogram" }));
            Assert.That(jwt.Subject, Is.EqualTo(session.User.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(jwt.Claims.Where(c => c.Type == AuthClaims.Role).Select(c => c.Value), Is.EqualTo(new[] { Roles.Resident }));
        });
    }

    [Test]
    public async Task NoTokenIs401() =>
        Assert.That((await Factory.CreateClient().GetAsync("/api/v1/me")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));

    [Test]
    public async Task ATamperedTokenIs401()
    {
        var session = await SignIn.AsAsync(Factory, TestData.Unique("zhao"));
        var parts = session.AccessToken.Split('.');
        var payload = Base64UrlEncoder.Decode(parts[1]).Replace("\"resident\"", "\"admin\"", StringComparison.Ordinal);
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";
        Assert.That(await GetMeStatusAsync(tampered), Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [TestCase("linli", "linli-miniprogram", LinliFactory.TestSigningKey, HttpStatusCode.OK)]
    [TestCase("someone-else", "linli-miniprogram", LinliFactory.TestSigningKey, HttpStatusCode.Unauthorized)]
    [TestCase("linli", "another-app", LinliFactory.TestSigningKey, HttpStatusCode.Unauthorized)]
    [TestCase("linli", "linli-miniprogram", "a-different-signing-key-0123456789-abcdefghijkl", HttpStatusCode.Unauthorized)]
    public async Task OnlyTokensFromOurIssuerForOurAudienceWithOurKeyAreAccepted(string issuer, string audience, string key, HttpStatusCode expected)
    {
        var userId = await Data.UserAsync();
        var now = Factory.Clock.GetUtcNow().UtcDateTime;
        var token = new JwtSecurityTokenHandler().WriteToken(new JwtSecurityToken(issuer, audience,
            [new Claim("sub", userId.ToString(System.Globalization.CultureInfo.InvariantCulture)), new Claim("role", Roles.Resident)],
            now, now.AddMinutes(10), new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256)));
        Assert.That(await GetMeStatusAsync(token), Is.EqualTo(expected));
    }

    [TestCase(SecurityAlgorithms.HmacSha256, HttpStatusCode.OK)]
    [TestCase(SecurityAlgorithms.HmacSha384, HttpStatusCode.Unauthorized)]
    public async Task OnlyTheAlgorithmWeSignWithIsAccepted(string algorithm, HttpStatusCode expected)
    {
        // Our own key, a stronger HMAC: still refused, the service signs with HS256 only.
        var userId = await Data.UserAsync();
        var now = Factory.Clock.GetUtcNow().UtcDateTime;
        var token = new JwtSecurityTokenHandler().WriteToken(new JwtSecurityToken("linli", "linli-miniprogram",
            [new Claim("sub", userId.ToString(System.Globalization.CultureInfo.InvariantCulture)), new Claim("role", Roles.Resident)],
            now, now.AddMinutes(10), new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(LinliFactory.TestSigningKey)), algorithm)));
        Assert.That(await GetMeStatusAsync(token), Is.EqualTo(expected));
    }

    [Test]
    public async Task AnUnsignedTokenIs401()
    {
        var userId = await Data.UserAsync();
        var now = new DateTimeOffset(Factory.Clock.GetUtcNow().UtcDateTime).ToUnixTimeSeconds();
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""");
        var payload = Base64UrlEncoder.Encode(
            $$"""{"sub":"{{userId}}","role":"resident","iss":"linli","aud":"linli-miniprogram","nbf":{{now}},"exp":{{now + 600}}}""");
        Assert.That(await GetMeStatusAsync($"{header}.{payload}."), Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task AnExpiredTokenIs401()
    {
        // Its own factory: advancing the clock must not disturb other tests.
        await using var factory = new LinliFactory();
        var session = await SignIn.AsAsync(factory, TestData.Unique("qian"));
        using var client = SignIn.Bearer(factory, session.AccessToken);
        Assert.That((await client.GetAsync("/api/v1/me")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        factory.Clock.Advance(TimeSpan.FromMinutes(31));
        Assert.That((await client.GetAsync("/api/v1/me")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task RefreshRotatesTheRefreshToken()
    {
        var session = await SignIn.AsAsync(Factory, TestData.Unique("sun"));
        var response = await SignIn.RefreshAsync(Factory, session.RefreshToken);
        var next = await response.Content.ReadFromJsonAsync<SessionDto>();
        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(next!.RefreshToken, Is.Not.EqualTo(session.RefreshToken));
            Assert.That(next.User.Id, Is.EqualTo(session.User.Id));
            Assert.That(await GetMeStatusAsync(next.AccessToken), Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await SignIn.RefreshAsync(Factory, next.RefreshToken)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task PresentingARotatedRefreshTokenAgainRevokesTheWholeFamily()
    {
        var session = await SignIn.AsAsync(Factory, TestData.Unique("zhou"));
        var next = await (await SignIn.RefreshAsync(Factory, session.RefreshToken)).Content.ReadFromJsonAsync<SessionDto>();

        var replay = await SignIn.RefreshAsync(Factory, session.RefreshToken);
        Assert.That(replay.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await SignIn.RefreshAsync(Factory, next!.RefreshToken)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized),
            "the legitimate holder's newer token dies too: one of them was a thief");
    }

    [Test]
    public async Task AnotherSignInIsAnotherFamilyAndSurvivesTheTheftOfTheFirst()
    {
        var name = TestData.Unique("wu");
        var phone = await SignIn.AsAsync(Factory, name);
        var tablet = await SignIn.AsAsync(Factory, name);
        await SignIn.RefreshAsync(Factory, phone.RefreshToken);
        await SignIn.RefreshAsync(Factory, phone.RefreshToken); // reuse: phone's family is revoked
        Assert.That((await SignIn.RefreshAsync(Factory, tablet.RefreshToken)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task AnUnknownRefreshTokenIs401WithAProblem()
    {
        var response = await SignIn.RefreshAsync(Factory, "not-a-token");
        var problem = await response.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(problem!.Title, Is.EqualTo("Invalid refresh token"));
        });
    }

    [Test]
    public async Task LogoutEndsTheRefreshToken()
    {
        var session = await SignIn.AsAsync(Factory, TestData.Unique("zheng"));
        using var client = Factory.CreateClient();
        var logout = await client.PostAsJsonAsync("/api/v1/auth/logout", new { refreshToken = session.RefreshToken });
        Assert.That(logout.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await SignIn.RefreshAsync(Factory, session.RefreshToken)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task LogoutEndsTheWholeSessionAndItsAccessTokensOnTheNextRequest()
    {
        await using var factory = new LinliFactory();
        var first = await SignIn.AsAsync(factory, TestData.Unique("he"));
        var second = (await (await SignIn.RefreshAsync(factory, first.RefreshToken)).Content.ReadFromJsonAsync<SessionDto>())!;
        var otherDevice = await SignIn.AsAsync(factory, TestData.Unique("hou"));
        using var client = SignIn.Bearer(factory, second.AccessToken);
        Assert.That((await client.GetAsync("/api/v1/me")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        // Logging out with the old, already rotated token still ends the session it belongs to.
        using var anonymous = factory.CreateClient();
        await anonymous.PostAsJsonAsync("/api/v1/auth/logout", new { refreshToken = first.RefreshToken });

        Assert.Multiple(async () =>
        {
            Assert.That((await SignIn.RefreshAsync(factory, second.RefreshToken)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That((await client.GetAsync("/api/v1/me")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            using var other = SignIn.Bearer(factory, otherDevice.AccessToken);
            Assert.That((await other.GetAsync("/api/v1/me")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task ASessionEndsThirtyDaysAfterSignInHoweverOftenItRotates()
    {
        await using var factory = new LinliFactory();
        var session = await SignIn.AsAsync(factory, TestData.Unique("lu"));
        var statuses = new List<HttpStatusCode>();
        // Every ten days: each refresh token is young, but the session is not.
        for (var i = 0; i < 3; i++)
        {
            factory.Clock.Advance(TimeSpan.FromDays(10) + TimeSpan.FromMinutes(1));
            var response = await SignIn.RefreshAsync(factory, session.RefreshToken);
            statuses.Add(response.StatusCode);
            if (response.IsSuccessStatusCode)
                session = (await response.Content.ReadFromJsonAsync<SessionDto>())!;
        }

        Assert.That(statuses, Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Unauthorized }));
    }

    [Test]
    public async Task RefreshPicksUpNewRoles()
    {
        var session = await SignIn.AsAsync(Factory, TestData.Unique("feng"));
        var community = await Data.CommunityAsync();
        await Data.GrantAsync(session.User.Id, Roles.CommunityStaff, community);
        var next = await (await SignIn.RefreshAsync(Factory, session.RefreshToken)).Content.ReadFromJsonAsync<SessionDto>();
        Assert.That(next!.User.Roles, Is.EqualTo(new[] { Roles.Resident, Roles.CommunityStaff }));
    }

    [Test]
    public async Task RevokingARoleEndsTheRefreshTokensAtOnce()
    {
        var community = await Data.CommunityAsync();
        var name = TestData.Unique("chen");
        var session = await SignIn.AsAsync(Factory, name);
        await Data.GrantAsync(session.User.Id, Roles.CommunityStaff, community);
        var roleId = await RoleIdAsync(session.User.Id, Roles.CommunityStaff);
        var (_, admin) = await Data.SignedInAsync(Roles.Admin);

        var revoke = await admin.DeleteAsync($"/api/v1/users/{session.User.Id}/roles/{roleId}");
        Assert.That(revoke.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await SignIn.RefreshAsync(Factory, session.RefreshToken)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var again = await SignIn.AsAsync(Factory, name);
        Assert.That(again.User.Roles, Is.EqualTo(new[] { Roles.Resident }), "signing in again gives only what is left");
    }

    [Test]
    public async Task BlockingAUserEndsTheirRefreshAndAccessTokens()
    {
        var name = TestData.Unique("wei");
        var session = await SignIn.AsAsync(Factory, name);
        var (_, admin) = await Data.SignedInAsync(Roles.Admin);
        Assert.That((await admin.PostAsync($"/api/v1/users/{session.User.Id}/block", null)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.Multiple(async () =>
        {
            Assert.That((await SignIn.RefreshAsync(Factory, session.RefreshToken)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(await GetMeStatusAsync(session.AccessToken), Is.EqualTo(HttpStatusCode.Unauthorized));
            using var client = Factory.CreateClient();
            var login = await client.PostAsJsonAsync("/api/v1/auth/wechat-login", new { code = "sim:" + name });
            Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        });
    }

    internal static async Task<long> RoleIdAsync(long userId, string role)
    {
        await using var connection = await Factory.Services.GetRequiredService<DbDataSource>().OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(
            "SELECT id FROM user_roles WHERE user_id = @userId AND role = @role AND revoked_at IS NULL", new { userId, role });
    }
}
