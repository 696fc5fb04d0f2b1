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

    /// <summary>The summary of values already sorted ascending.</summary>
    public static DurationSummary Of(IReadOnlyList<long> sorted) => sorted.Count == 0
        ? None
        : new(sorted.Count, sorted[(int)MedianRank(sorted.Count) - 1], sorted[(int)P90Rank(sorted.Count) - 1]);

    /// <summary>
    /// The summary of values in any order, which it reorders: the two ranks are selected rather than sorted for, since a
    /// street office's year holds half a million durations and a sort of them costs more than everything else together.
    /// </summary>
    public static DurationSummary OfUnordered(Span<int> values)
    {
        if (values.Length == 0)
            return None;
        var median = (int)MedianRank(values.Length) - 1;
        var p90 = (int)P90Rank(values.Length) - 1;
        var medianValue = Select(values, median);
        // Selection leaves every value right of the median's place at least as large: the 90th percentile is among them.
        var p90Value = p90 == median ? medianValue : Select(values[(median + 1)..], p90 - median - 1);
        return new(values.Length, medianValue, p90Value);
    }

    /// <summary>
    /// The k-th smallest value (0-based), by Hoare's quickselect with a median-of-three pivot: afterwards nothing left of
    /// index k is larger and nothing right of it smaller.
    /// </summary>
    private static int Select(Span<int> a, int k)
    {
        int lo = 0, hi = a.Length - 1;
        while (hi > lo)
        {
            var mid = lo + (hi - lo) / 2;
            if (a[mid] < a[lo]) (a[mid], a[lo]) = (a[lo], a[mid]);
            if (a[hi] < a[lo]) (a[hi], a[lo]) = (a[lo], a[hi]);
            if (a[hi] < a[mid]) (a[hi], a[mid]) = (a[mid], a[hi]);
            var pivot = a[mid];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (a[i] < pivot) i++;
                while (a[j] > pivot) j--;
                if (i <= j)
                {
                    (a[i], a[j]) = (a[j], a[i]);
                    i++;
                    j--;
                }
            }
            // [lo, j] holds values up to the pivot, [i, hi] values from it, and anything between equals it.
            if (k <= j) hi = j;
            else if (k >= i) lo = i;
            else return a[k];
        }
        return a[k];
    }
}
