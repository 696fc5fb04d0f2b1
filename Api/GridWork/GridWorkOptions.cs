namespace Linli.Api.GridWork;

/// <summary>Settings of grid work (section <c>GridWork</c>).</summary>
public sealed class GridWorkOptions
{
    public const string Section = "GridWork";

    /// <summary>Days after a missed due date before the person's community staff hear of it too.</summary>
    public int EscalateAfterDays { get; set; } = 7;

    /// <summary>How often the overdue-contact worker looks for missed visits.</summary>
    public int OverdueWorkerSeconds { get; set; } = 3600;

    /// <summary>False in tests that drive <see cref="ContactOverdueWorker.RunOnceAsync"/> themselves.</summary>
    public bool RunWorkers { get; set; } = true;
}
