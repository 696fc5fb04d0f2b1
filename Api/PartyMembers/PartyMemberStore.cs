using Linli.Api.Auth;
using System.Data.Common;
using Dapper;
using Linli.Api.Hosting;
using Linli.Domain.People;
using Linli.Domain.PartyMembers;
using Linli.Infrastructure.Crypto;

namespace Linli.Api.PartyMembers;

/// <summary>The outcome of a review: the member as it now stands, or why not.</summary>
public abstract record ReviewOutcome
{
    public sealed record Done(PartyMemberDto Member) : ReviewOutcome;
    public sealed record NotFound : ReviewOutcome;
    public sealed record OwnReportIn : ReviewOutcome;
    public sealed record WrongState(PartyMemberStatus Current) : ReviewOutcome;
}

/// <summary>
/// The party_members queries. Scope is part of every query: reviewers must hold community_staff
/// in the member's community, readers community_staff or grid_worker there; admins see all.
/// </summary>
public sealed class PartyMemberStore(RequestConnection db, FieldProtector protector, TimeProvider clock)
{
    // Only identifiers we control are interpolated: these two fragments.
    private const string ReadScope = "(@admin = 1 OR pm.community_id IN @staffCommunities OR pm.community_id IN @gridCommunities)";
    private const string ReviewScope = "(@admin = 1 OR pm.community_id IN @staffCommunities)";
    private const string SelectMember = """
        SELECT pm.id AS Id, pm.user_id AS UserId, pm.community_id AS CommunityId, c.name AS CommunityName,
               pm.grid_id AS GridId, pm.name AS Name, pm.organisation AS Organisation, pm.is_floating AS IsFloating,
               pm.phone_cipher AS PhoneCipher, pm.show_badge AS ShowBadge, pm.status AS Status,
               pm.decline_reason AS DeclineReason, pm.reviewed_at AS ReviewedAt, pm.created_at AS CreatedAt
        FROM party_members pm
        JOIN communities c ON c.id = pm.community_id
        """;

