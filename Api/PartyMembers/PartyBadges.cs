using System.Data.Common;
using Dapper;
using Linli.Api.Hosting;

namespace Linli.Api.PartyMembers;

/// <summary>The 党员 badge shown beside a confirmed party member who agreed to show it.</summary>
public sealed record PartyBadge(long UserId, long CommunityId, string Name, string Organisation)
{
    public PartyBadgeDto ToDto() => new(Name, Organisation);
}

/// <summary>
/// Looks up badges for other features: tickets show the badge of whoever handles a ticket,
/// house cards show the badges of the party members serving the house's grid.
/// Only confirmed report-ins with <c>show_badge = 1</c> produce a badge.
/// </summary>
public sealed class PartyBadges(RequestConnection db)
{
    /// <summary>
    /// Badges by user id; users without one are absent. With <paramref name="communityId"/> only a badge for
    /// that community counts (a ticket shows its handler's badge only if they serve the ticket's community).
    /// </summary>
    public async Task<IReadOnlyDictionary<long, PartyBadge>> ForUsersAsync(
        IReadOnlyCollection<long> userIds, long? communityId = null, CancellationToken cancellationToken = default)
    {
        if (userIds.Count == 0)
            return new Dictionary<long, PartyBadge>();
        var connection = await db.OpenAsync(cancellationToken);
        // ix_party_members_user (user_id, status)
        var rows = await connection.QueryAsync<BadgeRow>(new CommandDefinition("""
            SELECT user_id AS UserId, community_id AS CommunityId, name AS Name, organisation AS Organisation
            FROM party_members
            WHERE user_id IN @userIds AND status = 'confirmed' AND show_badge = 1
              AND (@communityId IS NULL OR community_id = @communityId)
            ORDER BY reviewed_at DESC, id DESC
            """, new { userIds = userIds.Distinct().ToArray(), communityId }, cancellationToken: cancellationToken));
        var badges = new Dictionary<long, PartyBadge>();
        foreach (var row in rows)
            badges.TryAdd(row.UserId, row.ToBadge()); // the most recently confirmed wins
        return badges;
    }

    /// <summary>Badges of the confirmed party members who serve a grid, in the order they were confirmed.</summary>
    public async Task<IReadOnlyList<PartyBadge>> ForGridAsync(long gridId, CancellationToken cancellationToken = default)
    {
        var connection = await db.OpenAsync(cancellationToken);
        // ix_party_members_grid (grid_id, status)
        var rows = await connection.QueryAsync<BadgeRow>(new CommandDefinition("""
            SELECT user_id AS UserId, community_id AS CommunityId, name AS Name, organisation AS Organisation
            FROM party_members
            WHERE grid_id = @gridId AND status = 'confirmed' AND show_badge = 1
            ORDER BY reviewed_at, id
            """, new { gridId }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToBadge()).ToList();
    }

    private sealed class BadgeRow
    {
        public long UserId { get; set; }
        public long CommunityId { get; set; }
        public string Name { get; set; } = "";
        public string Organisation { get; set; } = "";
        public PartyBadge ToBadge() => new(UserId, CommunityId, Name, Organisation);
    }
}
