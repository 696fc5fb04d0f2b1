namespace Linli.Domain.Tickets;

/// <summary>What someone does to a ticket. The API route segment is the snake_case name (<c>auto_close</c> is the system's own).</summary>
public enum TicketAction
{
    Dispatch,
    Publish,
    Take,
    Reject,
    Accept,
    /// <summary>退单: the department (while dispatched) or the handler (while in progress) hands it back to the community.</summary>
    Return,
    Recall,
    Claim,
    Withdraw,
    Progress,
    Resolve,
    Evaluate,
    Reopen,
    AutoClose,
    Cancel,
    Note,
    /// <summary>催单.</summary>
    Urge,
    /// <summary>Community staff (or a street leader) fix a wrong category.</summary>
    Recategorize,
    /// <summary>吹哨: community staff (or a street leader) summon several departments, one of them leading.</summary>
    Whistle,
    /// <summary>Community staff (or a street leader) merge a duplicate into the ticket it repeats.</summary>
    Merge,
    /// <summary>回访: community staff (or a street leader) record the visit to a resident who rated 1 or 2 stars.</summary>
    ReturnVisit,
}

public static class TicketActions
{
    private static readonly Dictionary<TicketAction, string> Codes = new()
    {
        [TicketAction.Dispatch] = "dispatch",
        [TicketAction.Publish] = "publish",
        [TicketAction.Take] = "take",
        [TicketAction.Reject] = "reject",
        [TicketAction.Accept] = "accept",
        [TicketAction.Return] = "return",
        [TicketAction.Recall] = "recall",
        [TicketAction.Claim] = "claim",
        [TicketAction.Withdraw] = "withdraw",
        [TicketAction.Progress] = "progress",
        [TicketAction.Resolve] = "resolve",
        [TicketAction.Evaluate] = "evaluate",
        [TicketAction.Reopen] = "reopen",
        [TicketAction.AutoClose] = "auto_close",
        [TicketAction.Cancel] = "cancel",
        [TicketAction.Note] = "note",
        [TicketAction.Urge] = "urge",
        [TicketAction.Recategorize] = "recategorize",
        [TicketAction.Whistle] = "whistle",
        [TicketAction.Merge] = "merge",
        [TicketAction.ReturnVisit] = "return_visit",
    };

    private static readonly Dictionary<string, TicketAction> ByCode = Codes.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    public static string ToCode(this TicketAction action) => Codes[action];

    public static TicketAction Parse(string code) =>
        ByCode.TryGetValue(code, out var action) ? action : throw new ArgumentException($"Unknown ticket action '{code}'.", nameof(code));

    public static bool TryParse(string? code, out TicketAction action)
    {
        action = default;
        return code is not null && ByCode.TryGetValue(code, out action);
    }
}