    /// <summary>The community must be active and the grid, if any, one of its active grids; otherwise a field-level 400.</summary>
    public async Task CheckPlaceAsync(long communityId, long? gridId, CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        var active = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM communities WHERE id = @communityId AND is_active = 1", new { communityId }, cancellationToken: ct));
        if (active == 0)
            throw Invalid.Field("communityId", "No such community.");
        if (gridId is not null)
        {
            // ux_grids_community_name starts with community_id; the PK finds the grid.
            var inCommunity = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM grids WHERE id = @gridId AND community_id = @communityId AND is_active = 1",
                new { gridId, communityId }, cancellationToken: ct));
            if (inCommunity == 0)
                throw Invalid.Field("gridId", "No such grid in this community.");
        }
    }

    /// <summary>Records a pending report-in; null when the user already has an open one (pending or confirmed) here.</summary>
    public async Task<(PartyMemberDto? Created, PartyMemberStatus? Existing)> ReportInAsync(
        long userId, long communityId, long? gridId, ReportIn value, CancellationToken ct)
    {
        var existing = await OpenStatusAsync(userId, communityId, ct);
        if (existing is not null)
            return (null, existing);

        var now = clock.GetUtcNow().UtcDateTime;
        long id;
        var connection = await db.OpenAsync(ct);
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(ct);
            id = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
                INSERT INTO party_members (user_id, community_id, grid_id, name, organisation, is_floating,
                                           phone_cipher, phone_hash, show_badge, status, created_at, updated_at)
                VALUES (@userId, @communityId, @gridId, @name, @organisation, @isFloating,
                        @phoneCipher, @phoneHash, @showBadge, 'pending', @now, @now);
                SELECT LAST_INSERT_ID();
                """, new
            {
                userId, communityId, gridId, name = value.Name, organisation = value.Organisation,
                isFloating = value.IsFloating ? 1 : 0, phoneCipher = protector.Encrypt(value.Phone),
                phoneHash = protector.Hash(value.Phone), showBadge = value.ShowBadge ? 1 : 0, now,
            }, transaction, cancellationToken: ct));
            foreach (var skill in value.Skills)
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO party_member_skills (party_member_id, skill) VALUES (@id, @skill)",
                    new { id, skill }, transaction, cancellationToken: ct));
            await transaction.CommitAsync(ct);
        }
        catch (DbException)
        {
            // Two report-ins raced and ux_party_members_open let only one through; anything else is a real failure.
            // The transaction is rolled back by now, so the request's connection reads again.
            var raced = await OpenStatusAsync(userId, communityId, CancellationToken.None);
            if (raced is null)
                throw;
            return (null, raced);
        }
        return (await FindAsync(id, ct), null);
    }

    private async Task<PartyMemberStatus?> OpenStatusAsync(long userId, long communityId, CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        // ix_party_members_user (user_id, status)
        var status = await connection.ExecuteScalarAsync<string?>(new CommandDefinition("""
            SELECT status FROM party_members
            WHERE user_id = @userId AND community_id = @communityId AND status IN ('pending', 'confirmed')
            LIMIT 1
            """, new { userId, communityId }, cancellationToken: ct));
        return status is null ? null : PartyMemberStatuses.FromStored(status);
    }

    /// <summary>A member the viewer may read: their own report-in, or one in a community they work for.</summary>
    public async Task<PartyMemberDto?> FindVisibleAsync(long id, Caller viewer, CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<MemberRow>(new CommandDefinition(
            SelectMember + $" WHERE pm.id = @id AND (pm.user_id = @me OR {ReadScope})",
            viewer.With(new { id }), cancellationToken: ct));
        return row is null ? null : (await WithSkillsAsync(connection, [row], ct))[0];
    }

    private async Task<PartyMemberDto?> FindAsync(long id, CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<MemberRow>(new CommandDefinition(
            SelectMember + " WHERE pm.id = @id", new { id }, cancellationToken: ct));
        return row is null ? null : (await WithSkillsAsync(connection, [row], ct))[0];
    }

    /// <summary>
    /// What the member did on tickets of their community, all time: tickets they claimed, tickets they resolved
    /// that are still resolved or closed, the average rating of those, and tickets they handle that are overdue now.
    /// </summary>
    public async Task<PartyMemberRecordDto> RecordAsync(long userId, long communityId, CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        // ix_ticket_events_actor_action (actor_id, action, ticket_id), then the tickets PK; ix_tickets_handler for overdue.
        var row = await connection.QuerySingleAsync<RecordRow>(new CommandDefinition("""
            SELECT
              (SELECT COUNT(DISTINCT e.ticket_id) FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
               WHERE e.actor_id = @userId AND e.action = 'claim' AND t.community_id = @communityId) AS Claimed,
              (SELECT COUNT(*) FROM tickets t
               WHERE t.id IN (SELECT e.ticket_id FROM ticket_events e WHERE e.actor_id = @userId AND e.action = 'resolve')
                 AND t.community_id = @communityId AND t.status IN ('resolved', 'return_visit', 'closed')) AS Resolved,
              (SELECT COUNT(*) FROM tickets t
               WHERE t.id IN (SELECT e.ticket_id FROM ticket_events e WHERE e.actor_id = @userId AND e.action = 'resolve')
                 AND t.community_id = @communityId AND t.status IN ('resolved', 'return_visit', 'closed') AND t.satisfaction IS NOT NULL) AS Rated,
              (SELECT CAST(COALESCE(SUM(t.satisfaction), 0) AS SIGNED) FROM tickets t
               WHERE t.id IN (SELECT e.ticket_id FROM ticket_events e WHERE e.actor_id = @userId AND e.action = 'resolve')
                 AND t.community_id = @communityId AND t.status IN ('resolved', 'return_visit', 'closed')) AS SatisfactionSum,
              (SELECT COUNT(*) FROM tickets t
               WHERE t.handler_user_id = @userId AND t.community_id = @communityId
                 AND t.status IN ('dispatched', 'in_progress') AND t.due_at < @now) AS Overdue
            """, new { userId, communityId, now = clock.GetUtcNow().UtcDateTime }, cancellationToken: ct));
        return new PartyMemberRecordDto(row.Claimed, row.Resolved,
            Domain.Stats.TicketCounts.Ratio(row.SatisfactionSum, row.Rated), row.Overdue);
    }

    private sealed class RecordRow
    {
        public long Claimed { get; set; }
        public long Resolved { get; set; }
        public long Rated { get; set; }
        public long SatisfactionSum { get; set; }
        public long Overdue { get; set; }
    }

    /// <summary>Newest first, keyset-paged by id. Filters are optional; scope is not.</summary>
    public async Task<PartyMemberPageDto> ListAsync(
        Caller viewer, long? communityId, PartyMemberStatus? status, string? skill, long? beforeId, int limit, CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        // ix_party_members_community (community_id, status, id); the skill filter probes the skills PK.
        var rows = (await connection.QueryAsync<MemberRow>(new CommandDefinition(SelectMember + $"""
             WHERE {ReadScope}
              AND (@communityId IS NULL OR pm.community_id = @communityId)
              AND (@status IS NULL OR pm.status = @status)
              AND (@beforeId IS NULL OR pm.id < @beforeId)
              AND (@skill IS NULL OR EXISTS (
                    SELECT 1 FROM party_member_skills s WHERE s.party_member_id = pm.id AND s.skill = @skill))
            ORDER BY pm.id DESC
            LIMIT @take
            """, viewer.With(new
        {
            communityId, status = status?.ToStored(), beforeId, skill, take = limit + 1,
        }), cancellationToken: ct))).ToList();
        var more = rows.Count > limit;
        if (more)
            rows.RemoveAt(rows.Count - 1);
        var items = await WithSkillsAsync(connection, rows, ct);
        return new PartyMemberPageDto(items, more ? rows[^1].Id : null);
    }

    public Task<ReviewOutcome> ConfirmAsync(long id, Caller viewer, CancellationToken ct) =>
        ReviewAsync(id, viewer, PartyMemberStatus.Confirmed, null, ct);

    public Task<ReviewOutcome> DeclineAsync(long id, Caller viewer, string reason, CancellationToken ct) =>
        ReviewAsync(id, viewer, PartyMemberStatus.Declined, reason, ct);

    /// <summary>
    /// Moves a pending report-in to confirmed or declined. Confirmation grants <c>party_member</c> for the
    /// member's community in the same transaction, so a confirmed member always holds the role.
    /// </summary>
    private async Task<ReviewOutcome> ReviewAsync(long id, Caller viewer, PartyMemberStatus to, string? reason, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var connection = await db.OpenAsync(ct);
        await using (var transaction = await connection.BeginTransactionAsync(ct))
        {
            var member = await connection.QuerySingleOrDefaultAsync<ReviewRow>(
                new CommandDefinition($"""
                    SELECT pm.user_id AS UserId, pm.community_id AS CommunityId, pm.status AS Status FROM party_members pm
                    WHERE pm.id = @id AND {ReviewScope}
                    FOR UPDATE
                    """, viewer.With(new { id }), transaction, cancellationToken: ct));
            if (member is null)
                return new ReviewOutcome.NotFound();
            if (member.UserId == viewer.UserId)
                return new ReviewOutcome.OwnReportIn();
            var status = PartyMemberStatuses.FromStored(member.Status);
            if (status != PartyMemberStatus.Pending)
                return new ReviewOutcome.WrongState(status);

            await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE party_members
                SET status = @to, decline_reason = @reason, reviewed_by = @me, reviewed_at = @now, updated_at = @now
                WHERE id = @id
                """, new { id, to = to.ToStored(), reason, me = viewer.UserId, now }, transaction, cancellationToken: ct));
            if (to == PartyMemberStatus.Confirmed)
            {
                // The member may already hold the role (granted by hand, or an earlier report-in): the unique active
                // grant (ux_user_roles_active) keeps that one.
                await connection.ExecuteAsync(new CommandDefinition("""
                    INSERT INTO user_roles (user_id, role, community_id, granted_by, granted_at)
                    VALUES (@userId, 'party_member', @communityId, @me, @now)
                    ON DUPLICATE KEY UPDATE id = id
                    """, new { member.UserId, member.CommunityId, me = viewer.UserId, now }, transaction, cancellationToken: ct));
            }
            await transaction.CommitAsync(ct);
        }
        return new ReviewOutcome.Done((await FindAsync(id, ct))!);
    }

    /// <summary>The member's own switch for showing the badge; null when the report-in is not theirs.</summary>
    public async Task<PartyMemberDto?> SetBadgeAsync(long id, long userId, bool show, CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        var changed = await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE party_members SET show_badge = @show, updated_at = @now WHERE id = @id AND user_id = @userId
            """, new { id, userId, show = show ? 1 : 0, now = clock.GetUtcNow().UtcDateTime }, cancellationToken: ct));
        // MySQL counts matched rows only if asked; check ownership separately rather than rely on it.
        if (changed == 0 && await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM party_members WHERE id = @id AND user_id = @userId", new { id, userId }, cancellationToken: ct)) == 0)
            return null;
        return await FindAsync(id, ct);
    }

    private async Task<List<PartyMemberDto>> WithSkillsAsync(DbConnection connection, IReadOnlyList<MemberRow> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
            return [];
        // party_member_skills PK (party_member_id, skill)
        var skills = (await connection.QueryAsync<(long PartyMemberId, string Skill)>(new CommandDefinition(
                "SELECT party_member_id, skill FROM party_member_skills WHERE party_member_id IN @ids ORDER BY party_member_id, skill",
                new { ids = rows.Select(r => r.Id).ToArray() }, cancellationToken: ct)))
            .ToLookup(s => s.PartyMemberId, s => s.Skill);
        return rows.Select(r => r.ToDto(Masking.Phone(protector.Decrypt(r.PhoneCipher)), skills[r.Id].ToList())).ToList();
    }

    private sealed class ReviewRow
    {
        public long UserId { get; set; }
        public long CommunityId { get; set; }
        public string Status { get; set; } = "";
    }

    private sealed class MemberRow
    {
        public long Id { get; set; }
        public long UserId { get; set; }
        public long CommunityId { get; set; }
        public string CommunityName { get; set; } = "";
        public long? GridId { get; set; }
        public string Name { get; set; } = "";
        public string Organisation { get; set; } = "";
        public bool IsFloating { get; set; }
        public byte[] PhoneCipher { get; set; } = [];
        public bool ShowBadge { get; set; }
        public string Status { get; set; } = "";
        public string? DeclineReason { get; set; }
        public DateTime? ReviewedAt { get; set; }
        public DateTime CreatedAt { get; set; }

        public PartyMemberDto ToDto(string maskedPhone, IReadOnlyList<string> skills) => new(
            Id, UserId, CommunityId, CommunityName, GridId, Name, Organisation, IsFloating, maskedPhone, skills, ShowBadge,
            PartyMemberStatuses.FromStored(Status), DeclineReason,
            ReviewedAt is { } reviewed ? Utc(reviewed) : null, Utc(CreatedAt));
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
