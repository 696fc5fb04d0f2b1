namespace Linli.Domain.Stats;

/// <summary>
/// Median and 90th percentile of a set of durations in whole seconds, by the nearest-rank method:
/// the p-th percentile of n sorted values is the value at rank ⌈p·n⌉ (1-based). So the median of
/// an even count is the lower middle value, and every percentile is a duration that really occurred.
/// </summary>
public sealed record DurationSummary(long Count, long? MedianSeconds, long? P90Seconds)
{
    public static readonly DurationSummary None = new(0, null, null);

    /// <summary>⌈n/2⌉, the rank of the median.</summary>
    public static long MedianRank(long n) => (n + 1) / 2;

    /// <summary>⌈9n/10⌉, the rank of the 90th percentile.</summary>
    public static long P90Rank(long n) => (9 * n + 9) / 10;

    /// <summary>The summary of values already sorted ascending (for tests and small sets; the API ranks in SQL).</summary>
    public static DurationSummary Of(IReadOnlyList<long> sorted) => sorted.Count == 0
        ? None
        : new(sorted.Count, sorted[(int)MedianRank(sorted.Count) - 1], sorted[(int)P90Rank(sorted.Count) - 1]);
}
