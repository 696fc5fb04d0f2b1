namespace Linli.Api.Auth;

public sealed class JwtOptions
{
    public const string Section = "Jwt";
    public string Issuer { get; set; } = "linli";
    public string Audience { get; set; } = "linli-miniprogram";
    /// <summary>HMAC-SHA256 signing key, at least 32 bytes of UTF-8.</summary>
    public string SigningKey { get; set; } = "";
    public int AccessTokenMinutes { get; set; } = 30;
    /// <summary>How long an unused refresh token stays valid; every use replaces it.</summary>
    public int RefreshTokenDays { get; set; } = 30;
    /// <summary>How long a session lasts from sign-in, however often its refresh token rotates; then the user signs in again.</summary>
    public int SessionMaxDays { get; set; } = 30;
}
