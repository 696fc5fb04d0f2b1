using System.Data.Common;
using Dapper;
using Linli.Api.Auth;
using Linli.Api.Houses;
using Linli.Domain.GridWork;
using Linli.Domain.Identity;
using Linli.Domain.Stats;
using Microsoft.AspNetCore.Http.HttpResults;
using Linli.Api.Hosting;

namespace Linli.Api.GridWork;

/// <summary>
/// Contact assignments (4113): community staff give each household a person who keeps in touch on a rhythm;
/// everyone sees their own households with the date each visit is due.
/// </summary>
public static class ContactsApi
{
    public static RouteGroupBuilder MapContacts(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/me/contacts", ListMyContacts).WithName(nameof(ListMyContacts)).WithTags("Contacts")
            .RequireAuthorization(Policies.SignedIn)
            .WithSummary("My households to keep in touch with (4113)")
            .WithDescription("The caller's open assignments, the most urgent first: the household's address and head, the rhythm, "
                + "the last visit the caller logged there and the China date by which the next one is due. No ID numbers, phones or tags.");

        var group = app.MapGroup("/api/v1/contact-assignments").WithTags("Contacts").RequireAuthorization(Policies.CommunityStaff);
        group.MapPost("/", AssignContact).WithName(nameof(AssignContact)).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Assign a household to a person with a rhythm")
            .WithDescription("Community staff of the household's community assign it to someone who works there (community staff, a "
                + "grid worker or a confirmed party member) weekly, monthly or quarterly. 404 for a household outside the caller's "
                + "communities; 400 naming `userId` when the person has no such role there; 409 when that person already has it.");
        group.MapGet("/", ListAssignments).WithName(nameof(ListAssignments))
            .WithSummary("A household's assignments")
            .WithDescription("Community staff see who keeps in touch with a household of their community, open and ended, with due dates.");
        group.MapPost("/{id:long}/end", EndAssignment).WithName(nameof(EndAssignment)).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("End an assignment")
            .WithDescription("Community staff of the household's community end it; its visits stay in the log. 409 when already ended.");
        return group;
    }

