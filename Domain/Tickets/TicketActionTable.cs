namespace Linli.Domain.Tickets;

/// <summary>Who takes an action, as the state machine sees the caller (<see cref="TicketCaller"/>).</summary>
public enum TicketParty
{
    CommunityStaff,
    DepartmentStaff,
    PartyMember,
    /// <summary>The person (or department) handling the ticket now.</summary>
    Handler,
    Submitter,
    /// <summary>Community staff, the department's staff, a summoned department's staff or the handler: whoever works on the ticket.</summary>
    NoteTaker,
    System,
}

/// <summary>Who hears of an action (the actor never hears of their own).</summary>
public enum TicketRecipient
{
    /// <summary>The reporter and whoever follows the ticket ("me too").</summary>
    Submitter,
    Handler,
    /// <summary>The staff of the department the ticket is dispatched to.</summary>
    DepartmentStaff,
    /// <summary>The party members of the ticket's community.</summary>
    PartyMembers,
    /// <summary>The staff of every department a whistle summons.</summary>
    SummonedDepartments,
    /// <summary>Whoever owes the resident an answer: the handler while in progress, else who dispatched it, else the community's staff.</summary>
    Urged,
    /// <summary>The staff of the ticket's community.</summary>
    CommunityStaff,
}

/// <summary>One step of the state machine: from a state, taken by a party, to a state (null: the state stays).</summary>
public sealed record TicketTransition(TicketState From, TicketParty By, TicketState? To);

/// <summary>
/// A notification an action sends: to whom, its kind (the subscribe-message template key) and its title; with the
/// timeline note as text or not; only when the action leads to <paramref name="OnlyTo"/>, if given. What the
/// submitter is told, the ticket's followers ("me too") are told too, titled <paramref name="FollowersTitle"/>:
/// it is not their own report, and they cannot evaluate it.
/// </summary>
public sealed record TicketNotification(TicketRecipient To, string Kind, Func<TicketActionInput, string> Title, bool WithNote, TicketState? OnlyTo = null,
    Func<TicketActionInput, string>? FollowersTitle = null);

/// <summary>
/// The values an action may carry, whatever the action. Each API request record holds only its own action's
/// fields and maps them here; the columns of <see cref="TicketActionSpec.Columns"/> read them as
/// <c>@departmentId</c>, <c>@dueAt</c>, <c>@categoryId</c>, <c>@satisfaction</c>, <c>@comment</c>, <c>@intoTicketId</c> and <c>@satisfiedAfterVisit</c>.
/// </summary>
public sealed record TicketActionInput(
    long? DepartmentId = null,
    DateTimeOffset? DueAt = null,
    string? Note = null,
    string? Reason = null,
    string? Result = null,
    string? Text = null,
    IReadOnlyList<long>? PhotoIds = null,
    int? Satisfaction = null,
    string? Comment = null,
    long? CategoryId = null,
    IReadOnlyList<long>? SummonedDepartmentIds = null,
    DateTimeOffset? ReportBy = null,
    long? IntoTicketId = null,
    bool? SatisfiedAfterVisit = null)
{
    public static readonly TicketActionInput None = new();
}

/// <summary>
/// Everything one action needs besides its request record: its words for people, the steps of the state machine it
/// takes, the columns it sets besides status and version (fixed SQL text over <c>@me</c>, <c>@now</c> and the input),
/// the note it writes on the timeline, and who is told. <paramref name="Divert"/> names another state than the
/// transition's that the action's input leads to (a poor evaluation goes to a return visit instead of closing).
/// </summary>
public sealed record TicketActionSpec(
    TicketAction Action,
    string Past,
    string Summary,
    string Description,
    IReadOnlyList<TicketTransition> Transitions,
    string Columns,
    Func<TicketActionInput, string?> Note,
    IReadOnlyList<TicketNotification> Notifies,
    bool NoteIsInternal = false,
    Func<TicketActionInput, TicketState?>? Divert = null)
{
    /// <summary>Where an allowed action leads with this input: the decided state, unless the input diverts it.</summary>
    public TicketState To(TicketState decided, TicketActionInput input) => Divert?.Invoke(input) ?? decided;
}

