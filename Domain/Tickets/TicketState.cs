namespace Linli.Domain.Tickets;

/// <summary>Where a ticket stands. Stored and sent as snake_case (<c>open_for_claim</c>).</summary>
public enum TicketState
{
    /// <summary>待派单: waiting for the community.</summary>
    Submitted,
    /// <summary>已派单: waiting for the department to accept.</summary>
    Dispatched,
    /// <summary>待领单: published for the community's party members.</summary>
    OpenForClaim,
    /// <summary>办理中.</summary>
    InProgress,
    /// <summary>已办结: waiting for the resident to evaluate.</summary>
    Resolved,
    Closed,
    Cancelled,
    Rejected,
    /// <summary>已合并: a duplicate merged into another ticket (its original); final.</summary>
    Merged,
    /// <summary>待回访: rated 1 or 2 stars; the community visits the resident, then closes or reopens it.</summary>
    ReturnVisit,
}

public static class TicketStates
{
    private static readonly Dictionary<TicketState, string> Codes = new()
    {
        [TicketState.Submitted] = "submitted",
        [TicketState.Dispatched] = "dispatched",
        [TicketState.OpenForClaim] = "open_for_claim",
        [TicketState.InProgress] = "in_progress",
        [TicketState.Resolved] = "resolved",
        [TicketState.Closed] = "closed",
        [TicketState.Cancelled] = "cancelled",
        [TicketState.Rejected] = "rejected",
        [TicketState.Merged] = "merged",
        [TicketState.ReturnVisit] = "return_visit",
    };

    private static readonly Dictionary<string, TicketState> ByCode = Codes.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    /// <summary>The code stored in <c>tickets.status</c> and used in the API.</summary>
    public static string ToCode(this TicketState state) => Codes[state];

    public static TicketState Parse(string code) =>
        ByCode.TryGetValue(code, out var state) ? state : throw new ArgumentException($"Unknown ticket state '{code}'.", nameof(code));

    public static bool TryParse(string? code, out TicketState state)
    {
        state = default;
        return code is not null && ByCode.TryGetValue(code, out state);
    }

    /// <summary>Not closed, cancelled, rejected or merged: someone still has something to do.</summary>
    public static bool IsOpen(this TicketState state) =>
        state is not (TicketState.Closed or TicketState.Cancelled or TicketState.Rejected or TicketState.Merged);

    /// <summary>A ticket in these states is overdue once its due time has passed.</summary>
    public static bool CanBeOverdue(this TicketState state) =>
        state is TicketState.Dispatched or TicketState.InProgress;
}
