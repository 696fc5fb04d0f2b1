using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Linli.Api.Hosting;
using Linli.Domain.Stats;
using Microsoft.AspNetCore.Mvc;

namespace Linli.Api.Stats;

/// <summary>
/// The query string every stats endpoint shares: China dates <c>from</c>–<c>to</c> (inclusive, yyyy-MM-dd; by default
/// the last 30 days up to today) and a community. The validator checks each field's form; <see cref="ToRequest"/> the
/// rules between them.
/// </summary>
public sealed record StatsRange(
    [property: FromQuery(Name = "from"), RegularExpression(StatsRange.DatePattern, ErrorMessage = StatsRange.DateMessage)] string? From,
    [property: FromQuery(Name = "to"), RegularExpression(StatsRange.DatePattern, ErrorMessage = StatsRange.DateMessage)] string? To,
    [property: FromQuery(Name = "communityId")] long? CommunityId)
{
    public const string DatePattern = "[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])";
    public const string DateMessage = "Dates are written yyyy-MM-dd (China Standard Time).";

    /// <summary>The bucket names as the API spells them (day, week, month).</summary>
    public static readonly IReadOnlyList<string> Buckets = [.. Enum.GetValues<StatsBucket>().Select(b => b.ToString().ToLowerInvariant())];

    /// <summary>The validated range; a date that does not exist, a reversed or too long range is a field-level 400.</summary>
    public StatsRequest ToRequest(string? bucket, DateTimeOffset now)
    {
        var toDate = ParseDate(To, "to", ChinaStandardTime.DateOf(now));
        var fromDate = ParseDate(From, "from", toDate.AddDays(1 - StatsRequest.DefaultDays));
        if (fromDate > toDate)
            throw Invalid.Field("from", "From must be on or before to.");
        if (toDate.DayNumber - fromDate.DayNumber + 1 > StatsRequest.MaxDays)
            throw Invalid.Field("to", $"The range may span at most {StatsRequest.MaxDays} days.");
        var parsedBucket = bucket is null ? StatsBucket.Day : Enum.GetValues<StatsBucket>()[Buckets.ToList().IndexOf(bucket)];
        return new StatsRequest(fromDate, toDate, parsedBucket, CommunityId);
    }

    private static DateOnly ParseDate(string? value, string field, DateOnly fallback) =>
        value is null ? fallback
        : DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date
        : throw Invalid.Field(field, "There is no such date.");
}

/// <summary>A stats request once its range is valid.</summary>
public sealed record StatsRequest(DateOnly From, DateOnly To, StatsBucket Bucket, long? CommunityId)
{
    /// <summary>About three years: enough for year-on-year, small enough that one request cannot scan everything forever.</summary>
    public const int MaxDays = 1100;
    public const int DefaultDays = 30;
}
