using System.ComponentModel.DataAnnotations;
using Linli.Domain.Tickets;

namespace Linli.Api.Tickets;

/// <summary>
/// The body of one ticket action (<c>POST /api/v1/tickets/{id}/{action}</c>): it names its action and maps its own
/// fields to what the action table reads. Its DataAnnotations are checked before the handler runs.
/// </summary>
public interface ITicketActionRequest
{
    static abstract TicketAction Action { get; }
    TicketActionInput ToInput();
}

/// <summary>Body of <c>dispatch</c>: the department, an optional due time (in the future) and note.</summary>
public sealed record DispatchRequest(
    [Required, Range(1, long.MaxValue)] long DepartmentId,
    DateTimeOffset? DueAt = null,
    [StringLength(1000)] string? Note = null) : ITicketActionRequest
{
    public static TicketAction Action => TicketAction.Dispatch;
    public TicketActionInput ToInput() => new(DepartmentId: DepartmentId, DueAt: DueAt, Note: Note?.Trim());
}

/// <summary>Body of <c>publish</c>: an optional due time (in the future) and note for the party members.</summary>
public sealed record PublishRequest(DateTimeOffset? DueAt = null, [StringLength(1000)] string? Note = null) : ITicketActionRequest
{
    public static TicketAction Action => TicketAction.Publish;
    public TicketActionInput ToInput() => new(DueAt: DueAt, Note: Note?.Trim());
}

/// <summary>Body of <c>take</c>: an optional note for the timeline.</summary>
public sealed record TakeRequest([StringLength(1000)] string? Note = null) : ITicketActionRequest
{
    public static TicketAction Action => TicketAction.Take;
    public TicketActionInput ToInput() => new(Note: Note?.Trim());
}

/// <summary>Body of <c>reject</c>: why the community does not take the ticket on.</summary>
public sealed record RejectRequest([Required, StringLength(1000)] string Reason) : ITicketActionRequest
{
    public static TicketAction Action => TicketAction.Reject;
    public TicketActionInput ToInput() => new(Reason: Reason.Trim());
}

/// <summary>Body of <c>accept</c>: an optional note for the timeline.</summary>
public sealed record AcceptRequest([StringLength(1000)] string? Note = null) : ITicketActionRequest
{
    public static TicketAction Action => TicketAction.Accept;
    public TicketActionInput ToInput() => new(Note: Note?.Trim());
}

/// <summary>Body of <c>return</c> (退单): why the ticket goes back to the community.</summary>
public sealed record ReturnRequest([Required, StringLength(1000)] string Reason) : ITicketActionRequest
{
    public static TicketAction Action => TicketAction.Return;
    public TicketActionInput ToInput() => new(Reason: Reason.Trim());
}

/// <summary>Body of <c>recall</c>: an optional note for the timeline.</summary>
public sealed record RecallRequest([StringLength(1000)] string? Note = null) : ITicketActionRequest
{
    public static TicketAction Action => TicketAction.Recall;
    public TicketActionInput ToInput() => new(Note: Note?.Trim());
}

/// <summary>Body of <c>claim</c>: an optional note for the timeline.</summary>
public sealed record ClaimRequest([StringLength(1000)] string? Note = null) : ITicketActionRequest
{
    public static TicketAction Action => TicketAction.Claim;
    public TicketActionInput ToInput() => new(Note: Note?.Trim());
}

/// <summary>Body of <c>withdraw</c>: an optional note for the timeline.</summary>
public sealed record WithdrawRequest([StringLength(1000)] string? Note = null) : ITicketActionRequest
{
    public static TicketAction Action => TicketAction.Withdraw;
    public TicketActionInput ToInput() => new(Note: Note?.Trim());
}

/// <summary>Body of <c>progress</c>: what was done, with up to nine of the caller's own unattached uploads.</summary>
public sealed record ProgressRequest(
    [Required, StringLength(1000)] string Note,
    [MaxLength(TicketReporting.MaxPhotos)] IReadOnlyList<long>? PhotoIds = null) : ITicketActionRequest
{
    public static TicketAction Action => TicketAction.Progress;
    public TicketActionInput ToInput() => new(Note: Note.Trim(), PhotoIds: PhotoIds);
}

