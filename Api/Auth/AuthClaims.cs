using System.Globalization;
using System.Security.Claims;

namespace Linli.Api.Auth;

public static class AuthClaims
{
    public const string UserId = "sub";
    public const string Role = "role";
    /// <summary>The refresh-token family (session) an access token was issued in.</summary>
    public const string Session = "sid";

    /// <summary>The signed-in user's id. Only call behind an authorization policy.</summary>
    public static long GetUserId(this ClaimsPrincipal user) =>
        long.Parse(user.FindFirstValue(UserId) ?? throw new InvalidOperationException("No user id claim: is the endpoint authorized?"), CultureInfo.InvariantCulture);

    public static bool HasRole(this ClaimsPrincipal user, string role) => user.HasClaim(Role, role);
}
