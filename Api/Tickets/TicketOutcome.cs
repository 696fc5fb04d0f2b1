using Linli.Domain.Tickets;

namespace Linli.Api.Tickets;

/// <summary>What reporting or acting on a ticket came to; the endpoint turns each case into one HTTP answer.</summary>
public abstract record TicketOutcome
{
    public sealed record Done(long TicketId) : TicketOutcome;
    /// <summary>The Idempotency-Key was used before: this is the first request's ticket.</summary>
    public sealed record Replayed(long TicketId) : TicketOutcome;
    public sealed record NotFound : TicketOutcome;
    public sealed record Forbidden(string Reason) : TicketOutcome;
    public sealed record Conflict(TicketState Current, IReadOnlyList<TicketAction> Allowed, string Reason) : TicketOutcome;
    /// <summary>A check that needs the database or the clock failed (the request records' own rules run before the handler).</summary>
    public sealed record Invalid(Dictionary<string, string[]> Errors) : TicketOutcome
    {
        public static Invalid Of(string field, string message) =>
            new(new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] });
    }
    /// <summary>WeChat's content check found the text risky (422).</summary>
    public sealed record Refused(string Reason) : TicketOutcome;
}
