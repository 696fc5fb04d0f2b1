using System.Runtime.InteropServices;
using Linli.Domain.Stats;

namespace Linli.Api.Stats;

/// <summary>
/// The figures of one group of tickets before they are read out: the sums behind every count, how many tickets reached
/// each escalation level, and each ticket's durations and open due time. Groups merge by adding (a month is its days, a
/// street office its communities), which is what lets figures be kept per community day and summed when asked, with
/// exact medians and "overdue" counted at the moment of asking.
/// </summary>
public sealed class TicketFigures
{
    // The counts in a fixed order, which is also their order in the stored form.
    private const int Received = 0, Dispatched = 1, Claimed = 2, Resolved = 3, Closed = 4, Cancelled = 5, Rejected = 6,
        ResolvedWithDue = 7, ResolvedOnTime = 8, Rated = 9, Satisfied = 10, SatisfactionSum = 11, EverResolved = 12,
        Reopened = 13, Escalated = 14, ReturnVisits = 15, ReturnVisitsPending = 16, ReturnVisited = 17, SatisfiedAfterVisit = 18,
        CountFields = 19;

    /// <summary>The stored form's version: figures written in another are counted again (the migration that changes it marks them stale).</summary>
    private const byte FormatVersion = 1;

    private readonly long[] _counts = new long[CountFields];
    /// <summary>[i]: tickets whose escalation level is i + 1.</summary>
    private long[] _levels = [];
    private readonly List<int> _dispatch = [];
    private readonly List<int> _accept = [];
    private readonly List<int> _resolve = [];
    /// <summary>Due times (Unix seconds) of the tickets dispatched or in progress: overdue is those before now.</summary>
    private readonly List<long> _openDue = [];

    public long Tickets => _counts[Received];

    public void Add(TicketFact f)
    {
        var resolvedNow = f.Status is "resolved" or "return_visit" or "closed";
        _counts[Received]++;
        _counts[Dispatched] += f.RoutedAt is null ? 0 : 1;
        _counts[Claimed] += f.Claimed;
        _counts[Resolved] += resolvedNow ? 1 : 0;
        _counts[Closed] += f.Status == "closed" ? 1 : 0;
        _counts[Cancelled] += f.Status == "cancelled" ? 1 : 0;
        _counts[Rejected] += f.Status == "rejected" ? 1 : 0;
        _counts[ResolvedWithDue] += resolvedNow && f.DueAt is not null ? 1 : 0;
        _counts[ResolvedOnTime] += resolvedNow && f.DueAt is { } due && f.ResolvedAt is { } resolved && resolved <= due ? 1 : 0;
        _counts[Rated] += f.Satisfaction is null ? 0 : 1;
        _counts[Satisfied] += f.Satisfaction >= 4 ? 1 : 0;
        _counts[SatisfactionSum] += f.Satisfaction ?? 0;
        _counts[EverResolved] += f.EverResolved;
        _counts[Reopened] += f.ReopenCount > 0 ? 1 : 0;
        _counts[Escalated] += f.EscalationLevel > 0 ? 1 : 0;
        _counts[ReturnVisits] += f.ReturnVisits > 0 ? 1 : 0;
        _counts[ReturnVisitsPending] += f.Status == "return_visit" ? 1 : 0;
        _counts[ReturnVisited] += f.SatisfiedAfterVisit is null ? 0 : 1;
        _counts[SatisfiedAfterVisit] += f.SatisfiedAfterVisit == true ? 1 : 0;
        if (f.EscalationLevel > 0)
        {
            if (_levels.Length < f.EscalationLevel)
                Array.Resize(ref _levels, (int)f.EscalationLevel);
            _levels[f.EscalationLevel - 1]++;
        }
        // Whole seconds, truncated, as TIMESTAMPDIFF(SECOND, …) gave them when the figures were computed in SQL.
        if (f.RoutedAt is { } routed)
            _dispatch.Add(Seconds(f.CreatedAt, routed));
        if (f.RoutedAt is { } from && f.AcceptedAt is { } accepted)
            _accept.Add(Seconds(from, accepted));
        if (resolvedNow && f.ResolvedAt is { } at)
            _resolve.Add(Seconds(f.CreatedAt, at));
        if (f.Status is "dispatched" or "in_progress" && f.DueAt is { } open)
            _openDue.Add(new DateTimeOffset(DateTime.SpecifyKind(open, DateTimeKind.Utc)).ToUnixTimeSeconds());
    }

    public void Merge(TicketFigures other)
    {
        for (var i = 0; i < CountFields; i++)
            _counts[i] += other._counts[i];
        if (_levels.Length < other._levels.Length)
            Array.Resize(ref _levels, other._levels.Length);
        for (var i = 0; i < other._levels.Length; i++)
            _levels[i] += other._levels[i];
        _dispatch.AddRange(other._dispatch);
        _accept.AddRange(other._accept);
        _resolve.AddRange(other._resolve);
        _openDue.AddRange(other._openDue);
    }

