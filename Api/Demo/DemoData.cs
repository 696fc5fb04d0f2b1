using Linli.Domain.Identity;

namespace Linli.Api.Demo;

/// <summary>
/// The demo world that <c>./run</c> loads: names other features' seeders use to find the rows they build on.
/// Every demo user's openid is <c>sim-&lt;name&gt;</c>, which Simulated WeChat returns for the login code
/// <c>sim:&lt;name&gt;</c>, so anyone can sign in as any of them.
/// </summary>
public static class DemoData
{
    public const string StreetOffice = "西山区前卫街道";
    public const string StreetOfficeArea = "昆明市西山区";
    public const string Chuanfang = "船房社区";
    public const string XinLiushidong = "新六十栋社区";
    public static readonly IReadOnlyList<string> Communities = [Chuanfang, XinLiushidong];
    /// <summary>Each community has these three grids.</summary>
    public static readonly IReadOnlyList<string> Grids = ["第一网格", "第二网格", "第三网格"];

    public const string Sanitation = "环卫所";
    public const string Police = "派出所";
    public const string PropertyCompany = "物业公司";
    /// <summary>Department name → kind.</summary>
    public static readonly IReadOnlyList<(string Name, string Kind)> Departments =
        [(Sanitation, "functional"), (Police, "functional"), (PropertyCompany, "property")];

    public static string OpenId(string name) => $"sim-{name}";
    public static string LoginCode(string name) => $"sim:{name}";

    public static readonly IReadOnlyList<DemoUser> Users =
    [
        new("admin", "系统管理员", Roles.Admin),
        new("street-leader", "前卫街道分管领导", Roles.StreetLeader),
        new("chuanfang-staff", "船房社区工作人员", Roles.CommunityStaff, Community: Chuanfang),
        new("liushidong-staff", "新六十栋社区工作人员", Roles.CommunityStaff, Community: XinLiushidong),
        new("chuanfang-grid", "船房第一网格员", Roles.GridWorker, Community: Chuanfang, Grid: "第一网格"),
        new("liushidong-grid", "新六十栋第一网格员", Roles.GridWorker, Community: XinLiushidong, Grid: "第一网格"),
        new("sanitation", "环卫所工作人员", Roles.DepartmentStaff, Department: Sanitation),
        new("police", "派出所民警", Roles.DepartmentStaff, Department: Police),
        new("property", "物业公司管家", Roles.DepartmentStaff, Department: PropertyCompany),
        new("party-wang", "王党员", Roles.PartyMember, Community: Chuanfang),
        new("party-li", "李党员", Roles.PartyMember, Community: XinLiushidong),
        new("resident-zhang", "张居民", Roles.Resident),
        new("resident-liu", "刘居民", Roles.Resident),
        new("resident-chen", "陈居民", Roles.Resident),
        new("landlord-zhao", "赵房东", Roles.Landlord),
        new("landlord-qian", "钱房东", Roles.Landlord),
        new("landlord-sun", "孙房东", Roles.Landlord),
        new("landlord-li", "李房东", Roles.Landlord),
    ];

    public static IEnumerable<DemoUser> Landlords => Users.Where(u => u.Role == Roles.Landlord);
}

/// <summary>A demo user with one role (residents hold none: being signed in is enough) and its scope.</summary>
public sealed record DemoUser(string Name, string Nickname, string Role, string? Community = null, string? Grid = null, string? Department = null)
{
    public string OpenId => DemoData.OpenId(Name);
    public string LoginCode => DemoData.LoginCode(Name);
    public string Scope => Role == Roles.StreetLeader ? DemoData.StreetOffice
        : Community is null ? Department ?? "" : Grid is null ? Community : $"{Community} {Grid}";
}
