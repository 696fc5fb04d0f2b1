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

/// <summary>The answer for one (ticket, action, caller): the verdict, the state it leads to, and why not.
/// <c>As</c> is the party the caller acts as when allowed (the role written on the timeline).</summary>
public sealed record TicketDecision(TicketVerdict Verdict, TicketState? To = null, string? Reason = null, TicketParty? As = null)
{
    public bool IsAllowed => Verdict == TicketVerdict.Allowed;
}

/// <summary>
/// The ticket state machine (issue 5): who may do what from which state, and where it leads. The steps are the
/// transitions of <see cref="TicketActionTable"/>; the limits (reopens, urging) are here.
/// A pure function of the ticket's facts, the action, the caller's relationship and the time.
/// </summary>
public static class TicketRules
{
    public const int MaxReopens = 2;
    /// <summary>An evaluation of this many stars or fewer goes to a return visit (回访) instead of closing the ticket.</summary>
    public const int ReturnVisitAtMost = 2;
    public static readonly TimeSpan UrgeInterval = TimeSpan.FromHours(24);

    /// <summary>
    /// Decides one action. Forbidden when no rule for the action admits this caller in any state;
    /// WrongState when one does, but not from the current state.
    /// </summary>
    public static TicketDecision Decide(TicketFacts ticket, TicketAction action, TicketCaller caller, DateTimeOffset now)
    {
        var spec = TicketActionTable.Of(action);
        TicketTransition? match = null;
        var couldElsewhere = false;
        foreach (var step in spec.Transitions)
        {
            if (!step.By.Admits(caller))
                continue;
            if (step.From == ticket.State)
            {
                match = step;
                break;
            }
            couldElsewhere = true;
        }
        if (match is null)
            return couldElsewhere
                ? new TicketDecision(TicketVerdict.WrongState, Reason: $"A ticket that is {ticket.State.ToCode()} cannot be {spec.Past}.")
                : new TicketDecision(TicketVerdict.Forbidden, Reason: $"You may not {action.ToCode()} this ticket.");

        if (action == TicketAction.Reopen && ticket.ReopenCount >= MaxReopens)
            return new TicketDecision(TicketVerdict.LimitReached, Reason: $"A ticket can be reopened at most {MaxReopens} times.");
        if (action == TicketAction.Urge && ticket.LastUrgedAt is { } last && now - last < UrgeInterval)
            return new TicketDecision(TicketVerdict.LimitReached,
                Reason: $"This ticket was urged less than 24 hours ago; it can be urged again after {last + UrgeInterval:yyyy-MM-dd HH:mm} UTC.");

        return new TicketDecision(TicketVerdict.Allowed, match.To ?? ticket.State, As: match.By);
    }

    /// <summary>The actions this caller may take now (for the ticket page's buttons and for 409 answers).</summary>
    public static IReadOnlyList<TicketAction> AllowedActions(TicketFacts ticket, TicketCaller caller, DateTimeOffset now) =>
        Enum.GetValues<TicketAction>().Where(a => Decide(ticket, a, caller, now).IsAllowed).ToList();
}
