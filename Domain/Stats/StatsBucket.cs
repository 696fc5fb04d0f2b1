namespace Linli.Domain.Stats;

/// <summary>How figures are bucketed over time. Weeks start on Monday; all in China Standard Time.</summary>
public enum StatsBucket
{
    Day,
    Week,
    Month,
}
