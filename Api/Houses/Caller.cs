using System.Security.Claims;
using Linli.Api.Auth;
using Linli.Domain.Identity;

namespace Linli.Api.Houses;

/// <summary>
/// Who is calling, as the scope fragments need it: <c>@me</c> and <c>@admin</c>. An anonymous caller
/// (scanning a house code without signing in) has user id 0, which matches no row.
/// </summary>
internal readonly record struct Caller(long Me, int Admin)
{
    public bool IsSignedIn => Me != 0;

    public static Caller From(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true
            ? new Caller(user.GetUserId(), user.HasRole(Roles.Admin) ? 1 : 0)
            : new Caller(0, 0);
}

/// <summary>
/// Scope as SQL, so it is enforced in the query (COMMON.md): admin sees everything, community staff
/// their communities, grid workers their grids. Each fragment needs the parameters <c>@me</c> and <c>@admin</c>.
/// </summary>
internal static class Scope
{
    /// <summary>The house aliased <c>h</c> is managed by the caller (staff of its community or grid).</summary>
    public const string ManagesHouse = """
        (@admin = 1
         OR h.community_id IN (SELECT ur.community_id FROM user_roles ur
                               WHERE ur.user_id = @me AND ur.role = 'community_staff' AND ur.revoked_at IS NULL)
         OR h.grid_id IN (SELECT ur.grid_id FROM user_roles ur
                          WHERE ur.user_id = @me AND ur.role = 'grid_worker' AND ur.revoked_at IS NULL))
        """;

    /// <summary>The caller manages the house aliased <c>h</c> or is its landlord.</summary>
    public const string ReadsHouse = "(" + ManagesHouse + " OR h.landlord_id = @me)";

    /// <summary>The grid aliased <c>g</c> is managed by the caller.</summary>
    public const string ManagesGrid = """
        (@admin = 1
         OR g.community_id IN (SELECT ur.community_id FROM user_roles ur
                               WHERE ur.user_id = @me AND ur.role = 'community_staff' AND ur.revoked_at IS NULL)
         OR g.id IN (SELECT ur.grid_id FROM user_roles ur
                     WHERE ur.user_id = @me AND ur.role = 'grid_worker' AND ur.revoked_at IS NULL))
        """;
}
