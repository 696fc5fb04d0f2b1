using System.Text.Json;
using Linli.Domain.Tickets;

namespace Linli.Api.Tickets;

/// <summary>A row of <c>tickets</c> with the names joined for display. Times are UTC.</summary>
public sealed class TicketRow
{
    public long Id { get; init; }
    public string Number { get; init; } = "";
    public long CategoryId { get; init; }
    public string CategoryName { get; init; } = "";
    /// <summary>The category's default department, suggested by the dispatch form.</summary>
    public long? SuggestedDepartmentId { get; init; }
    public long CommunityId { get; init; }
    public string CommunityName { get; init; } = "";
    public long? GridId { get; init; }
    public long? HouseId { get; init; }
    public string? HouseCode { get; init; }
    public string? Address { get; init; }
    public decimal? Latitude { get; init; }
    public decimal? Longitude { get; init; }
    public string Description { get; init; } = "";
    public string Channel { get; init; } = "";
    public long SubmitterId { get; init; }
    public string? SubmitterName { get; init; }
    public byte[]? ContactPhoneCipher { get; init; }
    public string? OnBehalfName { get; init; }
    public byte[]? OnBehalfPhoneCipher { get; init; }
    public bool NeedsReview { get; init; }
    public string Status { get; init; } = "";
    public long? DepartmentId { get; init; }
    public string? DepartmentName { get; init; }
    public long? HandlerUserId { get; init; }
    public string? HandlerName { get; init; }
    /// <summary>The handler's 党员 badge, when they show one in this ticket's community; null otherwise.</summary>
    public string? HandlerBadgeName { get; init; }
    public string? HandlerBadgeOrganisation { get; init; }
    public long? HandlerDepartmentId { get; init; }
    public long? DispatchedBy { get; init; }
    /// <summary>When the ticket was first published to the community's party members; null if it never was.</summary>
    public DateTime? PublishedAt { get; init; }
    public DateTime? DueAt { get; init; }
    /// <summary>How many escalation steps the ticket has climbed (0: none).</summary>
    public int EscalationLevel { get; init; }
    public int ReopenCount { get; init; }
    /// <summary>How many said "me too" (ticket_followers).</summary>
    public int Followers { get; init; }
    /// <summary>The original this duplicate was merged into; null unless merged.</summary>
    public long? MergedIntoId { get; init; }
    public DateTime? LastUrgedAt { get; init; }
    public int? Satisfaction { get; init; }
    public string? EvaluationComment { get; init; }
    /// <summary>The outcome of the return visit (回访) that closed the ticket; null when no visit closed it.</summary>
    public bool? SatisfiedAfterVisit { get; init; }
    public DateTime? ResolvedAt { get; init; }
    public DateTime? ClosedAt { get; init; }
    public int Version { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
    /// <summary>The ids of the report's own photos, comma-separated (GROUP_CONCAT); null when none.</summary>
    public string? PhotoIds { get; init; }

    /// <summary>The user ids of the ticket's followers as a JSON array (JSON_ARRAYAGG); null when none.</summary>
    public string? FollowersJson { get; init; }

    /// <summary>Who follows the ticket ("me too"): told of it as its reporter is.</summary>
    public IReadOnlyList<long> FollowerIds => FollowersJson is null ? [] : JsonSerializer.Deserialize<long[]>(FollowersJson) ?? [];

    /// <summary>The ticket's summonses (吹哨) as a JSON array (JSON_ARRAYAGG); null when none.</summary>
    public string? SummonsesJson { get; init; }

    private IReadOnlyList<SummonsDto>? summonses;

    /// <summary>The ticket's summonses, oldest first.</summary>
    public IReadOnlyList<SummonsDto> Summonses => summonses ??= TicketSummonses.Parse(SummonsesJson);

    /// <summary>The departments summoned to the ticket that have not declined.</summary>
    public IReadOnlySet<long> SummonedDepartments =>
        Summonses.Where(s => s.Status != TicketSummonses.Declined).Select(s => s.DepartmentId).ToHashSet();

    public TicketState State => TicketStates.Parse(Status);

    public TicketFacts Facts => new(State, ReopenCount, LastUrgedAt is { } u ? Utc(u) : null);

    public bool IsOverdue(DateTimeOffset now) => State.CanBeOverdue() && DueAt is { } due && Utc(due) < now;

    public static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}

public sealed class TicketEventRow
{
    public long Id { get; init; }
    public long? ActorId { get; init; }
    public string? ActorName { get; init; }
    public string ActorRole { get; init; } = "";
    public string Action { get; init; } = "";
    public string? FromStatus { get; init; }
    public string ToStatus { get; init; } = "";
    public string? Note { get; init; }
    public bool IsInternal { get; init; }
    public DateTime CreatedAt { get; init; }
    /// <summary>The ids of the photos added with this event, comma-separated; null when none.</summary>
    public string? PhotoIds { get; init; }
}
