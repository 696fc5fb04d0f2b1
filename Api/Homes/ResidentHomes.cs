using System.Data.Common;
using Dapper;

namespace Linli.Api.Homes;

/// <summary>Why a resident's home is what it is; stored in <c>resident_homes.source</c> and shown as <c>source</c>.</summary>
public static class HomeSources
{
    /// <summary>The resident chose a community and grid.</summary>
    public const string Declared = "declared";
    /// <summary>The resident scanned their house's code.</summary>
    public const string HouseCode = "house_code";
    /// <summary>An active tenancy of the resident.</summary>
    public const string Tenancy = "tenancy";
    /// <summary>A house the resident owns and lives in (own_use).</summary>
    public const string Owner = "owner";
    /// <summary>A household the resident registered by scanning the house code.</summary>
    public const string Household = "household";

    public static readonly IReadOnlyList<string> All = [Declared, HouseCode, Tenancy, Owner, Household];
}

/// <summary>
/// Writes where a resident lives (<c>resident_homes</c>) for every feature that learns it: the resident's own
/// declaration, tenancies, owned houses and households. The latest write wins. Each call is one statement on the
/// caller's connection and takes the caller's transaction when there is one.
/// </summary>
public static class ResidentHomes
{
    private const string Upsert = """
        ON DUPLICATE KEY UPDATE community_id = VALUES(community_id), grid_id = VALUES(grid_id), house_id = VALUES(house_id),
                                household_id = VALUES(household_id), source = VALUES(source), updated_at = VALUES(updated_at)
        """;

    /// <summary>
    /// The resident lives in this house: their community and grid become the house's. The one call a feature makes when
    /// it learns someone's house; <paramref name="householdId"/> when a household of the house told us.
    /// </summary>
    public static Task LivesInHouseAsync(DbConnection connection, DbTransaction? transaction, long userId, long houseId, string source,
        DateTimeOffset now, CancellationToken ct, long? householdId = null) =>
        // Primary key of houses.
        connection.ExecuteAsync(new CommandDefinition($"""
            INSERT INTO resident_homes (user_id, community_id, grid_id, house_id, household_id, source, updated_at)
            SELECT @userId, h.community_id, h.grid_id, h.id, @householdId, @source, @now FROM houses h WHERE h.id = @houseId
            {Upsert}
            """, new { userId, houseId, householdId, source, now = now.UtcDateTime }, transaction, cancellationToken: ct));

    /// <summary>The resident chose a community and grid without naming a house.</summary>
    public static Task DeclareAsync(DbConnection connection, long userId, long communityId, long gridId, DateTimeOffset now, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition($"""
            INSERT INTO resident_homes (user_id, community_id, grid_id, house_id, household_id, source, updated_at)
            VALUES (@userId, @communityId, @gridId, NULL, NULL, @source, @now)
            {Upsert}
            """, new { userId, communityId, gridId, source = HomeSources.Declared, now = now.UtcDateTime }, cancellationToken: ct));

    /// <summary>An active tenancy with a known tenant makes its house the tenant's home; anything else changes nothing.</summary>
    public static Task TenancyActiveAsync(DbConnection connection, DbTransaction? transaction, long tenancyId, DateTimeOffset now, CancellationToken ct) =>
        // Primary key of tenancies, then of houses.
        connection.ExecuteAsync(new CommandDefinition($"""
            INSERT INTO resident_homes (user_id, community_id, grid_id, house_id, household_id, source, updated_at)
            SELECT t.tenant_user_id, h.community_id, h.grid_id, h.id, NULL, @source, @now
            FROM tenancies t JOIN houses h ON h.id = t.house_id
            WHERE t.id = @tenancyId AND t.status = 'active' AND t.tenant_user_id IS NOT NULL
            {Upsert}
            """, new { tenancyId, source = HomeSources.Tenancy, now = now.UtcDateTime }, transaction, cancellationToken: ct));

    /// <summary>A tenant moved out: the home the tenancy gave them goes (a home they declared since stays).</summary>
    public static Task TenancyEndedAsync(DbConnection connection, DbTransaction? transaction, long tenancyId, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition("""
            DELETE r FROM resident_homes r
            JOIN tenancies t ON t.tenant_user_id = r.user_id AND t.house_id = r.house_id
            WHERE t.id = @tenancyId AND r.source = @source
            """, new { tenancyId, source = HomeSources.Tenancy }, transaction, cancellationToken: ct));

    /// <summary>
    /// A house was registered or changed: the homes in it follow its grid; an owner's home it no longer is (rented out,
    /// another landlord) goes; and when it is own_use with a known landlord, it becomes the landlord's home if
    /// <paramref name="ownerNews"/> (the house is new, its landlord or its use changed) or they have no home yet — an
    /// edit of the door number does not undo a home the owner declared since.
    /// </summary>
    public static async Task HouseChangedAsync(DbConnection connection, DbTransaction? transaction, long houseId, bool ownerNews,
        DateTimeOffset now, CancellationToken ct)
    {
        // ix_resident_homes_house for the homes in the house; primary key of houses.
        await connection.ExecuteAsync(new CommandDefinition("""
            DELETE r FROM resident_homes r JOIN houses h ON h.id = r.house_id
            WHERE r.house_id = @houseId AND r.source = @source AND (h.house_use <> 'own_use' OR NOT (h.landlord_id <=> r.user_id))
            """, new { houseId, source = HomeSources.Owner }, transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE resident_homes r JOIN houses h ON h.id = r.house_id
            SET r.community_id = h.community_id, r.grid_id = h.grid_id
            WHERE r.house_id = @houseId
            """, new { houseId }, transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition($"""
            INSERT INTO resident_homes (user_id, community_id, grid_id, house_id, household_id, source, updated_at)
            SELECT h.landlord_id, h.community_id, h.grid_id, h.id, NULL, @source, @now FROM houses h
            WHERE h.id = @houseId AND h.house_use = 'own_use' AND h.landlord_id IS NOT NULL
              AND (@ownerNews OR NOT EXISTS (SELECT 1 FROM resident_homes x WHERE x.user_id = h.landlord_id))
            {Upsert}
            """, new { houseId, ownerNews, source = HomeSources.Owner, now = now.UtcDateTime }, transaction, cancellationToken: ct));
    }

    /// <summary>Houses waiting for a landlord's phone became theirs: the newest own_use one among them is their home.</summary>
    public static Task OwnerAttachedAsync(DbConnection connection, DbTransaction? transaction, long userId, DateTimeOffset now, CancellationToken ct) =>
        // ix_houses_landlord (landlord_id, id).
        connection.ExecuteAsync(new CommandDefinition($"""
            INSERT INTO resident_homes (user_id, community_id, grid_id, house_id, household_id, source, updated_at)
            SELECT h.landlord_id, h.community_id, h.grid_id, h.id, NULL, @source, @now FROM houses h
            WHERE h.landlord_id = @userId AND h.house_use = 'own_use'
            ORDER BY h.id DESC LIMIT 1
            {Upsert}
            """, new { userId, source = HomeSources.Owner, now = now.UtcDateTime }, transaction, cancellationToken: ct));
}
