namespace Linli.Api.Houses;

/// <summary>
/// Who manages a house or grid, as SQL over the parameters of <see cref="Auth.Caller.With"/>: admins everything,
/// community staff their communities, grid workers their grids.
/// </summary>
internal static class Scope
{
    /// <summary>The house aliased <c>h</c> is managed by the caller (staff of its community or grid).</summary>
    public const string ManagesHouse = "(@admin = 1 OR h.community_id IN @staffCommunities OR h.grid_id IN @grids)";

    /// <summary>The caller manages the house aliased <c>h</c> or is its landlord.</summary>
    public const string ReadsHouse = "(" + ManagesHouse + " OR h.landlord_id = @me)";

    /// <summary>The grid aliased <c>g</c> is managed by the caller.</summary>
    public const string ManagesGrid = "(@admin = 1 OR g.community_id IN @staffCommunities OR g.id IN @grids)";
}
