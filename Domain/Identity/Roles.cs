namespace Linli.Domain.Identity;

/// <summary>Role names as stored in <c>user_roles.role</c> and carried in the access token's <c>role</c> claims.</summary>
public static class Roles
{
    /// <summary>Every signed-in user; never stored, always implied.</summary>
    public const string Resident = "resident";
    /// <summary>Owns one or more houses; scoped by the houses themselves.</summary>
    public const string Landlord = "landlord";
    /// <summary>Scoped to a community and one grid per row.</summary>
    public const string GridWorker = "grid_worker";
    /// <summary>Scoped to a community; dispatches tickets.</summary>
    public const string CommunityStaff = "community_staff";
    /// <summary>Scoped to a department, which serves every community.</summary>
    public const string DepartmentStaff = "department_staff";
    /// <summary>Scoped to a community, after the community confirmed the report-in.</summary>
    public const string PartyMember = "party_member";
    /// <summary>
    /// Scoped to a street office: holds community staff authority in every community of it (sees and dispatches
    /// their tickets, reads their houses and figures) and receives what escalates to the street.
    /// </summary>
    public const string StreetLeader = "street_leader";
    /// <summary>The whole deployment.</summary>
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All =
        [Resident, Landlord, GridWorker, CommunityStaff, DepartmentStaff, PartyMember, StreetLeader, Admin];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);
}
