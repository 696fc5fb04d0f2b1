using Dapper;
using Linli.Domain.Houses;
using Linli.Domain.People;
using Linli.Infrastructure.Crypto;

namespace Linli.Api.Demo;

/// <summary>
/// Twelve rental houses (two per grid) owned by the four demo landlords, with a few registered tenants,
/// so the house card, the tenant list, 以人找房 and the population figures have something to show.
/// </summary>
public sealed class HousesDemoSeeder(FieldProtector protector) : IDemoSeeder
{
    public string Name => "houses";
    public int Order => 20;

    private static readonly string[] Landlords = ["landlord-zhao", "landlord-qian", "landlord-sun", "landlord-li"];

    /// <summary>Community → the street its houses stand on.</summary>
    private static readonly Dictionary<string, string> Streets = new()
    {
        [DemoData.Chuanfang] = "船房村",
        [DemoData.XinLiushidong] = "新六十栋小区",
    };

    /// <summary>Made-up tenants: 17 digits whose check character is computed, so every number passes GB 11643.</summary>
    private static readonly (string Name, string First17, string Phone)[] Tenants =
    [
        ("杨明", "53011219950312041", "13700000001"),
        ("周丽", "41020319980721062", "13700000002"),
        ("吴强", "15210219930105083", "13700000003"),
        ("郑芳", "53010220000916024", "13700000004"),
    ];

    public async Task SeedAsync(DemoSeedContext context, CancellationToken cancellationToken)
    {
        var (c, tx, now) = (context.Connection, context.Transaction, context.Now);
        var staff = await context.UserIdAsync("chuanfang-staff");
        var houseIds = new List<long>();
        var n = 0;
        foreach (var community in DemoData.Communities)
        {
            var communityId = await context.CommunityIdAsync(community);
            foreach (var grid in DemoData.Grids)
            {
                var gridId = await context.GridIdAsync(community, grid);
                for (var i = 0; i < 2; i++, n++)
                {
                    var landlordId = await context.UserIdAsync(Landlords[n % Landlords.Length]);
                    houseIds.Add(await c.ExecuteScalarAsync<long>(new CommandDefinition("""
                        INSERT INTO houses (code, community_id, grid_id, street, building, unit, door, landlord_id, rooms,
                                            house_use, created_by, created_at, updated_at)
                        VALUES (@code, @communityId, @gridId, @street, @building, '1单元', @door, @landlordId, @rooms,
                                'rental', @staff, @now, @now);
                        SELECT LAST_INSERT_ID();
                        """, new
                    {
                        code = HouseCode.New(), communityId, gridId, street = Streets[community],
                        building = $"{n + 1}号楼", door = $"{101 + i * 100}", landlordId, rooms = 2 + n % 4, staff, now,
                    }, tx, cancellationToken: cancellationToken)));
                }
            }
        }

        for (var i = 0; i < Tenants.Length; i++)
        {
            var (name, first17, phone) = Tenants[i];
            var number = first17 + IdentityNumber.CheckCharacter(first17);
            await c.ExecuteAsync(new CommandDefinition("""
                INSERT INTO tenancies (house_id, tenant_name, document_type, document_cipher, document_hash, phone_cipher, phone_hash,
                                       room, move_in_date, status, registered_by, created_at, updated_at)
                VALUES (@houseId, @name, 'mainland_id_card', @documentCipher, @documentHash, @phoneCipher, @phoneHash,
                        @room, @moveIn, 'active', @staff, @now, @now)
                """, new
            {
                houseId = houseIds[i], name,
                documentCipher = protector.Encrypt(number), documentHash = protector.Hash(number),
                phoneCipher = protector.Encrypt(phone), phoneHash = protector.Hash(phone),
                room = "A", moveIn = now.Date.AddDays(-30 * (i + 1)), staff, now,
            }, tx, cancellationToken: cancellationToken));
        }
    }
}