    /// <summary>The highest escalation level any ticket of the group reached.</summary>
    public int HighestLevel => _levels.Length;

    /// <summary>
    /// The group's figures as of <paramref name="now"/>; <paramref name="levels"/> is how many escalation levels to report.
    /// Reorders the durations it holds (the ranks are selected in place).
    /// </summary>
    public TicketStatsQueries.Group ToGroup(string? key, DateTimeOffset now, int levels)
    {
        var nowSeconds = now.ToUnixTimeSeconds();
        long overdue = 0;
        foreach (var due in _openDue)
            overdue += due < nowSeconds ? 1 : 0;
        var counts = new TicketCounts
        {
            Received = _counts[Received], Dispatched = _counts[Dispatched], Claimed = _counts[Claimed], Resolved = _counts[Resolved],
            Closed = _counts[Closed], Cancelled = _counts[Cancelled], Rejected = _counts[Rejected],
            ResolvedWithDue = _counts[ResolvedWithDue], ResolvedOnTime = _counts[ResolvedOnTime], Rated = _counts[Rated],
            Satisfied = _counts[Satisfied], SatisfactionSum = _counts[SatisfactionSum], EverResolved = _counts[EverResolved],
            Reopened = _counts[Reopened], Overdue = overdue, Escalated = _counts[Escalated], ReturnVisits = _counts[ReturnVisits],
            ReturnVisitsPending = _counts[ReturnVisitsPending], ReturnVisited = _counts[ReturnVisited],
            SatisfiedAfterVisit = _counts[SatisfiedAfterVisit],
        };
        // [i]: the tickets that climbed to level i + 1 or beyond.
        var reached = new long[levels];
        for (var level = _levels.Length; level >= 1; level--)
            for (var i = 0; i < Math.Min(level, levels); i++)
                reached[i] += _levels[level - 1];
        return new TicketStatsQueries.Group(key, counts,
            DurationSummary.OfUnordered(CollectionsMarshal.AsSpan(_dispatch)),
            DurationSummary.OfUnordered(CollectionsMarshal.AsSpan(_accept)),
            DurationSummary.OfUnordered(CollectionsMarshal.AsSpan(_resolve)),
            reached);
    }

    /// <summary>The stored form: a version byte, the counts and levels as 7-bit varints, then each list's length and values.</summary>
    public byte[] ToBytes()
    {
        using var stream = new MemoryStream(64 + 4 * (_dispatch.Count + _accept.Count + _resolve.Count) + 8 * _openDue.Count);
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(FormatVersion);
            foreach (var count in _counts)
                writer.Write7BitEncodedInt64(count);
            writer.Write7BitEncodedInt(_levels.Length);
            foreach (var level in _levels)
                writer.Write7BitEncodedInt64(level);
            foreach (var list in new[] { _dispatch, _accept, _resolve })
            {
                writer.Write7BitEncodedInt(list.Count);
                foreach (var seconds in list)
                    writer.Write(seconds);
            }
            writer.Write7BitEncodedInt(_openDue.Count);
            foreach (var due in _openDue)
                writer.Write(due);
        }
        return stream.ToArray();
    }

    /// <summary>
    /// Adds the figures stored in <paramref name="bytes"/> (as <see cref="ToBytes"/> wrote them) to these. Read straight
    /// from the bytes, the lists copied whole: a street office's year is some 18,000 stored rows and half a million durations.
    /// </summary>
    public void MergeBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes[0] != FormatVersion)
            throw new InvalidDataException($"Kept ticket figures in format {bytes[0]}; this version reads {FormatVersion}.");
        var at = 1;
        for (var i = 0; i < CountFields; i++)
            _counts[i] += ReadVarint(bytes, ref at);
        var levels = (int)ReadVarint(bytes, ref at);
        if (_levels.Length < levels)
            Array.Resize(ref _levels, levels);
        for (var i = 0; i < levels; i++)
            _levels[i] += ReadVarint(bytes, ref at);
        foreach (var list in new[] { _dispatch, _accept, _resolve })
        {
            var count = (int)ReadVarint(bytes, ref at);
            // BinaryWriter wrote them little-endian, as every platform .NET runs on reads them.
            list.AddRange(MemoryMarshal.Cast<byte, int>(bytes.Slice(at, count * sizeof(int))));
            at += count * sizeof(int);
        }
        var open = (int)ReadVarint(bytes, ref at);
        _openDue.AddRange(MemoryMarshal.Cast<byte, long>(bytes.Slice(at, open * sizeof(long))));
    }

    /// <summary>A 7-bit varint as BinaryWriter.Write7BitEncodedInt64 writes it (low groups first, high bit: more follow).</summary>
    private static long ReadVarint(ReadOnlySpan<byte> bytes, ref int at)
    {
        long value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = bytes[at++];
            value |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
                return value;
        }
    }

    private static int Seconds(DateTime from, DateTime to) =>
        (int)Math.Clamp((to - from).Ticks / TimeSpan.TicksPerSecond, int.MinValue, int.MaxValue);
}
