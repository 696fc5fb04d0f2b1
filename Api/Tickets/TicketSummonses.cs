using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Linli.Api.Auth;
using Linli.Api.Hosting;
using Linli.Domain.Identity;
using Linli.Domain.Tickets;
using Linli.Infrastructure.Notifications;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Linli.Api.Tickets;

/// <summary>One department summoned to a ticket (吹哨) and its answer: <c>summoned</c>, <c>reported</c> (报到) or <c>declined</c>.</summary>
public sealed record SummonsDto(
    long Id, long DepartmentId, string DepartmentName, bool IsLead, string Status, DateTimeOffset? ReportBy, DateTimeOffset? AnsweredAt, string? Note);

/// <summary>Body of reporting in to a summons (报到): what the department will do.</summary>
public sealed record ReportSummonsRequest([StringLength(1000)] string? Note = null);

/// <summary>Body of declining a summons: why the department does not take part.</summary>
public sealed record DeclineSummonsRequest([Required, StringLength(1000)] string Reason);

/// <summary>
/// 吹哨报到: the summonses a whistle writes (inside the whistle's transaction, <see cref="TicketActing"/>) and each summoned
/// department's answer. An answer lands only on a summons still waiting for one, so a summons answered twice is a 409.
/// </summary>
public static class TicketSummonses
{
    public const string Summoned = "summoned";
    public const string Reported = "reported";
    public const string Declined = "declined";

    public static RouteGroupBuilder MapSummonses(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:long}/summons/{summonsId:long}/report", ReportToSummons).WithName(nameof(ReportToSummons))
            .WithSummary("Report in to a summons (部门报到)")
            .WithDescription("Staff of the summoned department say it takes part, optionally with a note; the time is recorded. "
                + "The lead department then handles the ticket (accept, progress, resolve); the others may add notes. The timeline "
                + "records it and whoever whistled is told. Answers the summons. 404 if the summons is not the caller's department's; "
                + "409 if it was already answered.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id:long}/summons/{summonsId:long}/decline", DeclineSummons).WithName(nameof(DeclineSummons))
            .WithSummary("Decline a summons")
            .WithDescription("Staff of a summoned department that is not the lead say it does not take part, giving the reason. The "
                + "timeline records it and whoever whistled is told. Answers the summons. 404 if the summons is not the caller's "
                + "department's; 409 if it was already answered or the department leads (it hands the ticket back with return instead).")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }

    /// <summary>Writes one summons per department; false when one of them is not an active department.</summary>
    public static async Task<bool> SummonAsync(DbConnection connection, DbTransaction transaction, long ticketId, IReadOnlyList<long> departments,
        long leadDepartmentId, DateTimeOffset? reportBy, long me, DateTimeOffset now, CancellationToken ct)
    {
        var written = await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO ticket_summonses (ticket_id, community_id, department_id, is_lead, status, report_by, summoned_by, created_at)
            SELECT t.id, t.community_id, d.id, d.id = @leadDepartmentId, 'summoned', @reportBy, @me, @now
            FROM tickets t JOIN departments d ON d.id IN @departments AND d.is_active = 1
            WHERE t.id = @ticketId
            """, new { ticketId, departments, leadDepartmentId, reportBy = reportBy?.UtcDateTime, me, now = now.UtcDateTime },
            transaction, cancellationToken: ct));
        return written == departments.Count;
    }

    public static Task<Results<Ok<SummonsDto>, ValidationProblem, ProblemHttpResult>> ReportToSummons(
        long id, long summonsId, ReportSummonsRequest? request, Caller caller, RequestConnection db, NotificationWriter notifications,
        TimeProvider clock, CancellationToken ct) =>
        AnswerAsync(id, summonsId, Reported, request?.Note?.Trim(), caller, db, notifications, clock, ct);

    public static Task<Results<Ok<SummonsDto>, ValidationProblem, ProblemHttpResult>> DeclineSummons(
        long id, long summonsId, DeclineSummonsRequest request, Caller caller, RequestConnection db, NotificationWriter notifications,
        TimeProvider clock, CancellationToken ct) =>
        AnswerAsync(id, summonsId, Declined, request.Reason.Trim(), caller, db, notifications, clock, ct);

    private static async Task<Results<Ok<SummonsDto>, ValidationProblem, ProblemHttpResult>> AnswerAsync(
        long ticketId, long summonsId, string answer, string? note, Caller caller, RequestConnection db, NotificationWriter notifications,
        TimeProvider clock, CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        var ticket = await TicketQueries.FindAsync(connection, ticketId, ct);
        var summons = ticket?.Summonses.FirstOrDefault(s => s.Id == summonsId);
        if (ticket is null || summons is null || !caller.Can(Roles.DepartmentStaff, summons.DepartmentId))
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Summons not found",
                detail: "There is no such summons, or it is not your department's.");
        if (answer == Declined && summons.IsLead)
            return Conflict("The lead department cannot decline; it hands the ticket back with return.");

        var now = clock.GetUtcNow();
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var changed = await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE ticket_summonses SET status = @answer, answered_by = @me, answered_at = @now, note = @note
            WHERE id = @summonsId AND status = 'summoned'
            """, new { answer, me = caller.UserId, now = now.UtcDateTime, note, summonsId }, transaction, cancellationToken: ct));
        if (changed == 0)
        {
            await transaction.RollbackAsync(ct);
            return Conflict("This summons was already answered.");
        }
        var action = answer == Reported ? "summons_report" : "summons_decline";
        var timelineNote = note is null ? summons.DepartmentName : $"{summons.DepartmentName}：{note}";
        await TicketTimeline.AppendEventAsync(connection, transaction, ticket.Id, caller.UserId, Roles.DepartmentStaff, action,
            ticket.State, ticket.State, timelineNote, false, now, ct);
        if (ticket.DispatchedBy is { } whistler && whistler != caller.UserId)
            await notifications.WriteAsync(connection, transaction, [whistler],
                TicketNotices.For(action, ticket, ticket.State, answer == Reported ? "部门已报到" : "部门未报到", timelineNote, now), ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(summons with { Status = answer, AnsweredAt = now, Note = note });
    }

    private static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Summons already settled", detail: detail);

    /// <summary>
    /// The summonses of <see cref="TicketRow.SummonsesJson"/>, in the order they were made (MySQL's JSON_ARRAYAGG takes
    /// no ORDER BY, so the order is put right here); the engine writes its DATETIMEs there as UTC text.
    /// </summary>
    public static IReadOnlyList<SummonsDto> Parse(string? json)
    {
        if (json is null)
            return [];
        using var document = JsonDocument.Parse(json);
        static DateTimeOffset? Time(JsonElement e) => e.ValueKind == JsonValueKind.String
            ? new DateTimeOffset(DateTime.SpecifyKind(DateTime.Parse(e.GetString()!, CultureInfo.InvariantCulture), DateTimeKind.Utc))
            : null;
        return document.RootElement.EnumerateArray().Select(s => new SummonsDto(
            s.GetProperty("id").GetInt64(),
            s.GetProperty("departmentId").GetInt64(),
            s.GetProperty("departmentName").GetString() ?? "",
            s.GetProperty("isLead").GetInt32() == 1,
            s.GetProperty("status").GetString() ?? "",
            Time(s.GetProperty("reportBy")),
            Time(s.GetProperty("answeredAt")),
            s.GetProperty("note").ValueKind == JsonValueKind.String ? s.GetProperty("note").GetString() : null)).OrderBy(s => s.Id).ToList();
    }
}
