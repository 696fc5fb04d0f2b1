using System.ComponentModel.DataAnnotations;
using Dapper;
using Linli.Api.Auth;
using Linli.Api.Hosting;
using Linli.Domain.Tickets;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Linli.Api.Tickets;

/// <summary>
/// Open problems near a place (issue 15): what the mini-program shows before a resident files a new ticket, so they can
/// say "me too" instead of filing a copy. Public fields only: never who reported it, nor how to reach them.
/// </summary>
public static class NearbyTicketsApi
{
    public const int MaxResults = 20;

    /// <summary>Waiting or being handled: a resolved ticket waits only for its reporter's evaluation.</summary>
    public static readonly string[] OpenStates =
        [.. new[] { TicketState.Submitted, TicketState.Dispatched, TicketState.OpenForClaim, TicketState.InProgress }.Select(s => s.ToCode())];

    public static RouteHandlerBuilder MapNearbyTickets(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/tickets/nearby", ListNearbyTickets).WithName(nameof(ListNearbyTickets)).WithTags("Tickets")
            .RequireAuthorization(Policies.SignedIn)
            .WithSummary("Open tickets near a place")
            .WithDescription("Anyone signed in. Open tickets (submitted, dispatched, open for claim, in progress) within "
                + "`Tickets:NearbyRadiusMeters` (100 m) of the point, nearest first, at most 20, optionally of one category. Public "
                + "fields only: category, the first 60 characters of the description, state, time, distance in metres and how many "
                + "follow it; never the reporter. Tickets held for content review are left out. Changes nothing.")
            .ProducesValidationProblem();

    /// <summary>
    /// Where to look: a point, and optionally one category. A record bound with [AsParameters], so that a missing
    /// coordinate is the validator's field-level 400 like a wrong one (a nullable parameter of its own would skip it).
    /// </summary>
    public sealed record NearbyQuery(
        [property: FromQuery(Name = "latitude"), Required, Range(-90.0, 90.0)] double? Latitude,
        [property: FromQuery(Name = "longitude"), Required, Range(-180.0, 180.0)] double? Longitude,
        [property: FromQuery(Name = "categoryId"), Range(1, long.MaxValue)] long? CategoryId);

    public sealed record NearbyTicketDto(
        long Id, long CategoryId, string CategoryName, string Description, TicketState Status, DateTimeOffset CreatedAt,
        int DistanceMeters, int Followers);

    /// <summary>
    /// The search: the box walks sx_tickets_location (MBRContains), the exact spherical distance decides. Shared with the test
    /// that EXPLAINs it and with bench/api. The index is forced: the box is at most a few hundred metres wide, so it is always
    /// the narrowest way in, but with few tickets per category (a test database) the optimizer would rather walk
    /// fk_tickets_category. The category's name is a subquery, not a join: MariaDB 10.11 answers the forced spatial range
    /// joined to a constant category with error 1207 ("Update locks cannot be acquired during a READ UNCOMMITTED transaction").
    /// </summary>
    internal static string Sql(bool byCategory) => $"""
        SELECT t.id, t.category_id, (SELECT c.name FROM ticket_categories c WHERE c.id = t.category_id) AS category_name,
               t.description, t.status, t.created_at, t.followers, ST_Distance_Sphere(t.location, {TicketLocations.Sql("here")}) AS distance
        FROM tickets t FORCE INDEX (sx_tickets_location)
        WHERE MBRContains({TicketLocations.Sql("box")}, t.location)
          AND t.latitude IS NOT NULL AND t.needs_review = 0 AND t.status IN @open{(byCategory ? " AND t.category_id = @categoryId" : "")}
          AND ST_Distance_Sphere(t.location, {TicketLocations.Sql("here")}) <= @meters
        ORDER BY distance, t.id
        LIMIT @take
        """;

    internal static object Parameters(double latitude, double longitude, long? categoryId, int meters) => new
    {
        here = TicketLocations.Point(latitude, longitude),
        box = TicketLocations.Box(latitude, longitude, meters),
        open = OpenStates,
        categoryId,
        meters,
        take = MaxResults,
    };

    public static async Task<Ok<IReadOnlyList<NearbyTicketDto>>> ListNearbyTickets(
        [AsParameters] NearbyQuery query, RequestConnection db, IOptions<TicketOptions> options, CancellationToken ct)
    {
        var meters = options.Value.NearbyRadiusMeters;
        // Every ticket reported without a location sits at POINT(0 0): a search whose box held it would walk all of them
        // in the index, and no community lies in the Gulf of Guinea, so there nothing is looked up.
        if (TicketLocations.NearNowhere(query.Latitude!.Value, query.Longitude!.Value, meters))
            return TypedResults.Ok<IReadOnlyList<NearbyTicketDto>>([]);
        var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<NearbyRow>(new CommandDefinition(Sql(query.CategoryId is not null),
            Parameters(query.Latitude!.Value, query.Longitude!.Value, query.CategoryId, meters), cancellationToken: ct));
        return TypedResults.Ok<IReadOnlyList<NearbyTicketDto>>(rows.Select(r => r.ToDto()).ToList());
    }

    private sealed class NearbyRow : PublicTicketRow
    {
        public double Distance { get; init; }

        public NearbyTicketDto ToDto() =>
            new(Id, CategoryId, CategoryName, ShortDescription, State, Created, (int)Math.Round(Distance), Followers);
    }
}
