namespace Linli.Domain.GridWork;

/// <summary>
/// The groups of people the community looks after (重点人群), a fixed list: the API accepts exactly these snake_case
/// names and nothing else. A tag is sensitive personal data: stored only encrypted (and as keyed hashes for the
/// look-up by tag), shown only to the household itself, its grid's workers and its community's staff.
/// </summary>
public enum HouseholdTag
{
    /// <summary>独居老人 — an older person living alone.</summary>
    ElderlyAlone,
    /// <summary>高龄 — aged 80 or over.</summary>
    Aged80Plus,
    /// <summary>残疾 — a person with a disability.</summary>
    Disabled,
    /// <summary>低保 — receives the minimum living allowance.</summary>
    Dibao,
    /// <summary>留守儿童 — a child whose parents work away.</summary>
    LeftBehindChild,
    /// <summary>退役军人 — a veteran.</summary>
    Veteran,
    /// <summary>失业 — unemployed, looking for work.</summary>
    Unemployed,
    /// <summary>孕产妇 — pregnant or recently given birth.</summary>
    Maternity,
    /// <summary>重病 — seriously or chronically ill.</summary>
    SeriouslyIll,
    /// <summary>特困 — extreme hardship support (特困供养).</summary>
    ExtremeHardship,
}

public static class HouseholdTags
{
    /// <summary>The label staff see, in the words of the community.</summary>
    public static string Label(HouseholdTag tag) => tag switch
    {
        HouseholdTag.ElderlyAlone => "独居老人",
        HouseholdTag.Aged80Plus => "高龄",
        HouseholdTag.Disabled => "残疾",
        HouseholdTag.Dibao => "低保",
        HouseholdTag.LeftBehindChild => "留守儿童",
        HouseholdTag.Veteran => "退役军人",
        HouseholdTag.Unemployed => "失业",
        HouseholdTag.Maternity => "孕产妇",
        HouseholdTag.SeriouslyIll => "重病",
        HouseholdTag.ExtremeHardship => "特困",
        _ => throw new ArgumentOutOfRangeException(nameof(tag), tag, null),
    };

    /// <summary>What is hashed for the look-up by tag: a fixed word per tag, never the label itself.</summary>
    public static string LookupKey(HouseholdTag tag) => "household-tag:" + (int)tag;

    /// <summary>Tags as stored inside the encrypted field: their numbers, comma separated, in enum order.</summary>
    public static string Pack(IEnumerable<HouseholdTag> tags) =>
        string.Join(',', tags.Distinct().Order().Select(t => ((int)t).ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public static IReadOnlyList<HouseholdTag> Unpack(string packed) =>
        packed.Length == 0 ? [] : packed.Split(',').Select(p => (HouseholdTag)int.Parse(p, System.Globalization.CultureInfo.InvariantCulture)).ToList();
}
