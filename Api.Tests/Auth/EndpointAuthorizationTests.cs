using Linli.Api.Tests.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Api.Tests.Auth;

/// <summary>
/// Every endpoint the app maps must say who may call it: explicitly anonymous, or guarded by a policy or roles.
/// The list comes from the app's own endpoint data, so a new endpoint cannot ship without a decision.
/// </summary>
public class EndpointAuthorizationTests
{
    private static IEnumerable<RouteEndpoint> Endpoints() =>
        SharedApp.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();

    private static string Describe(RouteEndpoint e) =>
        $"{string.Join(",", e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"])} {e.RoutePattern.RawText}";

    [Test]
    public void EveryEndpointIsEitherExplicitlyAnonymousOrGuarded()
    {
        var unguarded = Endpoints()
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null)
            .Where(e => !e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => !string.IsNullOrEmpty(a.Policy) || !string.IsNullOrEmpty(a.Roles)))
            .Select(Describe)
            .ToList();
        Assert.That(unguarded, Is.Empty, "endpoints with neither AllowAnonymous nor a policy");
    }

    [TestCase("POST /api/v1/communities", "admin")]
    [TestCase("PUT /api/v1/communities/{id:long}", "admin")]
    [TestCase("POST /api/v1/departments", "admin")]
    [TestCase("POST /api/v1/communities/{id:long}/grids", "community-staff")]
    [TestCase("POST /api/v1/invitations/", "community-staff")]
    [TestCase("POST /api/v1/invitations/{code}/redeem", "signed-in")]
    [TestCase("DELETE /api/v1/users/{id:long}/roles/{roleId:long}", "community-staff")]
    [TestCase("GET /api/v1/me/", "signed-in")]
    public void WriteEndpointsCarryTheirPolicy(string endpoint, string policy)
    {
        var match = Endpoints().Single(e => Describe(e) == endpoint);
        // The innermost (last) policy is the one that decides the role; the group's sign-in comes first.
        Assert.That(match.Metadata.GetOrderedMetadata<IAuthorizeData>()[^1].Policy, Is.EqualTo(policy));
    }

    [Test]
    public void SignInIsRateLimitedTightly()
    {
        var login = Endpoints().Single(e => Describe(e) == "POST /api/v1/auth/wechat-login");
        var refresh = Endpoints().Single(e => Describe(e) == "POST /api/v1/auth/refresh");
        Assert.Multiple(() =>
        {
            Assert.That(login.Metadata.GetMetadata<Microsoft.AspNetCore.RateLimiting.EnableRateLimitingAttribute>()?.PolicyName, Is.EqualTo(Linli.Api.Hosting.RateLimits.SignIn));
            Assert.That(refresh.Metadata.GetMetadata<Microsoft.AspNetCore.RateLimiting.EnableRateLimitingAttribute>()?.PolicyName, Is.EqualTo(Linli.Api.Hosting.RateLimits.Anonymous));
        });
    }
}