/// <summary>
/// The ticket actions as one table: adding an action is one row here, one request record and one route line.
/// <see cref="TicketRules"/> decides from the transitions; the API runs the columns, the note and the notifications.
/// </summary>
public static class TicketActionTable
{
    private static readonly TicketState[] OpenStates =
        [TicketState.Submitted, TicketState.Dispatched, TicketState.OpenForClaim, TicketState.InProgress, TicketState.Resolved, TicketState.ReturnVisit];

    private static readonly TicketState[] UnresolvedStates =
        [TicketState.Submitted, TicketState.Dispatched, TicketState.OpenForClaim, TicketState.InProgress];

    // Without a due time of its own, a dispatch or publish takes the window of the ticket's category.
    private const string DueAtOrCategoryDefault =
        "due_at = COALESCE(@dueAt, DATE_ADD(@now, INTERVAL (SELECT c.due_hours FROM ticket_categories c WHERE c.id = tickets.category_id) HOUR))";

    private static TicketTransition[] From(TicketParty by, TicketState? to, params TicketState[] states) =>
        states.Select(s => new TicketTransition(s, by, to)).ToArray();

    /// <summary>
    /// A notification with a fixed title. Told to the submitter, it goes to the followers as well, in their words:
    /// <paramref name="followers"/>, else the title with 您的诉求 (your request) as 您关注的诉求 (the request you follow).
    /// </summary>
    private static TicketNotification Tell(TicketRecipient to, string kind, string title, bool withNote = false, string? followers = null) =>
        new(to, kind, _ => title, withNote, FollowersTitle: to == TicketRecipient.Submitter
            ? _ => followers ?? title.Replace("您的诉求", "您关注的诉求", StringComparison.Ordinal)
            : null);

    private static readonly Func<TicketActionInput, string?> ItsNote = i => i.Note;

