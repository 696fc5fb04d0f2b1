using Dapper;
using Linli.Domain.Houses;

namespace Linli.Api.Demo;

/// <summary>
/// Twelve rental houses: two in each grid of both communities, each landlord owning three, registered by the
/// community's staff. Codes are random like any other house's, so scan them from the house list.
/// </summary>
public sealed class HousesDemoSeeder : IDemoSeeder
{
    public string Name => "houses";
    public int Order => 20;

    private static readonly Dictionary<string, (string Street, string Staff)> Communities = new(StringComparer.Ordinal)
    {
        [DemoData.Chuanfang] = ("船房村", "chuanfang-staff"),
        [DemoData.XinLiushidong] = ("新六十栋小区", "liushidong-staff"),
    };

    public async Task SeedAsync(DemoSeedContext context, CancellationToken cancellationToken)
    {
        var landlords = DemoData.Landlords.ToList();
        var n = 0;
        foreach (var community in DemoData.Communities)
        {
            var (street, staff) = Communities[community];
            var communityId = await context.CommunityIdAsync(community);
            var createdBy = await context.UserIdAsync(staff);
            for (var g = 0; g < DemoData.Grids.Count; g++)
            {
                var gridId = await context.GridIdAsync(community, DemoData.Grids[g]);
                for (var i = 0; i < 2; i++, n++)
                {
                    await context.Connection.ExecuteAsync(new CommandDefinition("""
                        INSERT INTO houses (code, community_id, grid_id, street, building, unit, door, landlord_id,
                                            rooms, house_use, created_by, created_at, updated_at)
                        VALUES (@code, @communityId, @gridId, @street, @building, NULL, @door, @landlordId,
                                @rooms, 'rental', @createdBy, @now, @now)
                        """, new
                    {
                        code = HouseCode.New(),
                        communityId,
                        gridId,
                        street = $"{street}{g + 1}巷",
                        building = $"{10 + n}号",
                        door = $"{i + 1}0{i + 1}",
                        landlordId = await context.UserIdAsync(landlords[n % landlords.Count].Name),
                        rooms = 2 + n % 5,
                        createdBy,
                        now = context.Now,
                    }, context.Transaction, cancellationToken: cancellationToken));
                }
            }
        }
    }
}
