namespace Linli.Api.Tickets;

/// <summary>Settings under <c>Tickets</c>.</summary>
public sealed class TicketOptions
{
    public const string Section = "Tickets";

    /// <summary>A resolved ticket the resident neither evaluates nor reopens closes by itself after this many days.</summary>
    public int AutoCloseDays { get; set; } = 7;

    /// <summary>How often the clock worker looks for tickets to auto-close and newly overdue ones.</summary>
    public int ClockWorkerSeconds { get; set; } = 60;

    /// <summary>Run the background workers (outbox, clock, upload cleanup). Tests switch them off and call each RunOnceAsync themselves.</summary>
    public bool RunWorkers { get; set; } = true;

    /// <summary>How long WeChat's content check may take before the ticket is accepted and flagged for review instead.</summary>
    public int ContentCheckTimeoutSeconds { get; set; } = 3;
}
