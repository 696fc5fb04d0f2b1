using Dapper;
using Linli.Api.GridWork;
using Linli.Domain.GridWork;
using Linli.Domain.People;
using Linli.Infrastructure.Crypto;

namespace Linli.Api.Demo;

/// <summary>
/// Grid work a newcomer sees at once: a confirmed household in every demo house (older people living alone, a veteran,
/// a family on 低保 …), contact assignments in the spirit of 4113 (grid workers weekly, staff monthly, party members
/// quarterly) and four weeks of visit logs, with one contact left overdue.
/// </summary>
public sealed class GridWorkDemoSeeder(FieldProtector protector) : IDemoSeeder
{
    public string Name => "grid-work";
    public int Order => 30;

    /// <summary>Made-up households: members (name, relation, 17 digits whose check character is computed, phone, tags).</summary>
    private static readonly (string Name, MemberRelation Relation, string? First17, string? Phone, HouseholdTag[] Tags)[][] Households =
    [
        [("孙继民", MemberRelation.Head, "15058119510304031", "13800000101", [HouseholdTag.ElderlyAlone, HouseholdTag.Aged80Plus])],
        [("张桂兰", MemberRelation.Head, "53011219580611042", "13800000102", [HouseholdTag.Dibao]),
         ("张小宇", MemberRelation.Grandchild, null, null, [HouseholdTag.LeftBehindChild])],
        [("李建国", MemberRelation.Head, "53010219650823051", "13800000103", [HouseholdTag.Veteran]),
         ("王淑芬", MemberRelation.Spouse, "53010219680102062", null, [])],
        [("赵丽", MemberRelation.Head, "41020319900716023", "13800000104", [HouseholdTag.Maternity]),
         ("刘强", MemberRelation.Spouse, "41020319880309011", "13800000105", [HouseholdTag.Unemployed])],
        [("陈玉珍", MemberRelation.Head, "53011219440921022", "13800000106", [HouseholdTag.ElderlyAlone, HouseholdTag.Disabled])],
        [("周海", MemberRelation.Head, "15210219770428013", "13800000107", [HouseholdTag.SeriouslyIll]),
         ("周婷", MemberRelation.Child, null, null, [])],
    ];

    private static readonly string[] Notes =
    [
        "上门走访，老人身体尚好，叮嘱注意用电安全",
        "电话问候，了解近期就医情况",
        "入户核实家庭成员信息，宣传低保复审政策",
        "走访了解就业意向，推荐社区招聘会岗位",
    ];

    public async Task SeedAsync(DemoSeedContext context, CancellationToken cancellationToken)
    {
        var (c, tx, now) = (context.Connection, context.Transaction, context.Now);
        var today = DateOnly.FromDateTime(now);
        var staff = new Dictionary<string, long>
        {
            [DemoData.Chuanfang] = await context.UserIdAsync("chuanfang-staff"),
            [DemoData.XinLiushidong] = await context.UserIdAsync("liushidong-staff"),
        };
        var workers = new Dictionary<string, long>
        {
            [DemoData.Chuanfang] = await context.UserIdAsync("chuanfang-grid"),
            [DemoData.XinLiushidong] = await context.UserIdAsync("liushidong-grid"),
        };
        var party = new Dictionary<string, long>
        {
            [DemoData.Chuanfang] = await context.UserIdAsync("party-wang"),
            [DemoData.XinLiushidong] = await context.UserIdAsync("party-li"),
        };

        var n = 0;
        foreach (var community in DemoData.Communities)
        {
            foreach (var grid in DemoData.Grids)
            {
                var gridId = await context.GridIdAsync(community, grid);
                var houses = (await c.QueryAsync<long>(new CommandDefinition(
                    "SELECT id FROM houses WHERE grid_id = @gridId ORDER BY id", new { gridId }, tx, cancellationToken: cancellationToken))).ToList();
                foreach (var houseId in houses)
                {
                    var members = Households[n % Households.Length]
                        .Select(m => new CheckedMember(m.Name, m.Relation,
                            m.First17 is null ? null : m.First17 + IdentityNumber.CheckCharacter(m.First17), m.Phone, m.Tags))
                        .ToList();
                    var householdId = await c.ExecuteScalarAsync<long>(new CommandDefinition("""
                        INSERT INTO households (house_id, occupancy, status, registered_by, confirmed_by, confirmed_at, created_at, updated_at)
                        VALUES (@houseId, 'tenancy', 'confirmed', @staff, @staff, @now, @now, @now);
                        SELECT LAST_INSERT_ID();
                        """, new { houseId, staff = staff[community], now }, tx, cancellationToken: cancellationToken));
                    await HouseholdStore.WriteMembersAsync(c, tx, protector, householdId, members, cancellationToken);

                    // The first grid's worker visits weekly; elsewhere staff monthly; the party member quarterly everywhere.
                    var (visitor, rhythm) = grid == DemoData.Grids[0]
                        ? (workers[community], ContactRhythm.Weekly)
                        : (staff[community], ContactRhythm.Monthly);
                    await AssignAsync(context, householdId, visitor, grid == DemoData.Grids[0] ? "grid_worker" : "community_staff", rhythm, today.AddDays(-35), staff[community], cancellationToken);
                    await AssignAsync(context, householdId, party[community], "party_member", ContactRhythm.Quarterly, today.AddDays(-35), staff[community], cancellationToken);

                    // Four weeks of visits; the very first household of each community was skipped last week (overdue).
                    var gridRow = await c.QuerySingleAsync<(long CommunityId, long GridId)>(new CommandDefinition(
                        "SELECT community_id, grid_id FROM houses WHERE id = @houseId", new { houseId }, tx, cancellationToken: cancellationToken));
                    for (var week = 4; week >= 1; week--)
                    {
                        if (rhythm == ContactRhythm.Monthly && week % 2 == 1)
                            continue;
                        if (n % Households.Length == 0 && week <= 2)
                            continue;
                        await VisitAsync(context, householdId, houseId, gridRow, visitor, now.AddDays(-7 * week + 1).AddHours(-2),
                            Notes[(n + week) % Notes.Length], week % 2 == 0 ? "visit" : "phone", cancellationToken);
                    }
                    if (n % 3 == 1)
                        await VisitAsync(context, householdId, houseId, gridRow, party[community], now.AddDays(-12), "党员联系户走访，收集居民意见", "visit", cancellationToken);
                    n++;
                }
            }
        }
    }

    private static Task AssignAsync(DemoSeedContext context, long householdId, long userId, string role, ContactRhythm rhythm,
        DateOnly startsOn, long by, CancellationToken ct) =>
        context.Connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO contact_assignments (household_id, user_id, role, rhythm, starts_on, assigned_by, assigned_at)
            VALUES (@householdId, @userId, @role, @rhythm, @startsOn, @by, @now)
            """, new
        {
            householdId, userId, role, rhythm = Houses.DbEnum.Name(rhythm), startsOn = startsOn.ToDateTime(TimeOnly.MinValue), by,
            now = context.Now,
        }, context.Transaction, cancellationToken: ct));

    private static Task VisitAsync(DemoSeedContext context, long householdId, long houseId, (long CommunityId, long GridId) place,
        long visitor, DateTime at, string note, string kind, CancellationToken ct) =>
        context.Connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO visits (household_id, house_id, community_id, grid_id, visitor_id, kind, note, visited_at, created_at)
            VALUES (@householdId, @houseId, @CommunityId, @GridId, @visitor, @kind, @note, @at, @at)
            """, new { householdId, houseId, place.CommunityId, place.GridId, visitor, kind, note, at }, context.Transaction, cancellationToken: ct));
}