/// <summary>Body of <c>resolve</c>: the result, with up to nine of the caller's own unattached uploads.</summary>
public sealed record ResolveRequest(
    [Required, StringLength(1000)] string Result,
    [MaxLength(TicketReporting.MaxPhotos)] IReadOnlyList<long>? PhotoIds = null) : ITicketActionRequest
{
    public static TicketAction Action => TicketAction.Resolve;
    public TicketActionInput ToInput() => new(Result: Result.Trim(), PhotoIds: PhotoIds);
}

/// <summary>Body of <c>evaluate</c> (一事一评): satisfaction from 1 to 5 and an optional comment.</summary>
public sealed record EvaluateRequest(
    [Required, Range(1, 5)] int Satisfaction,
    [StringLength(500)] string? Comment = null) : ITicketActionRequest
{
    public static TicketAction Action => TicketAction.Evaluate;
    public TicketActionInput ToInput() => new(Satisfaction: Satisfaction, Comment: Comment?.Trim());
}

/// <summary>Body of <c>reopen</c>: why the result does not satisfy.</summary>
public sealed record ReopenRequest([Required, StringLength(1000)] string Reason) : ITicketActionRequest
{
    public static TicketAction Action => TicketAction.Reopen;
    public TicketActionInput ToInput() => new(Reason: Reason.Trim());
}

/// <summary>Body of <c>cancel</c>: an optional note for the timeline.</summary>
public sealed record CancelRequest([StringLength(1000)] string? Note = null) : ITicketActionRequest
{
    public static TicketAction Action => TicketAction.Cancel;
    public TicketActionInput ToInput() => new(Note: Note?.Trim());
}

/// <summary>Body of <c>note</c>: the internal note.</summary>
public sealed record NoteRequest([Required, StringLength(1000)] string Text) : ITicketActionRequest
{
    public static TicketAction Action => TicketAction.Note;
    public TicketActionInput ToInput() => new(Text: Text.Trim());
}

/// <summary>Body of <c>urge</c> (催单): an optional note for the timeline.</summary>
public sealed record UrgeRequest([StringLength(1000)] string? Note = null) : ITicketActionRequest
{
    public static TicketAction Action => TicketAction.Urge;
    public TicketActionInput ToInput() => new(Note: Note?.Trim());
}

/// <summary>Body of <c>recategorize</c>: the right (active) category and why the old one was wrong.</summary>
public sealed record RecategorizeRequest(
    [Required, Range(1, long.MaxValue)] long CategoryId,
    [Required, StringLength(1000)] string Reason) : ITicketActionRequest
{
    public static TicketAction Action => TicketAction.Recategorize;
    public TicketActionInput ToInput() => new(CategoryId: CategoryId, Reason: Reason.Trim());
}

/// <summary>
/// Body of <c>return-visit</c> (回访): what was said on the visit, and whether the resident is satisfied after it.
/// </summary>
public sealed record ReturnVisitRequest(
    [Required, StringLength(1000)] string Note,
    [Required] bool? SatisfiedAfterVisit) : ITicketActionRequest
{
    public static TicketAction Action => TicketAction.ReturnVisit;
    public TicketActionInput ToInput() => new(Note: Note.Trim(), SatisfiedAfterVisit: SatisfiedAfterVisit);
}

/// <summary>
/// Body of <c>whistle</c> (吹哨): the departments summoned (at most 10; the lead is summoned whether listed or not), the
/// lead department, why, and when each should report in by (in the future).
/// </summary>
public sealed record WhistleRequest(
    [Required, MinLength(1), MaxLength(10)] IReadOnlyList<long> DepartmentIds,
    [Required, Range(1, long.MaxValue)] long LeadDepartmentId,
    [Required, StringLength(1000)] string Reason,
    [Required] DateTimeOffset? ReportBy) : ITicketActionRequest
{
    public static TicketAction Action => TicketAction.Whistle;
    public TicketActionInput ToInput() => new(DepartmentId: LeadDepartmentId, Reason: Reason.Trim(),
        SummonedDepartmentIds: DepartmentIds.Append(LeadDepartmentId).Distinct().ToList(), ReportBy: ReportBy);
}

/// <summary>Body of <c>merge</c>: the original ticket the duplicate repeats (open, in a community the caller works for).</summary>
public sealed record MergeRequest([Required, Range(1, long.MaxValue)] long? IntoTicketId) : ITicketActionRequest
{
    public static TicketAction Action => TicketAction.Merge;
    public TicketActionInput ToInput() => new(IntoTicketId: IntoTicketId);
}
