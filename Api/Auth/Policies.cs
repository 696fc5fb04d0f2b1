using Linli.Domain.Identity;
using Microsoft.AspNetCore.Authorization;

namespace Linli.Api.Auth;

/// <summary>
/// Authorization policies by name. A policy says which roles may call an endpoint at all;
/// the scope (which community, grid or department) is enforced in each query.
/// </summary>
public static class Policies
{
    public const string SignedIn = "signed-in";
    public const string Admin = "admin";
    /// <summary>Community staff, and street leaders (who hold that authority in every community of their street office).</summary>
    public const string CommunityStaff = "community-staff";
    /// <summary>Community staff or grid workers: those who manage houses and report on patrol.</summary>
    public const string GridStaff = "grid-staff";
    public const string DepartmentStaff = "department-staff";
    public const string PartyMember = "party-member";
    /// <summary>Anyone who works for the community: admin, street leaders, community staff, grid workers, department staff.</summary>
    public const string Staff = "staff";
    /// <summary>Those who read ticket figures: community staff, street leaders, department staff (their department's) and admins.</summary>
    public const string TicketFigures = "ticket-figures";

    public static void Add(AuthorizationOptions options)
    {
        options.AddPolicy(SignedIn, p => p.RequireAuthenticatedUser());
        options.AddPolicy(Admin, p => p.RequireAuthenticatedUser().RequireClaim(AuthClaims.Role, Roles.Admin));
        options.AddPolicy(CommunityStaff, p => p.RequireAuthenticatedUser().RequireClaim(AuthClaims.Role, Roles.CommunityStaff, Roles.StreetLeader, Roles.Admin));
        options.AddPolicy(GridStaff, p => p.RequireAuthenticatedUser().RequireClaim(AuthClaims.Role, Roles.CommunityStaff, Roles.GridWorker, Roles.StreetLeader, Roles.Admin));
        options.AddPolicy(DepartmentStaff, p => p.RequireAuthenticatedUser().RequireClaim(AuthClaims.Role, Roles.DepartmentStaff, Roles.Admin));
        options.AddPolicy(PartyMember, p => p.RequireAuthenticatedUser().RequireClaim(AuthClaims.Role, Roles.PartyMember));
        options.AddPolicy(TicketFigures, p => p.RequireAuthenticatedUser().RequireClaim(AuthClaims.Role,
            Roles.CommunityStaff, Roles.StreetLeader, Roles.DepartmentStaff, Roles.Admin));
        options.AddPolicy(Staff, p => p.RequireAuthenticatedUser().RequireClaim(AuthClaims.Role,
            Roles.Admin, Roles.StreetLeader, Roles.CommunityStaff, Roles.GridWorker, Roles.DepartmentStaff));
        // Nothing is reachable by accident: an endpoint without a policy needs a signed-in user.
        options.FallbackPolicy = options.GetPolicy(SignedIn);
    }
}
