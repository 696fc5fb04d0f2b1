using Dapper;
using Linli.Infrastructure.Crypto;

namespace Linli.Api.Demo;

/// <summary>The demo party members' confirmed report-ins (双报到), so their badges show on what they handle.</summary>
public sealed class PartyMembersDemoSeeder(FieldProtector protector) : IDemoSeeder
{
    public string Name => "party-members";
    public int Order => 25;

    private static readonly (string User, string Name, string Community, string Organisation, bool Floating, string Phone, string[] Skills)[] Members =
    [
        ("party-wang", "王建国", DemoData.Chuanfang, "西山区前卫街道船房社区党委", false, "13800000011", ["mediation", "repairs"]),
        ("party-li", "李秀英", DemoData.XinLiushidong, "霍林郭勒市某企业党支部（流动党员）", true, "13800000012", ["elderly_care", "tutoring"]),
    ];

    public async Task SeedAsync(DemoSeedContext context, CancellationToken cancellationToken)
    {
        var (c, tx, now) = (context.Connection, context.Transaction, context.Now);
        var admin = await context.UserIdAsync("admin");
        foreach (var m in Members)
        {
            var id = await c.ExecuteScalarAsync<long>(new CommandDefinition("""
                INSERT INTO party_members (user_id, community_id, name, organisation, is_floating, phone_cipher, phone_hash,
                                           show_badge, status, reviewed_by, reviewed_at, created_at, updated_at)
                VALUES (@userId, @communityId, @name, @organisation, @floating, @phoneCipher, @phoneHash,
                        1, 'confirmed', @admin, @now, @now, @now);
                SELECT LAST_INSERT_ID();
                """, new
            {
                userId = await context.UserIdAsync(m.User), communityId = await context.CommunityIdAsync(m.Community),
                m.Name, m.Organisation, m.Floating, phoneCipher = protector.Encrypt(m.Phone), phoneHash = protector.Hash(m.Phone),
                admin, now,
            }, tx, cancellationToken: cancellationToken));
            foreach (var skill in m.Skills)
                await c.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO party_member_skills (party_member_id, skill) VALUES (@id, @skill)",
                    new { id, skill }, tx, cancellationToken: cancellationToken));
        }
    }
}
