using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using System.Globalization;
using System.Security.Claims;
using Linli.Api.Auth;
using Linli.Api.Csv;
using Linli.Api.Hosting;
using Linli.Domain.Tickets;
using Linli.Infrastructure.Crypto;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Linli.Api.Tickets;

/// <summary>Tickets (issue 5): 居民点单 (report), reading scoped by role, and one endpoint per action of the state machine.</summary>
public static class TicketsApi
{
    public const int MaxPageSize = 50;

    /// <summary>The ticket states as the API spells them, for the list's <c>status</c> filter.</summary>
    public static readonly IReadOnlyList<string> StateCodes = [.. Enum.GetValues<TicketState>().Select(s => s.ToCode())];

    public static RouteGroupBuilder MapTickets(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tickets").WithTags("Tickets")
            // Anyone signed in reports; who may read or act is decided per ticket by role and scope.
            .RequireAuthorization(Policies.SignedIn);
        group.MapGet("/", ListTickets).WithName(nameof(ListTickets))
            .WithSummary("List tickets")
            .WithDescription("The tickets the caller may see, newest first, a page at a time. Send `Accept: text/csv` for every "
                + "ticket matching the filters as a CSV download (UTF-8 with BOM, times in China Standard Time, no personal data). "
                + "Residents see the tickets they reported; staff, departments and party members the tickets of their scope. Changes nothing.");
        group.MapPost("/", CreateTicket).WithName(nameof(CreateTicket))
            .WithSummary("Report a problem (居民点单)")
            .WithDescription("Creates a ticket for a scanned house code, a grid or a community, with up to 9 photos uploaded first to /api/v1/uploads. Any signed-in user; grid workers and community staff of the place may also report by patrol, phone or on behalf of someone (403 for others). The Idempotency-Key header makes a retry answer 200 with the same ticket. The text passes WeChat's content check: refused content is a 422; an unavailable check lets the ticket through, flagged for review.")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/{id:long}", GetTicket).WithName(nameof(GetTicket))
            .WithSummary("Read a ticket")
            .WithDescription("A ticket with its timeline, photos, handler and the actions the caller may take now. Whoever may see it: its reporter, staff whose scope holds it, its department, its handler; for anyone else it does not exist (404). Changes nothing.");
        group.MapPost("/{id:long}/{action}", ActOnTicket).WithName(nameof(ActOnTicket))
            .WithSummary("Act on a ticket")
            .WithDescription("Moves a ticket through its states by one action: dispatch, publish, take, reject, accept, return, recall, claim, withdraw, progress, resolve, evaluate, reopen, cancel, note or urge, each with its own fields. Who may take an action depends on their role and scope (403 otherwise); a state that does not allow it is a 409 naming currentState and allowedActions; text WeChat's content check refuses is a 422.")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return group;
    }

    public static async Task<Results<Created<TicketDto>, Ok<TicketDto>, ValidationProblem, ProblemHttpResult>> CreateTicket(
        CreateTicketRequest request, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, ClaimsPrincipal user,
        TicketWorkflow workflow, DbDataSource db, FieldProtector protector, TimeProvider clock, CancellationToken ct)
    {
        var caller = await CallerScope.LoadAsync(db, user, ct);
        var outcome = await workflow.CreateAsync(caller, idempotencyKey, request, ct);
        switch (outcome)
        {
            case TicketOutcome.Done(var id):
                return TypedResults.Created($"/api/v1/tickets/{id}", await ViewAsync(db, id, caller, protector, clock, ct));
            // The first request answered 201; a replay answers 200 with the same ticket.
            case TicketOutcome.Replayed(var id):
                return TypedResults.Ok(await ViewAsync(db, id, caller, protector, clock, ct));
            case TicketOutcome.Invalid(var errors):
                return TypedResults.ValidationProblem(errors);
            default:
                return Problem(outcome);
        }
    }

    public static async Task<Results<Ok<TicketDto>, ProblemHttpResult>> GetTicket(
        long id, ClaimsPrincipal user, DbDataSource db, FieldProtector protector, TimeProvider clock, CancellationToken ct)
    {
        var caller = await CallerScope.LoadAsync(db, user, ct);
        await using var connection = await db.OpenConnectionAsync(ct);
        var ticket = await TicketQueries.FindAsync(connection, id, ct);
        if (ticket is null || !caller.CanSee(ticket))
            return NotFound();
        return TypedResults.Ok(await TicketView.BuildAsync(connection, ticket, caller, protector, clock.GetUtcNow(), ct));
    }

