using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Linli.Api.Auth;

/// <summary>
/// Issues the access token: a JWT carrying the user id (<c>sub</c>), one <c>role</c> claim per role name, and the
/// session (<c>sid</c>, the refresh-token family) it belongs to, so that logging out ends it too.
/// </summary>
public sealed class AccessTokenIssuer(IOptions<JwtOptions> options, TimeProvider clock)
{
    public (string Token, DateTimeOffset ExpiresAt) Issue(long userId, IEnumerable<string> roles, string? sessionId = null)
    {
        var jwt = options.Value;
        var now = clock.GetUtcNow();
        var expires = now.AddMinutes(jwt.AccessTokenMinutes);
        var claims = new List<Claim> { new(JwtRegisteredClaimNames.Sub, userId.ToString(System.Globalization.CultureInfo.InvariantCulture)) };
        if (sessionId is not null)
            claims.Add(new Claim(AuthClaims.Session, sessionId));
        claims.AddRange(roles.Distinct(StringComparer.Ordinal).Select(r => new Claim(AuthClaims.Role, r)));
        var credentials = new SigningCredentials(SigningKey(jwt), SecurityAlgorithms.HmacSha256);
        var token = new JwtSecurityToken(jwt.Issuer, jwt.Audience, claims, now.UtcDateTime, expires.UtcDateTime, credentials);
        return (new JwtSecurityTokenHandler().WriteToken(token), expires);
    }

    public static SymmetricSecurityKey SigningKey(JwtOptions jwt) => new(Encoding.UTF8.GetBytes(jwt.SigningKey));
}
