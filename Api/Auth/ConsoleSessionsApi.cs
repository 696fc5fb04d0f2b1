using System.Buffers.Text;
using System.Data.Common;
using System.Security.Cryptography;
using Dapper;
using Linli.Api.Demo;
using Linli.Api.Hosting;
using Linli.Domain.Identity;
using Linli.Infrastructure.Qr;
using Linli.Infrastructure.Wechat;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Linli.Api.Auth;

/// <summary>
/// Sign-in by scan (扫码登录) for the browser console: the console opens a session and shows its QR code, a staff
/// member scans it with the signed-in mini-program and approves, and the console, polling with the secret only it
/// holds, collects its own tokens exactly once. Sessions live two minutes; only a hash of the secret is stored.
/// </summary>
public static class ConsoleSessionsApi
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);
    public const string SecretHeader = "X-Console-Secret";
    /// <summary>What the QR code reads: the mini-program recognises the prefix and approves the id after it.</summary>
    public const string QrPrefix = "linli-console:";
    // 16 random bytes as base64url.
    private const int PublicIdLength = 22;

    /// <summary>Roles that may open the console; residents, landlords and party members live in the mini-program.</summary>
    public static readonly IReadOnlyList<string> StaffRoles = [Roles.Admin, Roles.CommunityStaff, Roles.GridWorker, Roles.DepartmentStaff];

    public static RouteGroupBuilder MapConsoleSessions(this IEndpointRouteBuilder app)
    {
        // Not AllowAnonymous on the group: it would override approve's staff policy.
        var group = app.MapGroup("/api/v1/auth/console-sessions").WithTags("Auth").RequireRateLimiting(RateLimits.Anonymous);
        // Opening a session writes a row: as tight as signing in.
        group.MapPost("/", CreateConsoleSession).WithName(nameof(CreateConsoleSession)).AllowAnonymous().RequireRateLimiting(RateLimits.SignIn)
            .WithSummary("Open a console session to sign in by scan")
            .WithDescription("Anyone may call. Creates a session that lives two minutes and returns its id, the text its QR code must "
                + "carry (`linli-console:<id>`) and a secret that only this console keeps: polling needs it, and only its hash is stored.");
        group.MapGet("/demo-sign-ins", DemoSignIns).WithName(nameof(DemoSignIns)).AllowAnonymous()
            .WithSummary("The demo staff sign-in codes (Simulated WeChat only)")
            .WithDescription("Anyone may call. In Simulated WeChat mode lists the demo staff users whose `sim:<name>` code signs in "
                + "through `POST /api/v1/auth/wechat-login`, so the console can offer them; with Live WeChat it answers 404. Changes nothing.");
        group.MapGet("/{id}", PollConsoleSession).WithName(nameof(PollConsoleSession)).AllowAnonymous()
            .WithSummary("Poll a console session; collect its tokens once approved")
            .WithDescription("Anyone holding the session's secret (header `X-Console-Secret`) may call. While nobody approved it answers "
                + "`pending`; once approved, the first call answers `approved` with the console's own access and refresh tokens and marks "
                + "the session used, so the tokens are handed over exactly once. 404 for an unknown id or a wrong secret, 410 once it "
                + "expired or its tokens were collected.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status410Gone);
        group.MapGet("/{id}/qr.png", ConsoleSessionQr).WithName(nameof(ConsoleSessionQr)).AllowAnonymous()
            .WithSummary("The QR code the console shows for its session")
            .WithDescription("Anyone may call. A PNG of `linli-console:<id>` drawn locally, for the console to show; the id is no secret. "
                + "404 when the id is not shaped like a session id. Changes nothing.")
            .Produces(StatusCodes.Status200OK, contentType: "image/png").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/approve", ApproveConsoleSession).WithName(nameof(ApproveConsoleSession))
            .RequireAuthorization(Policies.Staff)
            .WithSummary("Approve a console session scanned in the mini-program")
            .WithDescription("Staff only (admin, community staff, grid workers, department staff), signed in. Lets the console that opened "
                + "the session sign in as the caller. 404 for an unknown id, 409 when it was already approved, 410 once it expired.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status410Gone);
        return group;
    }

    public sealed record ConsoleSessionDto(string Id, string Secret, string QrContent, DateTimeOffset ExpiresAt);

    /// <summary><c>status</c> is <c>pending</c> or <c>approved</c>; <c>session</c> comes with <c>approved</c>, once.</summary>
    public sealed record ConsoleSessionStatusDto(string Status, DateTimeOffset ExpiresAt, SessionDto? Session);

    public sealed record DemoSignInDto(string Code, string Nickname, string Role, string Scope);

    public static async Task<Created<ConsoleSessionDto>> CreateConsoleSession(RequestConnection db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var id = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        var secret = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow();
        var expiresAt = now + Lifetime;
        var connection = await db.OpenAsync(cancellationToken);
        // Old sessions are of no use to anyone: each new one clears a few (uses ix_console_sessions_expires).
        await connection.ExecuteAsync(new CommandDefinition("""
            DELETE FROM console_sessions WHERE expires_at < @cutoff ORDER BY expires_at LIMIT 50;
            INSERT INTO console_sessions (public_id, secret_hash, created_at, expires_at) VALUES (@id, @hash, @now, @expiresAt)
            """, new { cutoff = now.AddDays(-1).UtcDateTime, id, hash = Hash(secret), now = now.UtcDateTime, expiresAt = expiresAt.UtcDateTime },
            cancellationToken: cancellationToken));
        return TypedResults.Created($"/api/v1/auth/console-sessions/{id}", new ConsoleSessionDto(id, secret, QrPrefix + id, expiresAt));
    }

    public static async Task<Results<Ok<ConsoleSessionStatusDto>, ProblemHttpResult>> PollConsoleSession(
        string id, [FromHeader(Name = SecretHeader)] string? secret, HttpContext http, RequestConnection db, SessionService sessions,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        // Tokens must never sit in a cache.
        http.Response.Headers.CacheControl = "no-store";
        if (!IsPublicId(id) || string.IsNullOrEmpty(secret) || secret.Length > 100)
            return NotFound();
        var now = clock.GetUtcNow();
        var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // FOR UPDATE: two polls racing for the same approved session queue here, and the second sees delivered_at.
        var row = await connection.QuerySingleOrDefaultAsync<SessionRow>(new CommandDefinition("""
            SELECT id, secret_hash, expires_at, approved_by, delivered_at FROM console_sessions WHERE public_id = @id FOR UPDATE
            """, new { id }, transaction, cancellationToken: cancellationToken));
        if (row is null || !CryptographicOperations.FixedTimeEquals(row.SecretHash, Hash(secret)))
            return NotFound();
        var expiresAt = RoleScopes.Utc(row.ExpiresAt);
        if (row.DeliveredAt is not null || expiresAt <= now)
            return Gone();
        if (row.ApprovedBy is not { } userId)
            return TypedResults.Ok(new ConsoleSessionStatusDto("pending", expiresAt, null));
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE console_sessions SET delivered_at = @now WHERE id = @Id",
            new { now = now.UtcDateTime, row.Id }, transaction, cancellationToken: cancellationToken));
        var session = await sessions.StartAsync(connection, transaction, userId, false, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(new ConsoleSessionStatusDto("approved", expiresAt, session));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> ApproveConsoleSession(
        string id, HttpContext http, RequestConnection db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!IsPublicId(id))
            return NotFound();
        var now = clock.GetUtcNow().UtcDateTime;
        var connection = await db.OpenAsync(cancellationToken);
        // One conditional UPDATE: of two approvals racing, exactly one wins.
        var approved = await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE console_sessions SET approved_by = @me, approved_at = @now
            WHERE public_id = @id AND approved_by IS NULL AND expires_at > @now
            """, new { id, me = http.User.GetUserId(), now }, cancellationToken: cancellationToken));
        if (approved == 1)
            return TypedResults.NoContent();
        var state = await connection.QuerySingleOrDefaultAsync<SessionRow>(new CommandDefinition(
            "SELECT id, expires_at, approved_by FROM console_sessions WHERE public_id = @id", new { id }, cancellationToken: cancellationToken));
        if (state is null)
            return NotFound();
        return state.ApprovedBy is not null
            ? TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Already approved",
                detail: "Someone already approved this console session; the console shows a new code for another sign-in.")
            : Gone();
    }

    public static Results<FileContentHttpResult, ProblemHttpResult> ConsoleSessionQr(string id) =>
        IsPublicId(id) ? TypedResults.File(StandardQrCode.Png(QrPrefix + id, pixelsPerModule: 8), "image/png") : NotFound();

    public static Results<Ok<IReadOnlyList<DemoSignInDto>>, ProblemHttpResult> DemoSignIns(IOptions<WechatOptions> wechat)
    {
        if (wechat.Value.Mode != WechatMode.Simulated)
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not available",
                detail: "Demo sign-in codes exist only with Simulated WeChat.");
        IReadOnlyList<DemoSignInDto> staff = [.. DemoData.Users
            .Where(u => StaffRoles.Contains(u.Role, StringComparer.Ordinal))
            .Select(u => new DemoSignInDto(u.LoginCode, u.Nickname, u.Role, u.Scope))];
        return TypedResults.Ok(staff);
    }

    private static bool IsPublicId(string id) => id.Length == PublicIdLength && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static byte[] Hash(string secret) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret));

    private static ProblemHttpResult NotFound() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Console session not found",
            detail: "There is no such console session, or the secret does not match.");

    private static ProblemHttpResult Gone() =>
        TypedResults.Problem(statusCode: StatusCodes.Status410Gone, title: "Console session over",
            detail: "The console session expired or its tokens were already collected: open a new one.");

    private sealed class SessionRow
    {
        public long Id { get; init; }
        public byte[] SecretHash { get; init; } = [];
        public DateTime ExpiresAt { get; init; }
        public long? ApprovedBy { get; init; }
        public DateTime? DeliveredAt { get; init; }
    }
}
