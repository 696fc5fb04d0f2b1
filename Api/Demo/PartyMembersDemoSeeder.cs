using Dapper;
using Linli.Domain.Identity;
using Linli.Domain.PartyMembers;
using Linli.Infrastructure.Crypto;

namespace Linli.Api.Demo;

/// <summary>The demo party members' confirmed report-ins, so they appear in their community's list as they would after a real report-in.</summary>
public sealed class PartyMembersDemoSeeder(FieldProtector protector) : IDemoSeeder
{
    public string Name => "party-members";
    public int Order => 30;

    public async Task SeedAsync(DemoSeedContext context, CancellationToken cancellationToken)
    {
        var phone = 13800000001L;
        foreach (var member in DemoData.Users.Where(u => u.Role == Roles.PartyMember))
        {
            var staff = member.Community == DemoData.Chuanfang ? "chuanfang-staff" : "liushidong-staff";
            var mobile = (phone++).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var id = await context.Connection.ExecuteScalarAsync<long>(new CommandDefinition("""
                INSERT INTO party_members (user_id, community_id, grid_id, name, organisation, is_floating,
                                           phone_cipher, phone_hash, show_badge, status, reviewed_by, reviewed_at, created_at, updated_at)
                VALUES (@userId, @communityId, @gridId, @name, @organisation, 1,
                        @phoneCipher, @phoneHash, 1, 'confirmed', @reviewedBy, @now, @now, @now);
                SELECT LAST_INSERT_ID();
                """, new
            {
                userId = await context.UserIdAsync(member.Name),
                communityId = await context.CommunityIdAsync(member.Community!),
                gridId = await context.GridIdAsync(member.Community!, DemoData.Grids[0]),
                name = member.Nickname,
                organisation = "前卫街道流动党员党支部",
                phoneCipher = protector.Encrypt(mobile),
                phoneHash = protector.Hash(mobile),
                reviewedBy = await context.UserIdAsync(staff),
                now = context.Now,
            }, context.Transaction, cancellationToken: cancellationToken));
            foreach (var skill in new[] { PartySkills.Mediation, PartySkills.ElderlyCare })
            {
                await context.Connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO party_member_skills (party_member_id, skill) VALUES (@id, @skill)",
                    new { id, skill }, context.Transaction, cancellationToken: cancellationToken));
            }
        }
    }
}
