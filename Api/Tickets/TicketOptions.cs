namespace Linli.Api.Tickets;

/// <summary>Settings under <c>Tickets</c>.</summary>
public sealed class TicketOptions
{
    public const string Section = "Tickets";

    /// <summary>A resolved ticket the resident neither evaluates nor reopens closes by itself after this many days.</summary>
    public int AutoCloseDays { get; set; } = 7;

    /// <summary>How often the clock worker looks for tickets to auto-close and newly overdue ones.</summary>
    public int ClockWorkerSeconds { get; set; } = 60;
    /// <summary>How often the kept ticket figures of changed community days are counted again (Api/Stats/TicketFiguresWorker).</summary>
    public int FiguresWorkerSeconds { get; set; } = 15;

    /// <summary>Run the background workers (outbox, clock, upload cleanup). Tests switch them off and call each RunOnceAsync themselves.</summary>
    public bool RunWorkers { get; set; } = true;

    /// <summary>
    /// The escalation steps: the hours past its due time at which an unfinished ticket climbs to the next level (each
    /// level tells the street leaders of the ticket's street office). Unset: 24 h (community → street office), then 72 h
    /// (the street leaders again). A config list replaces the default rather than extending it.
    /// </summary>
    public int[]? Escalation { get; set; }

    public IReadOnlyList<int> EscalationSteps => Escalation is { Length: > 0 } steps ? steps : [24, 72];

    /// <summary>How long WeChat's content check may take before the ticket is accepted and flagged for review instead.</summary>
    public int ContentCheckTimeoutSeconds { get; set; } = 3;

    /// <summary>How far <c>GET /api/v1/tickets/nearby</c> looks, in metres.</summary>
    public int NearbyRadiusMeters { get; set; } = 100;
}