    public static async Task<Results<Ok<TicketDto>, ValidationProblem, ProblemHttpResult>> ActOnTicket(
        long id, string action, TicketActionRequest? request, ClaimsPrincipal user,
        TicketWorkflow workflow, DbDataSource db, FieldProtector protector, TimeProvider clock, CancellationToken ct)
    {
        // auto_close belongs to the system alone.
        if (!TicketActions.TryParse(action, out var ticketAction) || ticketAction == TicketAction.AutoClose)
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown action",
                detail: $"'{action}' is not a ticket action.");
        var caller = await CallerScope.LoadAsync(db, user, ct);
        var outcome = await workflow.ApplyAsync(caller, id, ticketAction, request ?? new TicketActionRequest(), ct);
        return outcome switch
        {
            TicketOutcome.Done(var done) => TypedResults.Ok(await ViewAsync(db, done, caller, protector, clock, ct)),
            TicketOutcome.Invalid(var errors) => TypedResults.ValidationProblem(errors),
            _ => Problem(outcome),
        };
    }

    /// <summary>The tickets the caller may see, newest first; with <c>Accept: text/csv</c> every matching ticket as a download.</summary>
    public static async Task<Results<Ok<TicketPageDto>, CsvResult>> ListTickets(
        ClaimsPrincipal user, HttpRequest http, DbDataSource db, TicketListQuery list, TimeProvider clock, CancellationToken ct,
        [OneOf(typeof(TicketsApi), nameof(StateCodes), Separator = ",")] string? status = null,
        long? categoryId = null, long? communityId = null, long? gridId = null, long? departmentId = null,
        bool? mine = null, bool? overdue = null, [StringLength(100)] string? text = null,
        [RegularExpression(Cursors.Pattern, ErrorMessage = Cursors.Message)] string? cursor = null, [Range(1, MaxPageSize)] int limit = 20)
    {
        // status=submitted or a comma-separated list (status=submitted,dispatched,open_for_claim,in_progress).
        var states = status?.Split(',').Distinct().ToList() ?? [];
        // An empty cursor is the first page, like none.
        long? after = string.IsNullOrEmpty(cursor) ? null : long.Parse(cursor, NumberStyles.None, CultureInfo.InvariantCulture);
        var size = limit;

        var caller = await CallerScope.LoadAsync(db, user, ct);
        var filter = new TicketListFilter(states, categoryId, communityId, gridId, departmentId, mine == true, overdue, text);
        var now = clock.GetUtcNow();
        // The download is the whole list, not one page: cursor and limit page the JSON only.
        if (CsvResult.Accepts(http))
            return list.Csv(caller, filter, $"工单列表_{Domain.Stats.ChinaStandardTime.DateOf(now):yyyyMMdd}.csv");

        var rows = await list.PageAsync(caller, filter, after, size + 1, ct);
        var page = rows.Take(size).Select(t => new TicketListItemDto(
            t.Id, t.Number, t.State, t.CategoryId, t.CategoryName, t.CommunityId, t.GridId,
            t.Description.Length > 100 ? t.Description[..100] : t.Description, t.Channel,
            t.DueAt is { } due ? TicketRow.Utc(due) : null, t.IsOverdue(now), TicketRow.Utc(t.CreatedAt), TicketRow.Utc(t.UpdatedAt))).ToList();
        var next = rows.Count > size ? page[^1].Id.ToString(CultureInfo.InvariantCulture) : null;
        return TypedResults.Ok(new TicketPageDto(page, next));
    }

    private static async Task<TicketDto> ViewAsync(DbDataSource db, long id, CallerScope caller, FieldProtector protector, TimeProvider clock, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var ticket = await TicketQueries.FindAsync(connection, id, ct)
            ?? throw new InvalidOperationException($"Ticket {id} vanished right after it was written.");
        return await TicketView.BuildAsync(connection, ticket, caller, protector, clock.GetUtcNow(), ct);
    }

    private static ProblemHttpResult NotFound() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Ticket not found",
            detail: "There is no such ticket, or it is not yours to see.");

    /// <summary>The ProblemDetails for every outcome that is not a success. 409s name the current state and the actions allowed now.</summary>
    private static ProblemHttpResult Problem(TicketOutcome outcome) => outcome switch
    {
        TicketOutcome.NotFound => NotFound(),
        TicketOutcome.Forbidden(var reason) => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed", detail: reason),
        TicketOutcome.Refused(var reason) => TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "Content refused", detail: reason),
        TicketOutcome.Conflict(var current, var allowed, var reason) => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
            title: $"The ticket is {current.ToCode()}", detail: reason,
            extensions: new Dictionary<string, object?>
            {
                ["currentState"] = current.ToCode(),
                ["allowedActions"] = allowed.Select(a => a.ToCode()).ToArray(),
            }),
        _ => throw new InvalidOperationException($"No HTTP answer for {outcome.GetType().Name}."),
    };
}
