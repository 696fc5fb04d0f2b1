using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using System.Globalization;
using System.Security.Claims;
using Linli.Api.Auth;
using Linli.Api.Hosting;
using Linli.Api.Csv;
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
            .WithDescription("The tickets the caller may see, newest first, a page at a time; the dispatch queue (`status=submitted` "
                + "alone) puts the tickets most people follow first, and its cursor is `followers.id`. Send `Accept: text/csv` for every "
                + "ticket matching the filters as a CSV download (UTF-8 with BOM, times in China Standard Time, no personal data). "
                + "Residents see the tickets they reported; staff, departments and party members the tickets of their scope. Changes nothing.");
        group.MapPost("/", CreateTicket).WithName(nameof(CreateTicket))
            .WithSummary("Report a problem (居民点单)")
            .WithDescription("Creates a ticket for a scanned house code, a grid or a community, with up to 9 photos uploaded first to /api/v1/uploads. Any signed-in user; grid workers and community staff of the place may also report by patrol, phone or on behalf of someone (403 for others). The Idempotency-Key header makes a retry answer 200 with the same ticket. The text passes WeChat's content check: refused content is a 422; an unavailable check lets the ticket through, flagged for review.")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .RequireRateLimiting(RateLimits.Report);
        group.MapGet("/{id:long}", GetTicket).WithName(nameof(GetTicket))
            .WithSummary("Read a ticket")
            .WithDescription("A ticket with its timeline, photos, handler and the actions the caller may take now. Whoever may see it: its reporter, staff whose scope holds it, its department, its handler; for anyone else it does not exist (404). Changes nothing.");
        // One operation per action, each with its own body (TicketActionRequests.cs) and its row in TicketActionTable.
        group.MapPost(ActionRoute<DispatchRequest>(), Act<DispatchRequest>).DescribeAction<DispatchRequest>();
        group.MapPost(ActionRoute<PublishRequest>(), ActWithOptionalBody<PublishRequest>).DescribeAction<PublishRequest>();
        group.MapPost(ActionRoute<TakeRequest>(), ActWithOptionalBody<TakeRequest>).DescribeAction<TakeRequest>();
        group.MapPost(ActionRoute<RejectRequest>(), Act<RejectRequest>).DescribeAction<RejectRequest>();
        group.MapPost(ActionRoute<AcceptRequest>(), ActWithOptionalBody<AcceptRequest>).DescribeAction<AcceptRequest>();
        group.MapPost(ActionRoute<ReturnRequest>(), Act<ReturnRequest>).DescribeAction<ReturnRequest>();
        group.MapPost(ActionRoute<RecallRequest>(), ActWithOptionalBody<RecallRequest>).DescribeAction<RecallRequest>();
        group.MapPost(ActionRoute<ClaimRequest>(), ActWithOptionalBody<ClaimRequest>).DescribeAction<ClaimRequest>();
        group.MapPost(ActionRoute<WithdrawRequest>(), ActWithOptionalBody<WithdrawRequest>).DescribeAction<WithdrawRequest>();
        group.MapPost(ActionRoute<ProgressRequest>(), Act<ProgressRequest>).DescribeAction<ProgressRequest>();
        group.MapPost(ActionRoute<ResolveRequest>(), Act<ResolveRequest>).DescribeAction<ResolveRequest>();
        group.MapPost(ActionRoute<EvaluateRequest>(), Act<EvaluateRequest>).DescribeAction<EvaluateRequest>();
        group.MapPost(ActionRoute<ReopenRequest>(), Act<ReopenRequest>).DescribeAction<ReopenRequest>();
        group.MapPost(ActionRoute<CancelRequest>(), ActWithOptionalBody<CancelRequest>).DescribeAction<CancelRequest>();
        group.MapPost(ActionRoute<NoteRequest>(), Act<NoteRequest>).DescribeAction<NoteRequest>();
        group.MapPost(ActionRoute<UrgeRequest>(), ActWithOptionalBody<UrgeRequest>).DescribeAction<UrgeRequest>();
        group.MapPost(ActionRoute<RecategorizeRequest>(), Act<RecategorizeRequest>).DescribeAction<RecategorizeRequest>();
        group.MapPost(ActionRoute<WhistleRequest>(), Act<WhistleRequest>).DescribeAction<WhistleRequest>();
        group.MapPost(ActionRoute<MergeRequest>(), Act<MergeRequest>).DescribeAction<MergeRequest>();
        group.MapPost(ActionRoute<ReturnVisitRequest>(), Act<ReturnVisitRequest>).DescribeAction<ReturnVisitRequest>();
        group.MapSummonses();
        return group;
    }

    // The route segment is the action's code in kebab case (return_visit → return-visit), as every other path is spelled.
    private static string ActionRoute<TRequest>() where TRequest : ITicketActionRequest =>
        $"/{{id:long}}/{TRequest.Action.ToCode().Replace('_', '-')}";

    /// <summary>
    /// One action's operation: its id, its words from <see cref="TicketActionTable"/> and every answer it can give.
    /// (Each route line names its handler with the concrete request type, so the validation generator sees the record.)
    /// </summary>
    private static RouteHandlerBuilder DescribeAction<TRequest>(this RouteHandlerBuilder endpoint) where TRequest : ITicketActionRequest
    {
        var spec = TicketActionTable.Of(TRequest.Action);
        return endpoint
            .WithName($"{TRequest.Action}Ticket")
            .WithSummary(spec.Summary)
            .WithDescription(spec.Description + " Answers the ticket as the caller now sees it. A phone should send an "
                + "Idempotency-Key: a retry with the same key answers 200 with the ticket and acts no second time (without one, "
                + "a repeated transition is a 409 and a repeated progress report or note is written twice); a key already used "
                + "for another action or ticket is a 400.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Produces<TicketConflictProblem>(StatusCodes.Status409Conflict, "application/problem+json")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }

    /// <summary>
    /// An action whose body has a required field. Its Idempotency-Key is optional, unlike a report's: without it a
    /// transition still cannot land twice (a retry is a 409), but a phone should send one, so that a retry answers 200
    /// and a progress report or note is not written twice.
    /// </summary>
    public static Task<Results<Ok<TicketDto>, ValidationProblem, ProblemHttpResult>> Act<TRequest>(
        long id, TRequest request,
        [FromHeader(Name = IdempotencyKeys.Header), StringLength(IdempotencyKeys.MaxLength, MinimumLength = 1, ErrorMessage = IdempotencyKeys.Message)] string? idempotencyKey,
        Caller current, TicketActing acting, RequestConnection db, FieldProtector protector, TimeProvider clock, CancellationToken ct)
        where TRequest : class, ITicketActionRequest =>
        ActAsync(id, TRequest.Action, request.ToInput(), idempotencyKey, current, acting, db, protector, clock, ct);

    /// <summary>An action whose body may be left out: every field is optional.</summary>
    public static Task<Results<Ok<TicketDto>, ValidationProblem, ProblemHttpResult>> ActWithOptionalBody<TRequest>(
        long id, TRequest? request,
        [FromHeader(Name = IdempotencyKeys.Header), StringLength(IdempotencyKeys.MaxLength, MinimumLength = 1, ErrorMessage = IdempotencyKeys.Message)] string? idempotencyKey,
        Caller current, TicketActing acting, RequestConnection db, FieldProtector protector, TimeProvider clock, CancellationToken ct)
        where TRequest : class, ITicketActionRequest =>
        ActAsync(id, TRequest.Action, request?.ToInput() ?? TicketActionInput.None, idempotencyKey, current, acting, db, protector, clock, ct);

    private static async Task<Results<Ok<TicketDto>, ValidationProblem, ProblemHttpResult>> ActAsync(
        long id, TicketAction action, TicketActionInput input, string? idempotencyKey, Caller current, TicketActing acting, RequestConnection db,
        FieldProtector protector, TimeProvider clock, CancellationToken ct)
    {
        var caller = new CallerScope(current);
        var connection = await db.OpenAsync(ct);
        // A blank key is refused by the validator; an absent one leaves the action unkeyed.
        var outcome = await acting.ApplyAsync(connection, caller, id, action, input, ct, idempotencyKey);
        return outcome switch
        {
            TicketOutcome.Done(var done) => TypedResults.Ok(await ViewAsync(connection, done, caller, protector, clock, ct)),
            // A retry with the key of an action that landed: the ticket as it is now, as the first answer gave it.
            TicketOutcome.Replayed(var replayed) => TypedResults.Ok(await ViewAsync(connection, replayed, caller, protector, clock, ct)),
            TicketOutcome.Invalid(var errors) => TypedResults.ValidationProblem(errors),
            _ => Problem(outcome),
        };
    }

    public static async Task<Results<Created<TicketDto>, Ok<TicketDto>, ValidationProblem, ProblemHttpResult>> CreateTicket(
        CreateTicketRequest request, [FromHeader(Name = IdempotencyKeys.Header), Required(ErrorMessage = IdempotencyKeys.Message),
            StringLength(IdempotencyKeys.MaxLength, MinimumLength = 1, ErrorMessage = IdempotencyKeys.Message)] string? idempotencyKey, Caller current,
        TicketReporting reporting, RequestConnection db, FieldProtector protector, TimeProvider clock, CancellationToken ct)
    {
        var caller = new CallerScope(current);
        var connection = await db.OpenAsync(ct);
        var outcome = await reporting.CreateAsync(connection, caller, idempotencyKey, request, ct);
        switch (outcome)
        {
            case TicketOutcome.Done(var id):
                return TypedResults.Created($"/api/v1/tickets/{id}", await ViewAsync(connection, id, caller, protector, clock, ct));
            // The first request answered 201; a replay answers 200 with the same ticket.
            case TicketOutcome.Replayed(var id):
                return TypedResults.Ok(await ViewAsync(connection, id, caller, protector, clock, ct));
            case TicketOutcome.Invalid(var errors):
                return TypedResults.ValidationProblem(errors);
            default:
                return Problem(outcome);
        }
    }

    public static async Task<Results<Ok<TicketDto>, ProblemHttpResult>> GetTicket(
        long id, Caller current, RequestConnection db, FieldProtector protector, TimeProvider clock, CancellationToken ct)
    {
        var caller = new CallerScope(current);
        var connection = await db.OpenAsync(ct);
        if (await TicketQueries.FindWithEventsAsync(connection, id, ct) is not (var ticket, var events) || !caller.CanSee(ticket))
            return NotFound();
        return TypedResults.Ok(TicketView.Build(ticket, events, caller, protector, clock.GetUtcNow()));
    }

    /// <summary>The tickets the caller may see, newest first; with <c>Accept: text/csv</c> every matching ticket as a download.</summary>
    public static async Task<Results<Ok<TicketPageDto>, CsvResult>> ListTickets(
        Caller current, HttpRequest http, RequestConnection db, TicketListQuery list, TimeProvider clock, CancellationToken ct,
        [OneOf(typeof(TicketsApi), nameof(StateCodes), Separator = ",")] string? status = null,
        long? categoryId = null, long? communityId = null, long? gridId = null, long? departmentId = null,
        bool? mine = null, bool? overdue = null, [StringLength(100)] string? text = null,
        [RegularExpression(ListCursorPattern, ErrorMessage = Cursors.Message)] string? cursor = null, [Range(1, MaxPageSize)] int limit = 20, bool? escalated = null)
    {
        // status=submitted or a comma-separated list (status=submitted,dispatched,open_for_claim,in_progress).
        var states = status?.Split(',').Distinct().ToList() ?? [];
        var size = limit;

        var caller = new CallerScope(current);
        var filter = new TicketListFilter(states, categoryId, communityId, gridId, departmentId, mine == true, overdue, text, Escalated: escalated);
        var after = ParseCursor(cursor, filter);
        var now = clock.GetUtcNow();
        // The download is the whole list, not one page: cursor and limit page the JSON only.
        if (CsvResult.Accepts(http))
            return list.Csv(await db.OpenAsync(ct), caller, filter, $"工单列表_{Domain.Stats.ChinaStandardTime.DateOf(now):yyyyMMdd}.csv");

        var rows = await list.PageAsync(await db.OpenAsync(ct), caller, filter, after, size + 1, ct);
        var page = rows.Take(size).Select(t => new TicketListItemDto(
            t.Id, t.Number, t.State, t.CategoryId, t.CategoryName, t.CommunityId, t.GridId,
            t.Description.Length > 100 ? t.Description[..100] : t.Description, t.Channel,
            t.DueAt is { } due ? TicketRow.Utc(due) : null, t.IsOverdue(now), t.EscalationLevel, TicketRow.Utc(t.CreatedAt), TicketRow.Utc(t.UpdatedAt),
            t.Followers)).ToList();
        var next = rows.Count <= size ? null
            : filter.SortsByFollowers ? FormattableString.Invariant($"{page[^1].Followers}.{page[^1].Id}")
            : page[^1].Id.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Ok(new TicketPageDto(page, next));
    }

    /// <summary>A list cursor: an id, or in the dispatch queue (<see cref="TicketListFilter.SortsByFollowers"/>) "followers.id".</summary>
    private const string ListCursorPattern = "([0-9]{1,9}\\.)?[0-9]{1,18}";

    /// <summary>The position a cursor names; an empty cursor is the first page, like none. A cursor of the other order is a 400.</summary>
    private static TicketCursor? ParseCursor(string? cursor, TicketListFilter filter)
    {
        if (string.IsNullOrEmpty(cursor))
            return null;
        var parts = cursor.Split('.');
        if (filter.SortsByFollowers != (parts.Length == 2))
            throw Invalid.Field("cursor", Cursors.Message);
        var after = long.Parse(parts[^1], NumberStyles.None, CultureInfo.InvariantCulture);
        return parts.Length == 2 ? new TicketCursor(after, int.Parse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture)) : new TicketCursor(after);
    }

    private static async Task<TicketDto> ViewAsync(DbConnection connection, long id, CallerScope caller, FieldProtector protector, TimeProvider clock, CancellationToken ct)
    {
        var (ticket, events) = await TicketQueries.FindWithEventsAsync(connection, id, ct)
            ?? throw new InvalidOperationException($"Ticket {id} vanished right after it was written.");
        return TicketView.Build(ticket, events, caller, protector, clock.GetUtcNow());
    }

    /// <summary>The 409 of a ticket action: the ticket's state now and what the caller may do instead.</summary>
    public sealed record TicketConflictProblem(
        string Type, string Title, int Status, string Detail, string TraceId, TicketState CurrentState, IReadOnlyList<TicketAction> AllowedActions);

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
