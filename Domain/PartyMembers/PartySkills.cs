namespace Linli.Domain.PartyMembers;

/// <summary>
/// The skills a party member can offer the community. A closed list, so staff looking for
/// "who can mediate" find everyone who can, whatever words they would have typed.
/// </summary>
public static class PartySkills
{
    /// <summary>调解: neighbour disputes.</summary>
    public const string Mediation = "mediation";
    /// <summary>维修: small repairs.</summary>
    public const string Repairs = "repairs";
    /// <summary>辅导: homework help for children.</summary>
    public const string Tutoring = "tutoring";
    /// <summary>助老: visiting and helping elderly residents.</summary>
    public const string ElderlyCare = "elderly_care";
    /// <summary>法律咨询.</summary>
    public const string LegalAdvice = "legal_advice";
    /// <summary>医疗健康.</summary>
    public const string Health = "health";
    /// <summary>巡逻: safety patrols.</summary>
    public const string Patrol = "patrol";
    /// <summary>环境整治: clean-ups.</summary>
    public const string Environment = "environment";
    /// <summary>文体活动: culture and sports events.</summary>
    public const string Culture = "culture";
    /// <summary>政策宣传: explaining policies door to door.</summary>
    public const string Outreach = "outreach";

    public static readonly IReadOnlyList<string> All =
        [Mediation, Repairs, Tutoring, ElderlyCare, LegalAdvice, Health, Patrol, Environment, Culture, Outreach];

    public static bool IsKnown(string skill) => All.Contains(skill, StringComparer.Ordinal);
}
