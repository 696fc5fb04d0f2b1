namespace Linli.Domain.Tickets;

public enum TicketVerdict
{
    Allowed,
    /// <summary>The caller may never do this to this ticket (403).</summary>
    Forbidden,
    /// <summary>The caller could, but not in the ticket's current state (409).</summary>
    WrongState,
    /// <summary>Allowed in principle but a limit is reached: the third reopen, or a second urge within a day (409).</summary>
    LimitReached,
}

/// <summary>The answer for one (ticket, action, caller): the verdict, the state it leads to, and why not.</summary>
public sealed record TicketDecision(TicketVerdict Verdict, TicketState? To = null, string? Reason = null)
{
    public bool IsAllowed => Verdict == TicketVerdict.Allowed;
}

/// <summary>
/// The ticket state machine (issue 5): who may do what from which state, and where it leads.
/// A pure function of the ticket's facts, the action, the caller's relationship and the time.
/// </summary>
public static class TicketRules
{
    public const int MaxReopens = 2;
    public static readonly TimeSpan UrgeInterval = TimeSpan.FromHours(24);

    private static readonly TicketState[] OpenStates =
        [TicketState.Submitted, TicketState.Dispatched, TicketState.OpenForClaim, TicketState.InProgress, TicketState.Resolved];

    private sealed record Rule(TicketState From, TicketAction Action, Func<TicketCaller, bool> Who, TicketState? To);

    // "To = null" means the state does not change (progress, note, urge keep it).
    private static readonly Rule[] Table = BuildTable();

    private static Rule[] BuildTable()
    {
        static bool Staff(TicketCaller c) => c.IsCommunityStaff;
        static bool Department(TicketCaller c) => c.IsDepartmentStaff;
        static bool PartyMember(TicketCaller c) => c.IsPartyMember;
        static bool Handler(TicketCaller c) => c.IsCurrentHandler;
        static bool Submitter(TicketCaller c) => c.IsSubmitter;
        static bool System(TicketCaller c) => c.IsSystem;
        static bool NoteTaker(TicketCaller c) => c.IsCommunityStaff || c.IsDepartmentStaff || c.IsCurrentHandler;

        var rules = new List<Rule>
        {
            new(TicketState.Submitted, TicketAction.Dispatch, Staff, TicketState.Dispatched),
            new(TicketState.Submitted, TicketAction.Publish, Staff, TicketState.OpenForClaim),
            new(TicketState.Submitted, TicketAction.Take, Staff, TicketState.InProgress),
            new(TicketState.Submitted, TicketAction.Reject, Staff, TicketState.Rejected),
            new(TicketState.Dispatched, TicketAction.Accept, Department, TicketState.InProgress),
            new(TicketState.Dispatched, TicketAction.Return, Department, TicketState.Submitted),
            new(TicketState.Dispatched, TicketAction.Recall, Staff, TicketState.Submitted),
            new(TicketState.OpenForClaim, TicketAction.Claim, PartyMember, TicketState.InProgress),
            new(TicketState.OpenForClaim, TicketAction.Withdraw, Staff, TicketState.Submitted),
            new(TicketState.InProgress, TicketAction.Progress, Handler, null),
            new(TicketState.InProgress, TicketAction.Resolve, Handler, TicketState.Resolved),
            new(TicketState.InProgress, TicketAction.Return, Handler, TicketState.Submitted),
            new(TicketState.Resolved, TicketAction.Evaluate, Submitter, TicketState.Closed),
            new(TicketState.Resolved, TicketAction.Reopen, Submitter, TicketState.InProgress),
            new(TicketState.Resolved, TicketAction.AutoClose, System, TicketState.Closed),
        };
        foreach (var from in new[] { TicketState.Submitted, TicketState.Dispatched, TicketState.OpenForClaim })
            rules.Add(new(from, TicketAction.Cancel, Submitter, TicketState.Cancelled));
        foreach (var from in OpenStates)
            rules.Add(new(from, TicketAction.Note, NoteTaker, null));
        foreach (var from in new[] { TicketState.Dispatched, TicketState.OpenForClaim, TicketState.InProgress })
            rules.Add(new(from, TicketAction.Urge, Submitter, null));
        return [.. rules];
    }

    /// <summary>
    /// Decides one action. Forbidden when no rule for the action admits this caller in any state;
    /// WrongState when one does, but not from the current state.
    /// </summary>
    public static TicketDecision Decide(TicketFacts ticket, TicketAction action, TicketCaller caller, DateTimeOffset now)
    {
        Rule? match = null;
        var couldElsewhere = false;
        foreach (var rule in Table)
        {
            if (rule.Action != action || !rule.Who(caller))
                continue;
            if (rule.From == ticket.State)
            {
                match = rule;
                break;
            }
            couldElsewhere = true;
        }
        if (match is null)
            return couldElsewhere
                ? new TicketDecision(TicketVerdict.WrongState, Reason: $"A ticket that is {ticket.State.ToCode()} cannot be {Past(action)}.")
                : new TicketDecision(TicketVerdict.Forbidden, Reason: $"You may not {action.ToCode()} this ticket.");

        if (action == TicketAction.Reopen && ticket.ReopenCount >= MaxReopens)
            return new TicketDecision(TicketVerdict.LimitReached, Reason: $"A ticket can be reopened at most {MaxReopens} times.");
        if (action == TicketAction.Urge && ticket.LastUrgedAt is { } last && now - last < UrgeInterval)
            return new TicketDecision(TicketVerdict.LimitReached,
                Reason: $"This ticket was urged less than 24 hours ago; it can be urged again after {last + UrgeInterval:yyyy-MM-dd HH:mm} UTC.");

        return new TicketDecision(TicketVerdict.Allowed, match.To ?? ticket.State);
    }

    /// <summary>The actions this caller may take now (for the ticket page's buttons and for 409 answers).</summary>
    public static IReadOnlyList<TicketAction> AllowedActions(TicketFacts ticket, TicketCaller caller, DateTimeOffset now) =>
        Enum.GetValues<TicketAction>().Where(a => Decide(ticket, a, caller, now).IsAllowed).ToList();

    private static string Past(TicketAction action) => action switch
    {
        TicketAction.Dispatch => "dispatched",
        TicketAction.Publish => "published",
        TicketAction.Take => "taken",
        TicketAction.Reject => "rejected",
        TicketAction.Accept => "accepted",
        TicketAction.Return => "returned",
        TicketAction.Recall => "recalled",
        TicketAction.Claim => "claimed",
        TicketAction.Withdraw => "withdrawn",
        TicketAction.Progress => "given progress",
        TicketAction.Resolve => "resolved",
        TicketAction.Evaluate => "evaluated",
        TicketAction.Reopen => "reopened",
        TicketAction.AutoClose => "closed automatically",
        TicketAction.Cancel => "cancelled",
        TicketAction.Note => "noted",
        TicketAction.Urge => "urged",
        _ => action.ToCode(),
    };
}
