namespace Linli.Domain.PartyMembers;

/// <summary>A party member's report-in as the rules accept it: trimmed, phone normalised, skills distinct.</summary>
public sealed record ReportIn(string Name, string Organisation, bool IsFloating, string Phone, IReadOnlyList<string> Skills, bool ShowBadge)
{
    public const int MaxNameLength = 32;
    public const int MaxOrganisationLength = 100;
    public const int MaxSkills = 10;

    /// <summary>The report-in from fields already checked against the request's rules: trimmed, phone normalised, skills distinct.</summary>
    public static ReportIn From(string name, string organisation, bool isFloating, string phone, IReadOnlyList<string>? skills, bool? showBadge) =>
        new(name.Trim(), organisation.Trim(), isFloating,
            MobileNumber.Normalise(phone) ?? throw new ArgumentException("Not a mainland mobile number.", nameof(phone)),
            (skills ?? []).Distinct(StringComparer.Ordinal).ToList(), showBadge ?? false);
}
