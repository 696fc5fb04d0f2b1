using Linli.Api.Auth;
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

    public static IServiceCollection AddPartyMembers(this IServiceCollection services) => services
        .AddSingleton<PartyMemberStore>()
        .AddSingleton<PartyBadges>();

    public static RouteGroupBuilder MapPartyMembers(this IEndpointRouteBuilder app)
    {
        // Any signed-in resident may report in and read their own report-in; the rest is for staff.
        var group = app.MapGroup("/api/v1/party-members").WithTags("PartyMembers").RequireAuthorization(Policies.SignedIn);
        group.MapPost("/report-in", ReportPartyMemberIn).WithName(nameof(ReportPartyMemberIn)).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/", ListPartyMembers).WithName(nameof(ListPartyMembers)).RequireAuthorization(Policies.GridStaff);
        group.MapGet("/{id:long}", GetPartyMember).WithName(nameof(GetPartyMember));
        group.MapPost("/{id:long}/confirm", ConfirmPartyMember).WithName(nameof(ConfirmPartyMember)).ProducesProblem(StatusCodes.Status409Conflict).RequireAuthorization(Policies.CommunityStaff);
        group.MapPost("/{id:long}/decline", DeclinePartyMember).WithName(nameof(DeclinePartyMember)).ProducesProblem(StatusCodes.Status409Conflict).RequireAuthorization(Policies.CommunityStaff);
        group.MapPut("/{id:long}/badge", SetPartyBadge).WithName(nameof(SetPartyBadge));
        return group;
    }

    private static async Task<Results<Created<PartyMemberDto>, ValidationProblem, ProblemHttpResult>> ReportPartyMemberIn(
        ReportInRequest request, Caller caller, PartyMemberStore store, CancellationToken ct)
    {
        var (value, errors) = ReportIn.Validate(
            request.Name, request.Organisation, request.IsFloating, request.Phone, request.Skills, request.ShowBadge);
        foreach (var (field, messages) in await store.CheckPlaceAsync(request.CommunityId, request.GridId, ct))
            errors[field] = messages;
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);

        var (created, existing) = await store.ReportInAsync(caller.UserId, request.CommunityId!.Value, request.GridId, value!, ct);
        if (created is null)
            return TypedResults.Problem(
                title: "Already reported in",
                detail: $"You already have a report-in to this community with status '{existing!.Value.ToStored()}'.",
                statusCode: StatusCodes.Status409Conflict,
                extensions: new Dictionary<string, object?> { ["currentStatus"] = existing.Value.ToStored() });
        return TypedResults.Created($"/api/v1/party-members/{created.Id}", created);
    }

    private static async Task<Results<Ok<PartyMemberPageDto>, ValidationProblem>> ListPartyMembers(
        Caller caller, PartyMemberStore store, long? communityId, string? status, string? skill, long? beforeId, int? limit,
        CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        PartyMemberStatus? parsedStatus = null;
        if (status is not null)
        {
            if (PartyMemberStatuses.TryParse(status, out var s))
                parsedStatus = s;
            else
                errors["status"] = ["Status must be pending, confirmed or declined."];
        }
        if (skill is not null && !PartySkills.IsKnown(skill))
            errors["skill"] = [$"Unknown skill. Known: {string.Join(", ", PartySkills.All)}."];
        if (limit is < 1 or > MaxPageSize)
            errors["limit"] = [$"Limit must be between 1 and {MaxPageSize}."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);
        return TypedResults.Ok(await store.ListAsync(
            caller, communityId, parsedStatus, skill, beforeId, limit ?? DefaultPageSize, ct));
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

    private static async Task<Results<Ok<PartyMemberDto>, NotFound, ProblemHttpResult, ValidationProblem>> DeclinePartyMember(
        long id, DeclineRequest request, Caller caller, PartyMemberStore store, CancellationToken ct)
    {
        var reason = request.Reason?.Trim() ?? "";
        if (reason.Length is 0 or > MaxDeclineReasonLength)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["reason"] = [$"Say why the report-in is declined, in at most {MaxDeclineReasonLength} characters."],
            });
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

    private static async Task<Results<Ok<PartyMemberDto>, NotFound, ValidationProblem>> SetPartyBadge(
        long id, BadgeRequest request, Caller caller, PartyMemberStore store, CancellationToken ct)
    {
        if (request.Show is not { } show)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["show"] = ["Say whether to show the badge."] });
        var member = await store.SetBadgeAsync(id, caller.UserId, show, ct);
        return member is null ? TypedResults.NotFound() : TypedResults.Ok(member);
    }
}