    public static async Task<Results<Created<ContactAssignmentDto>, NotFound, ValidationProblem, ProblemHttpResult>> AssignContact(
        AssignContactRequest body, Caller caller, RequestConnection db, TimeProvider clock, CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        var household = await HouseholdStore.ReadAsync(connection, null, caller, body.HouseholdId!.Value, ct);
        if (household is null || !caller.Can(Roles.CommunityStaff, household.CommunityId))
            return TypedResults.NotFound();
        var role = await RoleHolders.FieldRoleInAsync(connection, body.UserId!.Value, household.CommunityId, ct);
        if (role is null)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["userId"] = ["Not community staff, a grid worker or a party member of the household's community."],
            });
        var today = ChinaStandardTime.DateOf(clock.GetUtcNow());
        // ux_contact_assignments_active: one open assignment per household and person.
        var inserted = await connection.ExecuteAsync(new CommandDefinition("""
            INSERT IGNORE INTO contact_assignments (household_id, user_id, role, rhythm, starts_on, assigned_by, assigned_at)
            VALUES (@householdId, @userId, @role, @rhythm, @startsOn, @me, @now)
            """, new
        {
            householdId = household.Id, userId = body.UserId, role, rhythm = DbEnum.Name(body.Rhythm!.Value),
            startsOn = (body.StartsOn ?? today).ToDateTime(TimeOnly.MinValue), me = caller.UserId, now = clock.GetUtcNow().UtcDateTime,
        }, cancellationToken: ct));
        if (inserted == 0)
            return TypedResults.Problem(title: "This person already keeps in touch with this household.",
                detail: "End the open assignment first to change its rhythm.", statusCode: StatusCodes.Status409Conflict);
        var row = await connection.QuerySingleAsync<ContactAssignmentRow>(new CommandDefinition($"""
            SELECT {ContactAssignmentRow.Columns} FROM contact_assignments a WHERE a.id = LAST_INSERT_ID()
            """, cancellationToken: ct));
        return TypedResults.Created($"/api/v1/contact-assignments/{row.Id}", row.ToDto(today));
    }

    public static async Task<Results<Ok<IReadOnlyList<ContactAssignmentDto>>, NotFound>> ListAssignments(
        long householdId, Caller caller, RequestConnection db, TimeProvider clock, CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        var household = await HouseholdStore.ReadAsync(connection, null, caller, householdId, ct);
        if (household is null || !caller.Can(Roles.CommunityStaff, household.CommunityId))
            return TypedResults.NotFound();
        var today = ChinaStandardTime.DateOf(clock.GetUtcNow());
        // ix_contact_assignments_household
        var rows = await connection.QueryAsync<ContactAssignmentRow>(new CommandDefinition($"""
            SELECT {ContactAssignmentRow.Columns} FROM contact_assignments a WHERE a.household_id = @householdId ORDER BY a.id
            """, new { householdId }, cancellationToken: ct));
        return TypedResults.Ok<IReadOnlyList<ContactAssignmentDto>>(rows.Select(r => r.ToDto(today)).ToList());
    }

    public static async Task<Results<Ok<ContactAssignmentDto>, NotFound, ProblemHttpResult>> EndAssignment(
        long id, Caller caller, RequestConnection db, TimeProvider clock, CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        var row = await FindAsync(connection, caller, id, ct);
        if (row is null)
            return TypedResults.NotFound();
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE contact_assignments SET ended_at = @now WHERE id = @id AND ended_at IS NULL",
            new { id, now = clock.GetUtcNow().UtcDateTime }, cancellationToken: ct));
        if (changed == 0)
            return TypedResults.Problem(title: "The assignment has already ended.", statusCode: StatusCodes.Status409Conflict,
                extensions: new Dictionary<string, object?> { ["currentStatus"] = "ended" });
        var ended = await FindAsync(connection, caller, id, ct);
        return TypedResults.Ok(ended!.ToDto(ChinaStandardTime.DateOf(clock.GetUtcNow())));
    }

    /// <summary>An assignment of a household in one of the caller's communities (as community staff).</summary>
    private static async Task<ContactAssignmentRow?> FindAsync(DbConnection connection, Caller caller, long id, CancellationToken ct) =>
        await connection.QuerySingleOrDefaultAsync<ContactAssignmentRow>(new CommandDefinition($"""
            SELECT {ContactAssignmentRow.Columns}
            {ContactAssignmentRow.FromWithHouse}
            WHERE a.id = @id AND (@admin = 1 OR h.community_id IN @staffCommunities)
            """, caller.With(new { id }), cancellationToken: ct));

    public static async Task<Ok<IReadOnlyList<MyContactDto>>> ListMyContacts(Caller caller, RequestConnection db, TimeProvider clock, CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        // ix_contact_assignments_user (user_id, ended_at)
        var rows = (await connection.QueryAsync<ContactAssignmentRow>(new CommandDefinition($"""
            SELECT {ContactAssignmentRow.Columns}, {ContactAssignmentRow.HouseColumns}
            {ContactAssignmentRow.FromWithHouse}
            WHERE a.user_id = @me AND a.ended_at IS NULL
            """, new { me = caller.UserId }, cancellationToken: ct))).ToList();
        var today = ChinaStandardTime.DateOf(clock.GetUtcNow());
        return TypedResults.Ok<IReadOnlyList<MyContactDto>>(rows
            .Select(r => new MyContactDto(r.Id, r.HouseholdId, r.HouseId, r.HouseCode, r.Address, r.HeadName ?? "", r.Cadence,
                r.LastVisit, r.DueOn, ContactRhythms.IsOverdue(r.DueOn, today)))
            .OrderBy(c => c.DueOn).ThenBy(c => c.AssignmentId).ToList());
    }
}
