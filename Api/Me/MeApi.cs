using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using Dapper;
using Linli.Api.Auth;
using Linli.Api.Hosting;
using Linli.Api.Houses;
using Linli.Domain.Identity;
using Linli.Domain.People;
using Linli.Infrastructure.Crypto;
using Linli.Infrastructure.Wechat;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Linli.Api.Me;

public static class MeApi
{
    public static RouteGroupBuilder MapMe(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/me").WithTags("Me").RequireAuthorization(Policies.SignedIn);
        group.MapGet("/", GetMe).WithName(nameof(GetMe))
            .WithSummary("Read my profile")
            .WithDescription("The signed-in user's nickname, avatar, masked phone and every role they hold with its scope (resident always first). Any signed-in user; changes nothing.");
        group.MapPut("/", UpdateMe).WithName(nameof(UpdateMe))
            .WithSummary("Change my nickname and avatar")
            .WithDescription("Sets the nickname and the https avatar URL the user chose in the mini-program; an absent field is cleared. Any signed-in user, for themselves.");
        group.MapPost("/phone", BindPhone).WithName(nameof(BindPhone))
            .WithSummary("Bind my phone from WeChat")
            .WithDescription("Exchanges a getPhoneNumber code for the phone WeChat vouches for, stores it encrypted and answers it masked; houses registered with that phone as their landlord's become the user's. Any signed-in user, for themselves. A code WeChat refuses is a 400 on `code` (the session stays); WeChat busy is a 503 with Retry-After (ask for a new code).")
            .RequireRateLimiting(RateLimits.PhoneBinding);
        return group;
    }

    public sealed record MeDto(long Id, string? Nickname, string? AvatarUrl, string? Phone, IReadOnlyList<RoleDto> Roles, DateTimeOffset CreatedAt);
    /// <param name="Nickname">1–64 characters, not only spaces; absent or null clears it.</param>
    /// <param name="AvatarUrl">An https URL; absent or null clears it.</param>
    public sealed record UpdateMeRequest(
        [StringLength(64), RegularExpression(@".*\S.*", ErrorMessage = "The nickname needs a character that is not a space.")] string? Nickname,
        [StringLength(512), RegularExpression(@"https://\S+", ErrorMessage = "The avatar URL must be an https URL.")] string? AvatarUrl);
    /// <param name="Code">The code the mini-program's getPhoneNumber button returned.</param>
    public sealed record BindPhoneRequest([Required, StringLength(128)] string Code);
    public sealed record PhoneDto(string Phone);

    /// <summary>The signed-in user's profile and every role they hold, with its scope (resident is always first).</summary>
    public static async Task<Results<Ok<MeDto>, NotFound>> GetMe(HttpContext http, RequestConnection db, FieldProtector protector, CancellationToken cancellationToken) =>
        await LoadAsync(http.User.GetUserId(), db, protector, cancellationToken) is { } me ? TypedResults.Ok(me) : TypedResults.NotFound();

    private static async Task<MeDto?> LoadAsync(long me, RequestConnection db, FieldProtector protector, CancellationToken cancellationToken)
    {
        var connection = await db.OpenAsync(cancellationToken);
        var user = await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition("""
            SELECT id AS Id, nickname AS Nickname, avatar_url AS AvatarUrl, phone_cipher AS PhoneCipher, created_at AS CreatedAt
            FROM users WHERE id = @me
            """, new { me }, cancellationToken: cancellationToken));
        if (user is null)
            return null;
        var roles = (await RoleScopes.ActiveRolesAsync(connection, [me], cancellationToken))[me];
        var phone = user.PhoneCipher is null ? null : Masking.Phone(protector.Decrypt(user.PhoneCipher));
        RoleDto resident = new(null, Roles.Resident, null, null, null, null, null, null, null);
        return new MeDto(user.Id, user.Nickname, user.AvatarUrl, phone, [resident, .. roles], RoleScopes.Utc(user.CreatedAt));
    }

    /// <summary>Changes the nickname and avatar URL the user chose in the mini-program.</summary>
    public static async Task<Results<Ok<MeDto>, NotFound>> UpdateMe(
        UpdateMeRequest request, HttpContext http, RequestConnection db, FieldProtector protector, TimeProvider clock, CancellationToken cancellationToken)
    {
        var nickname = request.Nickname?.Trim();
        var connection = await db.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET nickname = @nickname, avatar_url = @AvatarUrl, updated_at = @now WHERE id = @me",
            new { nickname, request.AvatarUrl, now = clock.GetUtcNow().UtcDateTime, me = http.User.GetUserId() }, cancellationToken: cancellationToken));
        return await LoadAsync(http.User.GetUserId(), db, protector, cancellationToken) is { } me ? TypedResults.Ok(me) : TypedResults.NotFound();
    }

    /// <summary>Binds the phone number WeChat vouches for (a getPhoneNumber code); stored encrypted, shown masked.</summary>
    public static async Task<Results<Ok<PhoneDto>, ValidationProblem>> BindPhone(
        BindPhoneRequest request, HttpContext http, IWechatClient wechat, RequestConnection db, FieldProtector protector, TimeProvider clock,
        PendingLandlords pendingLandlords, CancellationToken cancellationToken)
    {
        var me = http.User.GetUserId();
        var connection = await db.OpenAsync(cancellationToken);
        var openId = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT openid FROM users WHERE id = @me", new { me }, cancellationToken: cancellationToken));
        WechatPhone fromWechat;
        try
        {
            fromWechat = await wechat.GetPhoneNumberAsync(request.Code, openId, cancellationToken);
        }
        catch (WechatException e) when (e.ErrCode is WechatErrors.InvalidCode or WechatErrors.CodeUsed)
        {
            // The phone code is bad, not the caller's session: a 401 would sign a signed-in user out.
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["code"] = ["WeChat refused this getPhoneNumber code (invalid, expired or already used); ask for a new one."] });
        }
        // Normalised like every other phone we hash, so the look-up hash matches a landlord phone typed at the desk;
        // a number outside mainland China keeps its country code.
        var phone = PhoneNumber.Normalise(fromWechat.WithCountryCode);
        var hash = protector.Hash(phone);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET phone_cipher = @cipher, phone_hash = @hash, updated_at = @now WHERE id = @me",
            new { cipher = protector.Encrypt(phone), hash, now = clock.GetUtcNow().UtcDateTime, me },
            cancellationToken: cancellationToken));
        // Houses registered with this phone as their landlord's become this user's now (一房一码 bound to its landlord).
        await pendingLandlords.AttachPendingLandlordsAsync(me, hash, cancellationToken);
        return TypedResults.Ok(new PhoneDto(Masking.Phone(phone)));
    }

    private sealed class UserRow
    {
        public long Id { get; init; }
        public string? Nickname { get; init; }
        public string? AvatarUrl { get; init; }
        public byte[]? PhoneCipher { get; init; }
        public DateTime CreatedAt { get; init; }
    }
}
