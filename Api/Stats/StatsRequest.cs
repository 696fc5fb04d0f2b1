using System.Globalization;
using Linli.Domain.Stats;

namespace Linli.Api.Stats;

/// <summary>The query string every stats endpoint shares, validated: China dates from/to (inclusive), a bucket, a community.</summary>
public sealed record StatsRequest(DateOnly From, DateOnly To, StatsBucket Bucket, long? CommunityId)
{
    /// <summary>About three years: enough for year-on-year, small enough that one request cannot scan everything forever.</summary>
    public const int MaxDays = 1100;
    public const int DefaultDays = 30;

    public static (StatsRequest? Request, Dictionary<string, string[]> Errors) Parse(
        string? from, string? to, string? bucket, long? communityId, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        var today = ChinaStandardTime.DateOf(now);
        var toDate = ParseDate(to, "to", today, errors);
        var fromDate = ParseDate(from, "from", toDate.AddDays(1 - DefaultDays), errors);
        StatsBucket parsedBucket = StatsBucket.Day;
        switch (bucket)
        {
            case null or "day": parsedBucket = StatsBucket.Day; break;
            case "week": parsedBucket = StatsBucket.Week; break;
            case "month": parsedBucket = StatsBucket.Month; break;
            default: errors["bucket"] = ["Bucket must be day, week or month."]; break;
        }
        if (errors.Count == 0 && fromDate > toDate)
            errors["from"] = ["From must be on or before to."];
        else if (errors.Count == 0 && toDate.DayNumber - fromDate.DayNumber + 1 > MaxDays)
            errors["to"] = [$"The range may span at most {MaxDays} days."];
        return errors.Count > 0 ? (null, errors) : (new StatsRequest(fromDate, toDate, parsedBucket, communityId), errors);
    }

    private static DateOnly ParseDate(string? value, string field, DateOnly fallback, Dictionary<string, string[]> errors)
    {
        if (value is null)
            return fallback;
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return date;
        errors[field] = ["Dates are written yyyy-MM-dd (China Standard Time)."];
        return fallback;
    }
}
