namespace Linli.Domain.PartyMembers;

/// <summary>
/// A party member's report-in as the rules accept it: trimmed, phone normalised, skills distinct.
/// <see cref="Validate"/> names every field that is wrong, so the form can show them all at once.
/// </summary>
public sealed record ReportIn(string Name, string Organisation, bool IsFloating, string Phone, IReadOnlyList<string> Skills, bool ShowBadge)
{
    public const int MaxNameLength = 32;
    public const int MaxOrganisationLength = 100;
    public const int MaxSkills = 10;

    public static (ReportIn? Value, Dictionary<string, string[]> Errors) Validate(
        string? name, string? organisation, bool? isFloating, string? phone, IReadOnlyList<string>? skills, bool? showBadge)
    {
        var errors = new Dictionary<string, string[]>();
        var trimmedName = name?.Trim() ?? "";
        if (trimmedName.Length == 0)
            errors["name"] = ["Name is required."];
        else if (trimmedName.Length > MaxNameLength)
            errors["name"] = [$"Name must be at most {MaxNameLength} characters."];

        var trimmedOrganisation = organisation?.Trim() ?? "";
        if (trimmedOrganisation.Length == 0)
            errors["organisation"] = ["The party organisation holding the membership is required."];
        else if (trimmedOrganisation.Length > MaxOrganisationLength)
            errors["organisation"] = [$"Organisation must be at most {MaxOrganisationLength} characters."];

        if (isFloating is null)
            errors["isFloating"] = ["Say whether this is a floating member (流动党员)."];

        var mobile = MobileNumber.Normalise(phone);
        if (mobile is null)
            errors["phone"] = ["Phone must be a mainland mobile number of 11 digits."];

        var distinct = (skills ?? []).Select(s => s?.Trim() ?? "").Distinct(StringComparer.Ordinal).ToList();
        var unknown = distinct.Where(s => !PartySkills.IsKnown(s)).ToList();
        if (unknown.Count > 0)
            errors["skills"] = [$"Unknown skills: {string.Join(", ", unknown)}. Known: {string.Join(", ", PartySkills.All)}."];
        else if (distinct.Count > MaxSkills)
            errors["skills"] = [$"At most {MaxSkills} skills."];

        if (errors.Count > 0)
            return (null, errors);
        return (new ReportIn(trimmedName, trimmedOrganisation, isFloating!.Value, mobile!, distinct, showBadge ?? false), errors);
    }
}
