using Dapper;
using Linli.Api.Auth;
using Linli.Api.Hosting;
using Linli.Domain.Tickets;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Linli.Api.Tickets;

/// <summary>
/// "Me too" (issue 15): a resident who sees their problem already reported follows that ticket instead of filing a copy.
/// Followers are told of it as its reporter is, and how many follow raises it in the community's dispatch queue.
/// </summary>
public static class TicketFollowersApi
{
    public static RouteGroupBuilder MapTicketFollowers(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tickets/{id:long}/follow").WithTags("Tickets").RequireAuthorization(Policies.SignedIn);
        group.MapGet("/", GetFollowedTicket).WithName(nameof(GetFollowedTicket))
            .WithSummary("A followed ticket's public card")
            .WithDescription("Anyone signed in, for a ticket they follow (in any state: a follower is told when it is resolved, "
                + "closed or merged) or an open one as GET /api/v1/tickets/nearby lists it; 404 otherwise. The same public "
                + "fields as the nearby list (category, the first 60 characters of the description, state, time, followers), "
                + "whether the caller follows it, and the original a merged duplicate went into; never the reporter. This is "
                + "what the mini-program shows a follower, who does not see the ticket page itself. Changes nothing.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/", FollowTicket).WithName(nameof(FollowTicket))
            .WithSummary("Me too: follow a ticket")
            .WithDescription("Anyone signed in, for an open ticket (as GET /api/v1/tickets/nearby lists them: submitted, dispatched, "
                + "open for claim or in progress, not held for review; 404 otherwise). From now on the caller is told of the ticket "
                + "whenever its reporter is (dispatched, accepted, claimed, resolved, rejected, closed, merged), and the ticket's "
                + "`followers` counts them. Following twice changes nothing. 409 for a ticket that is no longer open, or one the "
                + "caller reported.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/", UnfollowTicket).WithName(nameof(UnfollowTicket))
            .WithSummary("Stop following a ticket")
            .WithDescription("Anyone signed in: the caller is no longer told of the ticket, and its `followers` drops by one. "
                + "Not following it already changes nothing. 404 for no such ticket.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    /// <summary>The ticket's follower count after the change, and whether the caller now follows it.</summary>
    public sealed record FollowDto(long TicketId, int Followers, bool Following);

    /// <summary>A ticket as a follower sees it: public fields only.</summary>
    public sealed record FollowedTicketDto(
        long Id, long CategoryId, string CategoryName, string Description, TicketState Status, DateTimeOffset CreatedAt,
        int Followers, bool Following, long? MergedIntoId);

    private sealed class CardRow : PublicTicketRow
    {
        public bool NeedsReview { get; init; }
        public bool Following { get; init; }
        public long? MergedIntoId { get; init; }

        public FollowedTicketDto ToDto() =>
            new(Id, CategoryId, CategoryName, ShortDescription, State, Created, Followers, Following, MergedIntoId);
    }

    public static async Task<Results<Ok<FollowedTicketDto>, ProblemHttpResult>> GetFollowedTicket(
        long id, Caller caller, RequestConnection db, CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        // By primary key; the follow by ticket_followers' primary key.
        var card = await connection.QuerySingleOrDefaultAsync<CardRow>(new CommandDefinition("""
            SELECT t.id, t.category_id, c.name AS category_name, t.description, t.status, t.created_at, t.followers, t.needs_review,
                   t.merged_into_id, EXISTS (SELECT 1 FROM ticket_followers f WHERE f.ticket_id = t.id AND f.user_id = @me) AS following
            FROM tickets t JOIN ticket_categories c ON c.id = t.category_id
            WHERE t.id = @id
            """, new { id, me = caller.UserId }, cancellationToken: ct));
        if (card is null || card.NeedsReview || !(card.Following || NearbyTicketsApi.OpenStates.Contains(card.Status)))
            return NotFound();
        return TypedResults.Ok(card.ToDto());
    }

    private sealed class FollowRow
    {
        public string Status { get; init; } = "";
        public long SubmitterId { get; init; }
        public bool NeedsReview { get; init; }
        public int Followers { get; init; }
    }

    // Locked, so the ticket cannot close or be merged (its followers handed on) between the check and the change.
    private const string SelectTicket = "SELECT status, submitter_id, needs_review, followers FROM tickets WHERE id = @id FOR UPDATE";

    public static async Task<Results<Ok<FollowDto>, ProblemHttpResult>> FollowTicket(
        long id, Caller caller, RequestConnection db, TimeProvider clock, CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var ticket = await connection.QuerySingleOrDefaultAsync<FollowRow>(new CommandDefinition(SelectTicket, new { id }, transaction, cancellationToken: ct));
        // Held for content review: not public, as in the nearby list.
        if (ticket is null || ticket.NeedsReview)
            return NotFound();
        if (ticket.SubmitterId == caller.UserId)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Your own ticket",
                detail: "You reported this ticket; you are told of it already.");
        if (!NearbyTicketsApi.OpenStates.Contains(ticket.Status))
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: $"The ticket is {ticket.Status}",
                detail: "Only an open ticket can be followed.", extensions: new Dictionary<string, object?> { ["currentState"] = ticket.Status });
        var added = await TicketFollowers.AddAsync(connection, transaction, id, caller.UserId, clock.GetUtcNow(), ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(new FollowDto(id, ticket.Followers + (added ? 1 : 0), true));
    }

    public static async Task<Results<Ok<FollowDto>, ProblemHttpResult>> UnfollowTicket(long id, Caller caller, RequestConnection db, CancellationToken ct)
    {
        var connection = await db.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var ticket = await connection.QuerySingleOrDefaultAsync<FollowRow>(new CommandDefinition(SelectTicket, new { id }, transaction, cancellationToken: ct));
        if (ticket is null)
            return NotFound();
        var removed = await TicketFollowers.RemoveAsync(connection, transaction, id, caller.UserId, ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(new FollowDto(id, ticket.Followers - (removed ? 1 : 0), false));
    }

    private static ProblemHttpResult NotFound() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Ticket not found", detail: "There is no such ticket.");
}