    public static readonly IReadOnlyList<TicketActionSpec> All =
    [
        new(TicketAction.Dispatch, "dispatched", "Dispatch a ticket to a department (派单)",
            "Community staff of the ticket's community (or an admin) send a submitted ticket to a department, optionally with a "
            + "due time (else now + the category's dueHours) and a note. The ticket becomes dispatched; the resident and the "
            + "department's staff are told.",
            From(TicketParty.CommunityStaff, TicketState.Dispatched, TicketState.Submitted),
            ", department_id = @departmentId, " + DueAtOrCategoryDefault + ", dispatched_by = @me, overdue_notified_at = NULL",
            ItsNote,
            [Tell(TicketRecipient.Submitter, "ticket_dispatched", "您的诉求已派单", true),
             Tell(TicketRecipient.DepartmentStaff, "ticket_assigned", "有新的派单待接单", true)]),
        new(TicketAction.Publish, "published", "Publish a ticket for party members to claim (党员领单)",
            "Community staff of the ticket's community (or an admin) open a submitted ticket to the community's party members, "
            + "optionally with a due time (else now + the category's dueHours) and a note. The ticket becomes open_for_claim; "
            + "the community's party members are told.",
            From(TicketParty.CommunityStaff, TicketState.OpenForClaim, TicketState.Submitted),
            ", department_id = NULL, " + DueAtOrCategoryDefault + ", dispatched_by = @me, overdue_notified_at = NULL, published_at = COALESCE(published_at, @now)",
            ItsNote,
            [Tell(TicketRecipient.PartyMembers, "ticket_published", "有新的诉求待党员领单", true)]),
        new(TicketAction.Take, "taken", "Handle a ticket in the community office",
            "Community staff of the ticket's community (or an admin) handle a submitted ticket themselves. "
            + "The ticket becomes in_progress with the caller as its handler.",
            From(TicketParty.CommunityStaff, TicketState.InProgress, TicketState.Submitted),
            ", handler_user_id = @me, handler_department_id = NULL",
            ItsNote, []),
        new(TicketAction.Reject, "rejected", "Reject a ticket (不予受理)",
            "Community staff of the ticket's community (or an admin) refuse a submitted ticket, giving the reason. "
            + "The ticket becomes rejected and closes; the resident is told why.",
            From(TicketParty.CommunityStaff, TicketState.Rejected, TicketState.Submitted),
            ", closed_at = @now",
            i => i.Reason,
            [Tell(TicketRecipient.Submitter, "ticket_rejected", "您的诉求未被受理", true)]),
        new(TicketAction.Accept, "accepted", "Accept a dispatched ticket (部门接单)",
            "Staff of the department the ticket is dispatched to take it on. The ticket becomes in_progress with the caller "
            + "and the department as its handler; the resident is told.",
            From(TicketParty.DepartmentStaff, TicketState.InProgress, TicketState.Dispatched),
            ", handler_user_id = @me, handler_department_id = department_id",
            ItsNote,
            [Tell(TicketRecipient.Submitter, "ticket_accepted", "您的诉求已被部门接单")]),
        new(TicketAction.Return, "returned", "Hand a ticket back to the community (退单)",
            "Staff of the department it is dispatched to (while dispatched) or its handler (while in progress) hand the ticket "
            + "back, giving the reason. The ticket becomes submitted again, with no department and no handler.",
            [.. From(TicketParty.DepartmentStaff, TicketState.Submitted, TicketState.Dispatched),
             .. From(TicketParty.Handler, TicketState.Submitted, TicketState.InProgress)],
            ", department_id = NULL, handler_user_id = NULL, handler_department_id = NULL",
            i => i.Reason, []),
        new(TicketAction.Recall, "recalled", "Recall a dispatched ticket",
            "Community staff of the ticket's community (or an admin) take back a ticket its department has not accepted yet. "
            + "The ticket becomes submitted again, with no department.",
            From(TicketParty.CommunityStaff, TicketState.Submitted, TicketState.Dispatched),
            ", department_id = NULL",
            ItsNote, []),
        new(TicketAction.Claim, "claimed", "Claim a published ticket (党员领单)",
            "A party member of the ticket's community takes a ticket published for claiming; the first claim wins. "
            + "The ticket becomes in_progress with the member as its handler; the resident is told. A member who was told of "
            + "the ticket and lost the race hears 409 with its state; anyone else who cannot see the ticket hears 404.",
            From(TicketParty.PartyMember, TicketState.InProgress, TicketState.OpenForClaim),
            ", handler_user_id = @me, handler_department_id = NULL",
            ItsNote,
            [Tell(TicketRecipient.Submitter, "ticket_claimed", "您的诉求已被党员领单")]),
        new(TicketAction.Withdraw, "withdrawn", "Withdraw a published ticket",
            "Community staff of the ticket's community (or an admin) take back a ticket no party member has claimed yet. "
            + "The ticket becomes submitted again.",
            From(TicketParty.CommunityStaff, TicketState.Submitted, TicketState.OpenForClaim),
            "", ItsNote, []),
        new(TicketAction.Progress, "given progress", "Report progress on a ticket",
            "The handler (or a colleague in the handling department) adds a progress note, with up to nine of their own "
            + "uploaded photos, to a ticket in progress. The state does not change.",
            From(TicketParty.Handler, null, TicketState.InProgress),
            "", ItsNote, []),
        new(TicketAction.Resolve, "resolved", "Resolve a ticket (办结)",
            "The handler (or a colleague in the handling department) records the result, with up to nine of their own uploaded "
            + "photos. The ticket becomes resolved; the resident is asked to evaluate it.",
            From(TicketParty.Handler, TicketState.Resolved, TicketState.InProgress),
            ", resolved_at = @now",
            i => i.Result,
            [Tell(TicketRecipient.Submitter, "ticket_resolved", "您的诉求已办结，请评价", true, followers: "您关注的诉求已办结")]),
        new(TicketAction.Evaluate, "evaluated", "Evaluate a resolved ticket (一事一评)",
            "The resident who reported the ticket rates the result from 1 to 5, optionally with a comment. "
            + "The ticket closes and the handler is told; rated 1 or 2 stars it goes to return_visit instead (回访), and the "
            + "community's staff are told to visit the resident.",
            From(TicketParty.Submitter, TicketState.Closed, TicketState.Resolved),
            ", satisfaction = @satisfaction, evaluation_comment = @comment, closed_at = IF(@to = 'closed', @now, closed_at), "
            + "return_visits = return_visits + (@to = 'return_visit')",
            i => i.Comment,
            [new(TicketRecipient.Handler, "ticket_evaluated", i => $"居民已评价：{i.Satisfaction} 星", true),
             Tell(TicketRecipient.CommunityStaff, "ticket_return_visit", "居民评价不满意，请回访", true) with { OnlyTo = TicketState.ReturnVisit }],
            Divert: i => i.Satisfaction <= TicketRules.ReturnVisitAtMost ? TicketState.ReturnVisit : null),
        new(TicketAction.Reopen, "reopened", "Reopen a resolved ticket",
            "The resident who reported the ticket is not satisfied and says why; or, after a poor evaluation (return_visit), "
            + "community staff of the ticket's community (a street leader of its street office, or an admin) send it back to "
            + "its handler. At most twice per ticket. The ticket goes back in_progress to the same handler, who is told.",
            [.. From(TicketParty.Submitter, TicketState.InProgress, TicketState.Resolved),
             .. From(TicketParty.CommunityStaff, TicketState.InProgress, TicketState.ReturnVisit)],
            ", reopen_count = reopen_count + 1, resolved_at = NULL",
            i => i.Reason,
            [Tell(TicketRecipient.Handler, "ticket_reopened", "居民对办理结果不满意，诉求已重新打开", true)]),
        new(TicketAction.AutoClose, "closed automatically", "Close a resolved ticket nobody evaluated",
            "The service itself, after Tickets:AutoCloseDays; no caller may take it.",
            From(TicketParty.System, TicketState.Closed, TicketState.Resolved),
            ", closed_at = @now",
            ItsNote,
            [Tell(TicketRecipient.Submitter, "ticket_closed", "您的诉求已自动关闭")]),
        new(TicketAction.Cancel, "cancelled", "Cancel one's own ticket",
            "The resident who reported the ticket withdraws it while nobody handles it yet (submitted, dispatched or "
            + "open_for_claim). The ticket becomes cancelled and closes.",
            From(TicketParty.Submitter, TicketState.Cancelled, TicketState.Submitted, TicketState.Dispatched, TicketState.OpenForClaim),
            ", closed_at = @now",
            ItsNote, []),
        new(TicketAction.Note, "noted", "Add an internal note",
            "Community staff of the ticket's community (or an admin), staff of its department or its handler add a note that "
            + "only those who work on the ticket see. The state does not change.",
            From(TicketParty.NoteTaker, null, OpenStates),
            "", i => i.Text, [], NoteIsInternal: true),
        new(TicketAction.Urge, "urged", "Urge a ticket (催单)",
            "The resident who reported the ticket asks for haste while it is dispatched, open for claim or in progress; once "
            + "per 24 hours. Whoever owes the answer is told: the handler, else who dispatched it, else the community's staff.",
            From(TicketParty.Submitter, null, TicketState.Dispatched, TicketState.OpenForClaim, TicketState.InProgress),
            ", last_urged_at = @now",
            ItsNote,
            [Tell(TicketRecipient.Urged, "ticket_urged", "居民催办")]),
        new(TicketAction.Recategorize, "recategorized", "Change a ticket's category",
            "Community staff of the ticket's community (a street leader of its street office, or an admin) fix a wrong "
            + "category of a ticket not yet resolved, giving the reason; the category must be active. The state, the due "
            + "time and the department do not change; the timeline records the change.",
            From(TicketParty.CommunityStaff, null, UnresolvedStates),
            ", category_id = @categoryId",
            i => i.Reason, []),
        new(TicketAction.Whistle, "whistled", "Summon several departments to a ticket (吹哨)",
            "Community staff of the ticket's community (a street leader of its street office, or an admin) summon departments "
            + "to a submitted ticket, one of them leading, with the reason and the time by which each should report in. The "
            + "lead department becomes the ticket's department (it accepts, progresses and resolves as after a dispatch; due "
            + "now + the category's dueHours); each summoned department gets a summons to report in to or decline. The "
            + "ticket becomes dispatched; the resident and every summoned department's staff are told.",
            From(TicketParty.CommunityStaff, TicketState.Dispatched, TicketState.Submitted),
            ", department_id = @departmentId, " + DueAtOrCategoryDefault + ", dispatched_by = @me, overdue_notified_at = NULL",
            i => i.Reason,
            [Tell(TicketRecipient.Submitter, "ticket_dispatched", "您的诉求已派单"),
             Tell(TicketRecipient.SummonedDepartments, "ticket_summoned", "社区吹哨，请部门报到", true)]),
        new(TicketAction.Merge, "merged", "Merge a duplicate into the ticket it repeats",
            "Community staff of both tickets' communities (a street leader of their street office, or an admin) merge a ticket "
            + "not yet resolved into `intoTicketId`, which must still be open (409 when it is closed, cancelled, rejected or "
            + "merged). The duplicate becomes merged, for good; its reporter and followers follow the original and are told; "
            + "its photos show on the original's timeline under a merge event; both timelines name the other ticket.",
            From(TicketParty.CommunityStaff, TicketState.Merged, UnresolvedStates),
            ", merged_into_id = @intoTicketId, closed_at = @now",
            ItsNote,
            [Tell(TicketRecipient.Submitter, "ticket_merged", "您的诉求已与相同问题合并办理", true)]),
        new(TicketAction.ReturnVisit, "visited", "Record a return visit (回访)",
            "Community staff of the ticket's community (a street leader of its street office, or an admin) record their visit "
            + "to the resident who rated the result 1 or 2 stars: what was said, and whether the resident is satisfied after "
            + "it. The ticket closes with that outcome; the resident is told. To send it back to its handler instead, reopen it.",
            From(TicketParty.CommunityStaff, TicketState.Closed, TicketState.ReturnVisit),
            ", satisfied_after_visit = @satisfiedAfterVisit, closed_at = @now",
            ItsNote,
            [Tell(TicketRecipient.Submitter, "ticket_closed", "社区已回访，诉求已关闭", true)]),
    ];

    private static readonly Dictionary<TicketAction, TicketActionSpec> ByAction = All.ToDictionary(s => s.Action);

    public static TicketActionSpec Of(TicketAction action) => ByAction[action];

    /// <summary>Whether the caller is this party for the ticket.</summary>
    public static bool Admits(this TicketParty party, TicketCaller caller) => party switch
    {
        TicketParty.CommunityStaff => caller.IsCommunityStaff,
        TicketParty.DepartmentStaff => caller.IsDepartmentStaff,
        TicketParty.PartyMember => caller.IsPartyMember,
        TicketParty.Handler => caller.IsCurrentHandler,
        TicketParty.Submitter => caller.IsSubmitter,
        TicketParty.NoteTaker => caller.IsCommunityStaff || caller.IsDepartmentStaff || caller.IsCurrentHandler || caller.IsSummonedStaff,
        TicketParty.System => caller.IsSystem,
        _ => false,
    };
}
