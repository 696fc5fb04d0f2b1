using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using System.Security.Cryptography;
using Dapper;
using Linli.Api.Auth;
using Linli.Api.Hosting;
using Linli.Domain.Identity;
using Linli.Infrastructure.Wechat;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Linli.Api.Invitations;

/// <summary>
/// Staff get their roles from invitations: an admin (any staff role, street leaders included) or a community_staff member (grid_worker or
/// community_staff of their own community) creates a single-use code for one role and scope; the invited person
/// signs in with WeChat and redeems it. Redeeming is one conditional UPDATE, so a code works exactly once.
/// </summary>
public static class InvitationsApi
{
    /// <summary>Roles that come from invitations. landlord follows from owning a house; resident from signing in.</summary>
    public static readonly IReadOnlyList<string> InvitableRoles =
        [Roles.GridWorker, Roles.CommunityStaff, Roles.DepartmentStaff, Roles.PartyMember, Roles.StreetLeader, Roles.Admin];

    /// <summary>What community staff may invite people to, in their own community only.</summary>
    public static readonly IReadOnlyList<string> CommunityStaffInvitableRoles = [Roles.GridWorker, Roles.CommunityStaff];

    public const int DefaultExpiryDays = 7;
    private const string CodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"; // no 0/O, 1/I/L: read aloud and typed by hand

    public static RouteGroupBuilder MapInvitations(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/invitations").WithTags("Invitations");
        // Policies add up (all must pass), so the staff-only endpoints get theirs one by one and redeeming stays open to the invited.
        group.MapPost("/", CreateInvitation).WithName(nameof(CreateInvitation))
            .WithSummary("Invite a member of staff")
            .WithDescription("Creates a single-use code for one role and exactly its scope, valid 1–30 days (7 by default). Admins invite to any staff role; community staff invite grid workers and community staff of their own community (403 otherwise).")
            .RequireAuthorization(Policies.CommunityStaff);
        group.MapGet("/{code}/qr", GetInvitationQr).WithName(nameof(GetInvitationQr))
            .WithSummary("An invitation as a mini-program code")
            .WithDescription("The invitation as a WeChat mini-program code image whose scene (inv=<code>) opens the redeem page. Admins, the invitation's creator and staff of its community; changes nothing. WeChat being unavailable is a 502 or 503.")
            .RequireAuthorization(Policies.CommunityStaff)
            .WithMetadata(new FileDownload("The mini-program code image.", "image/png", "image/jpeg"));
        group.MapPost("/{code}/redeem", RedeemInvitation).WithName(nameof(RedeemInvitation))
            .WithSummary("Redeem an invitation")
            .WithDescription("Gives the signed-in user the invitation's role and scope; the next access token carries it. Any signed-in user holding the code. A code already used or expired is a 409 naming its state.")
            .ProducesProblem(StatusCodes.Status409Conflict).RequireAuthorization(Policies.SignedIn);
        return group;
    }

    /// <summary>The role and exactly the scope user_roles keeps for it: a community for grid_worker, community_staff and
    /// party_member, also a grid for grid_worker, a department for department_staff, a street office for street_leader,
    /// none for admin.</summary>
    public sealed record CreateInvitationRequest(
        [Required, OneOf(typeof(InvitationsApi), nameof(InvitableRoles))] string Role,
        long? CommunityId,
        long? GridId,
        long? DepartmentId,
        [Range(1, 30)] int? ExpiresInDays,
        long? StreetOfficeId = null) : IValidatableObject
    {
        public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
        {
            if (!InvitableRoles.Contains(Role, StringComparer.Ordinal))
                yield break;
            var needsCommunity = Role is Roles.GridWorker or Roles.CommunityStaff or Roles.PartyMember;
            var needsGrid = Role is Roles.GridWorker;
            var needsDepartment = Role is Roles.DepartmentStaff;
            var needsStreetOffice = Role is Roles.StreetLeader;
            if (Scope(nameof(CommunityId), CommunityId, needsCommunity) is { } community)
                yield return community;
            if (Scope(nameof(GridId), GridId, needsGrid) is { } grid)
                yield return grid;
            if (Scope(nameof(DepartmentId), DepartmentId, needsDepartment) is { } department)
                yield return department;
            if (Scope(nameof(StreetOfficeId), StreetOfficeId, needsStreetOffice) is { } streetOffice)
                yield return streetOffice;
        }

        private ValidationResult? Scope(string field, long? value, bool needed) =>
            needed && value is null ? new ValidationResult($"A {Role} invitation needs a {JsonName(field)}.", [field])
            : !needed && value is not null ? new ValidationResult($"A {Role} invitation has no {JsonName(field)}.", [field])
            : null;

        private static string JsonName(string field) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(field);
    }
    public sealed record InvitationDto(string Code, string Role, long? CommunityId, long? GridId, long? DepartmentId, DateTimeOffset ExpiresAt, string QrImageUrl, long? StreetOfficeId = null);

