using System.Data.Common;
using Dapper;
using Linli.Api.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Api.Tests.Stats;

/// <summary>One timeline entry of a seeded ticket, <see cref="After"/> the ticket was received.</summary>
public sealed record SeedEvent(string Action, TimeSpan After, long? ActorId = null);

/// <summary>
/// Inserts tickets and their timelines straight into the database with exact times, so every figure
/// the stats compute is known in advance. Times are given in China Standard Time, as a person reads them.
/// </summary>
public sealed class TicketSeed(LinliFactory factory)
{
    private static readonly TimeSpan Cst = TimeSpan.FromHours(8);
    private DbDataSource Db => factory.Services.GetRequiredService<DbDataSource>();

    public static DateTime Utc(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) =>
        new DateTimeOffset(year, month, day, hour, minute, second, Cst).UtcDateTime;

    public async Task<long> CategoryIdAsync(string name)
    {
        await using var c = await Db.OpenConnectionAsync();
        return await c.ExecuteScalarAsync<long>("SELECT id FROM ticket_categories WHERE name = @name", new { name });
    }

    public async Task<long> TicketAsync(
        long communityId, long submitterId, long categoryId, DateTime createdUtc, string status,
        IReadOnlyList<SeedEvent>? events = null, long? gridId = null, long? departmentId = null, long? handlerDepartmentId = null,
        long? handlerUserId = null, TimeSpan? dueAfter = null, TimeSpan? resolvedAfter = null, int? satisfaction = null, int reopenCount = 0,
        string description = "楼道灯坏了", int escalationLevel = 0, int returnVisits = 0, bool? satisfiedAfterVisit = null)
    {
        await using var c = await Db.OpenConnectionAsync();
        var id = await c.ExecuteScalarAsync<long>("""
            INSERT INTO tickets (number, category_id, community_id, grid_id, description, channel, submitter_id, status,
                                 department_id, handler_user_id, handler_department_id, due_at, reopen_count, satisfaction,
                                 resolved_at, escalation_level, return_visits, satisfied_after_visit, created_at, updated_at)
            VALUES (@number, @categoryId, @communityId, @gridId, @description, 'mini_program', @submitterId, @status,
                    @departmentId, @handlerUserId, @handlerDepartmentId, @dueAt, @reopenCount, @satisfaction,
                    @resolvedAt, @escalationLevel, @returnVisits, @satisfiedAfterVisit, @createdUtc, @createdUtc);
            SELECT LAST_INSERT_ID();
            """, new
        {
            number = "S" + Guid.NewGuid().ToString("N")[..18], categoryId, communityId, gridId, description, submitterId, status,
            departmentId, handlerUserId, handlerDepartmentId, dueAt = createdUtc + dueAfter, reopenCount, satisfaction,
            resolvedAt = createdUtc + resolvedAfter, escalationLevel, returnVisits, satisfiedAfterVisit, createdUtc,
        });
        foreach (var e in events ?? [])
            await c.ExecuteAsync("""
                INSERT INTO ticket_events (ticket_id, actor_id, actor_role, action, from_status, to_status, created_at)
                VALUES (@id, @actorId, 'test', @action, NULL, 'test', @at)
                """, new { id, actorId = e.ActorId ?? submitterId, action = e.Action, at = createdUtc + e.After });
        return id;
    }

    /// <summary>A summons (吹哨) of a department to a ticket, issued at <paramref name="createdUtc"/>; answered that long after it, or not.</summary>
    public async Task SummonsAsync(long ticketId, long departmentId, long summonedBy, DateTime createdUtc, string status,
        TimeSpan reportWithin, TimeSpan? answeredAfter = null, bool isLead = false, bool escalated = false)
    {
        await using var c = await Db.OpenConnectionAsync();
        await c.ExecuteAsync("""
            INSERT INTO ticket_summonses (ticket_id, community_id, department_id, is_lead, status, report_by, summoned_by, answered_at,
                                          escalated_at, created_at)
            SELECT id, community_id, @departmentId, @isLead, @status, @reportBy, @summonedBy, @answeredAt, @escalatedAt, @createdUtc
            FROM tickets WHERE id = @ticketId
            """, new
        {
            ticketId, departmentId, isLead, status, reportBy = createdUtc + reportWithin, summonedBy,
            answeredAt = createdUtc + answeredAfter, escalatedAt = escalated ? createdUtc + reportWithin : (DateTime?)null, createdUtc,
        });
    }
}
