using System.ComponentModel.DataAnnotations;
using Linli.Api.Auth;
using Linli.Api.Hosting;
using Linli.Domain.Identity;
using Linli.Domain.PartyMembers;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Linli.Api.PartyMembers;

/// <summary>Party members reporting in to the community they live in (双报到), and staff confirming them.</summary>
public static class PartyMembersApi
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
    public const int MaxDeclineReasonLength = 500;

    /// <summary>The report-in statuses as the API spells them, for the list's <c>status</c> filter.</summary>
    public static readonly IReadOnlyList<string> StatusNames = [.. Enum.GetValues<PartyMemberStatus>().Select(s => s.ToStored())];

    public static IServiceCollection AddPartyMembers(this IServiceCollection services) => services
        .AddScoped<PartyMemberStore>()
        .AddScoped<PartyBadges>();

    public static RouteGroupBuilder MapPartyMembers(this IEndpointRouteBuilder app)
    {
        // Any signed-in resident may report in and read their own report-in; the rest is for staff.
        var group = app.MapGroup("/api/v1/party-members").WithTags("PartyMembers").RequireAuthorization(Policies.SignedIn);
        group.MapPost("/report-in", ReportPartyMemberIn).WithName(nameof(ReportPartyMemberIn))
            .WithSummary("Report in as a party member (双报到)")
            .WithDescription("A Party member reports in to the community they live in, with their skills and their consent to show the 党员 badge; the community's staff then confirm it. Any signed-in user. A pending or confirmed report-in to the same community is a 409.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/", ListPartyMembers).WithName(nameof(ListPartyMembers))
            .WithSummary("List party members")
            .WithDescription("The report-ins of the caller's communities, newest first, filtered by community, status and skill; page with beforeId. Grid workers, community staff and admins. Changes nothing.")
            .RequireAuthorization(Policies.GridStaff);
        group.MapGet("/{id:long}", GetPartyMember).WithName(nameof(GetPartyMember))
            .WithSummary("Read a party member")
            .WithDescription("A report-in with the member's record on tickets (claimed, resolved, average rating, overdue). The member themself and staff of the community; for anyone else it does not exist (404).");
        group.MapPost("/{id:long}/confirm", ConfirmPartyMember).WithName(nameof(ConfirmPartyMember))
            .WithSummary("Confirm a report-in")
            .WithDescription("Confirms a pending report-in; the member holds the party_member role in the community from then on. Community staff of that community and admins; nobody reviews their own report-in (403). A report-in already reviewed is a 409.")
            .ProducesProblem(StatusCodes.Status409Conflict).RequireAuthorization(Policies.CommunityStaff);
        group.MapPost("/{id:long}/decline", DeclinePartyMember).WithName(nameof(DeclinePartyMember))
            .WithSummary("Decline a report-in")
            .WithDescription("Declines a pending report-in with a reason the member sees. Community staff of that community and admins; nobody reviews their own report-in (403). A report-in already reviewed is a 409.")
            .ProducesProblem(StatusCodes.Status409Conflict).RequireAuthorization(Policies.CommunityStaff);
        group.MapPut("/{id:long}/badge", SetPartyBadge).WithName(nameof(SetPartyBadge))
            .WithSummary("Show or hide my 党员 badge")
            .WithDescription("The member's consent to show 党员 with their name and organisation on the tickets they handle and on the cards of the grid they serve. The member themself; another's report-in is a 404.");
        return group;
    }

    private static async Task<Results<Created<PartyMemberDto>, ProblemHttpResult>> ReportPartyMemberIn(
        ReportInRequest request, Caller caller, PartyMemberStore store, CancellationToken ct)
    {
        var value = ReportIn.From(request.Name, request.Organisation, request.IsFloating!.Value, request.Phone, request.Skills, request.ShowBadge);
        await store.CheckPlaceAsync(request.CommunityId!.Value, request.GridId, ct);

        var (created, existing) = await store.ReportInAsync(caller.UserId, request.CommunityId.Value, request.GridId, value, ct);
        if (created is null)
            return TypedResults.Problem(
                title: "Already reported in",
                detail: $"You already have a report-in to this community with status '{existing!.Value.ToStored()}'.",
                statusCode: StatusCodes.Status409Conflict,
                extensions: new Dictionary<string, object?> { ["currentStatus"] = existing.Value.ToStored() });
        return TypedResults.Created($"/api/v1/party-members/{created.Id}", created);
    }

    private static async Task<Ok<PartyMemberPageDto>> ListPartyMembers(
        Caller caller, PartyMemberStore store, long? communityId,
        [OneOf(typeof(PartyMembersApi), nameof(StatusNames))] string? status,
        [OneOf(typeof(PartySkills), nameof(PartySkills.All))] string? skill,
        long? beforeId, CancellationToken ct, [Range(1, MaxPageSize)] int limit = DefaultPageSize)
    {
        PartyMemberStatus? parsedStatus = PartyMemberStatuses.TryParse(status, out var s) ? s : null;
        return TypedResults.Ok(await store.ListAsync(caller, communityId, parsedStatus, skill, beforeId, limit, ct));
    }

    private static async Task<Results<Ok<PartyMemberDetailDto>, NotFound>> GetPartyMember(
        long id, Caller caller, PartyMemberStore store, CancellationToken ct)
    {
        var member = await store.FindVisibleAsync(id, caller, ct);
        if (member is null)
            return TypedResults.NotFound();
        return TypedResults.Ok(new PartyMemberDetailDto(member, await store.RecordAsync(member.UserId, member.CommunityId, ct)));
    }

    private static async Task<Results<Ok<PartyMemberDto>, NotFound, ProblemHttpResult>> ConfirmPartyMember(
        long id, Caller caller, PartyMemberStore store, CancellationToken ct) =>
        await store.ConfirmAsync(id, caller, ct) switch
        {
            ReviewOutcome.Done done => TypedResults.Ok(done.Member),
            ReviewOutcome.NotFound => TypedResults.NotFound(),
            var refused => Refusal(refused),
        };

    private static async Task<Results<Ok<PartyMemberDto>, NotFound, ProblemHttpResult>> DeclinePartyMember(
        long id, DeclineRequest request, Caller caller, PartyMemberStore store, CancellationToken ct)
    {
        var reason = request.Reason.Trim();
        return await store.DeclineAsync(id, caller, reason, ct) switch
        {
            ReviewOutcome.Done done => TypedResults.Ok(done.Member),
            ReviewOutcome.NotFound => TypedResults.NotFound(),
            var refused => Refusal(refused),
        };
    }

    private static ProblemHttpResult Refusal(ReviewOutcome outcome) => outcome switch
    {
        ReviewOutcome.OwnReportIn => TypedResults.Problem(
            title: "Own report-in", detail: "Another member of staff must review your own report-in.",
            statusCode: StatusCodes.Status403Forbidden),
        ReviewOutcome.WrongState wrong => TypedResults.Problem(
            title: "Already reviewed",
            detail: $"The report-in is already {wrong.Current.ToStored()}.",
            statusCode: StatusCodes.Status409Conflict,
            extensions: new Dictionary<string, object?> { ["currentStatus"] = wrong.Current.ToStored() }),
        _ => throw new InvalidOperationException($"Not a refusal: {outcome}."),
    };

    private static async Task<Results<Ok<PartyMemberDto>, NotFound>> SetPartyBadge(
        long id, BadgeRequest request, Caller caller, PartyMemberStore store, CancellationToken ct)
    {
        var member = await store.SetBadgeAsync(id, caller.UserId, request.Show!.Value, ct);
        return member is null ? TypedResults.NotFound() : TypedResults.Ok(member);
    }
}