    public static async Task<Results<Created<InvitationDto>, ForbidHttpResult>> CreateInvitation(
        CreateInvitationRequest request, Caller caller, RequestConnection db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var me = caller.UserId;
        var isAdmin = caller.IsAdmin;
        if (!isAdmin && !CommunityStaffInvitableRoles.Contains(request.Role, StringComparer.Ordinal))
            return TypedResults.Forbid();
        // A community_staff member invites only to their own communities, and learns nothing about other communities.
        if (!isAdmin && (request.CommunityId is not { } community || !caller.Can(Roles.CommunityStaff, community)))
            return TypedResults.Forbid();

        var connection = await db.OpenAsync(cancellationToken);
        // The existence checks are one query.
        var scope = await connection.QuerySingleAsync<ScopeRow>(new CommandDefinition("""
            SELECT
              (SELECT COUNT(*) FROM communities c WHERE c.id = @CommunityId AND c.is_active = 1) AS CommunityOk,
              (SELECT COUNT(*) FROM grids g WHERE g.id = @GridId AND g.community_id = @CommunityId AND g.is_active = 1) AS GridOk,
              (SELECT COUNT(*) FROM departments d WHERE d.id = @DepartmentId AND d.is_active = 1) AS DepartmentOk,
              (SELECT COUNT(*) FROM street_offices s WHERE s.id = @StreetOfficeId AND s.is_active = 1) AS StreetOfficeOk
            """, new { request.CommunityId, request.GridId, request.DepartmentId, request.StreetOfficeId }, cancellationToken: cancellationToken));
        if (request.CommunityId is not null && scope.CommunityOk == 0)
            throw Invalid.Field("communityId", "No active community has this id.");
        if (request.GridId is not null && scope.GridOk == 0)
            throw Invalid.Field("gridId", "No active grid of this community has this id.");
        if (request.DepartmentId is not null && scope.DepartmentOk == 0)
            throw Invalid.Field("departmentId", "No active department has this id.");
        if (request.StreetOfficeId is not null && scope.StreetOfficeOk == 0)
            throw Invalid.Field("streetOfficeId", "No active street office has this id.");

        var now = clock.GetUtcNow();
        var expiresAt = now.AddDays(request.ExpiresInDays ?? DefaultExpiryDays);
        var code = NewCode();
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO invitations (code, role, community_id, grid_id, department_id, street_office_id, created_by, created_at, expires_at)
            VALUES (@code, @Role, @CommunityId, @GridId, @DepartmentId, @StreetOfficeId, @me, @now, @expiresAt)
            """, new { code, request.Role, request.CommunityId, request.GridId, request.DepartmentId, request.StreetOfficeId, me, now = now.UtcDateTime, expiresAt = expiresAt.UtcDateTime },
            cancellationToken: cancellationToken));
        var dto = new InvitationDto(code, request.Role, request.CommunityId, request.GridId, request.DepartmentId, expiresAt,
            $"/api/v1/invitations/{code}/qr", request.StreetOfficeId);
        return TypedResults.Created($"/api/v1/invitations/{code}", dto);
    }

    /// <summary>
    /// The invitation as a mini-program code: scanning it opens the redeem page with <c>scene=inv=&lt;code&gt;</c>.
    /// Visible to admins and to staff of the invitation's community.
    /// </summary>
    public static async Task<Results<FileContentHttpResult, NotFound>> GetInvitationQr(
        string code, Caller caller, RequestConnection db, IWechatClient wechat, IConfiguration configuration, CancellationToken cancellationToken)
    {
        var connection = await db.OpenAsync(cancellationToken);
        var visible = await connection.ExecuteScalarAsync<long?>(new CommandDefinition("""
            SELECT i.id FROM invitations i
            WHERE i.code = @code AND (@admin = 1 OR i.created_by = @me OR i.community_id IN @staffCommunities)
            """, caller.With(new { code }), cancellationToken: cancellationToken));
        if (visible is null)
            return TypedResults.NotFound();
        var page = configuration["Invitations:Page"] ?? "pages/invitation/redeem";
        var image = await wechat.GetUnlimitedQrCodeAsync("inv=" + code, page, cancellationToken);
        var isJpeg = image.Length > 2 && image[0] == 0xFF && image[1] == 0xD8;
        return TypedResults.File(image, isJpeg ? "image/jpeg" : "image/png");
    }

    /// <summary>Gives the signed-in user the invitation's role. A new access token (sign in or refresh) carries it.</summary>
    public static async Task<Results<Ok<RoleDto>, NotFound, ProblemHttpResult>> RedeemInvitation(
        string code, HttpContext http, RequestConnection db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (code.Length > 32)
            return TypedResults.NotFound();
        var me = http.User.GetUserId();
        var now = clock.GetUtcNow().UtcDateTime;
        var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var redeemed = await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE invitations SET redeemed_by = @me, redeemed_at = @now
            WHERE code = @code AND redeemed_at IS NULL AND expires_at > @now
            """, new { code, me, now }, transaction, cancellationToken: cancellationToken));
        var invitation = await connection.QuerySingleOrDefaultAsync<InvitationRow>(new CommandDefinition("""
            SELECT role AS Role, community_id AS CommunityId, grid_id AS GridId, department_id AS DepartmentId,
                   street_office_id AS StreetOfficeId, expires_at AS ExpiresAt, redeemed_by AS RedeemedBy, redeemed_at AS RedeemedAt
            FROM invitations WHERE code = @code
            """, new { code }, transaction, cancellationToken: cancellationToken));
        if (invitation is null)
            return TypedResults.NotFound();
        if (redeemed == 0)
        {
            var state = invitation.RedeemedAt is not null ? "redeemed" : "expired";
            // TypedResults.Problem, not Conflict(problem): only the former is written as application/problem+json with a traceId.
            return TypedResults.Problem(title: $"The invitation is {state}",
                detail: state == "redeemed" ? "Each invitation works once; ask for a new one." : "The invitation has expired; ask for a new one.",
                statusCode: StatusCodes.Status409Conflict, extensions: new Dictionary<string, object?> { ["state"] = state });
        }
        // Holding the role already is fine: the active_key unique index keeps one active row.
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT IGNORE INTO user_roles (user_id, role, community_id, grid_id, department_id, street_office_id, granted_by, granted_at)
            SELECT @me, i.role, i.community_id, i.grid_id, i.department_id, i.street_office_id, i.created_by, @now
            FROM invitations i WHERE i.code = @code
            """, new { me, now, code }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        var roles = await RoleScopes.ActiveRolesAsync(connection, [me], cancellationToken);
        var granted = roles[me].First(r => r.Role == invitation.Role && r.CommunityId == invitation.CommunityId
            && r.GridId == invitation.GridId && r.DepartmentId == invitation.DepartmentId && r.StreetOfficeId == invitation.StreetOfficeId);
        return TypedResults.Ok(granted);
    }

    private static string NewCode() => RandomNumberGenerator.GetString(CodeAlphabet, 12);

    private sealed class ScopeRow
    {
        public long CommunityOk { get; init; }
        public long GridOk { get; init; }
        public long DepartmentOk { get; init; }
        public long StreetOfficeOk { get; init; }
    }

    private sealed class InvitationRow
    {
        public string Role { get; init; } = "";
        public long? CommunityId { get; init; }
        public long? GridId { get; init; }
        public long? DepartmentId { get; init; }
        public long? StreetOfficeId { get; init; }
        public DateTime ExpiresAt { get; init; }
        public long? RedeemedBy { get; init; }
        public DateTime? RedeemedAt { get; init; }
    }
}
