using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using Dapper;
using Linli.Domain.Houses;

namespace Linli.Api.Tests.Tickets;

/// <summary>A resident scans a house's QR code and reports a problem about that house: the house fixes where it goes.</summary>
public class ReportFromHouseCodeTests
{
    [Test]
    public async Task AScannedHouseCodeFixesTheCommunityAndGrid()
    {
        var w = await TicketWorld.CreateAsync();
        var code = HouseCode.New();
        await using (var connection = await w.Service<DbDataSource>().OpenConnectionAsync())
        {
            await connection.ExecuteAsync("""
                INSERT INTO houses (code, community_id, grid_id, street, building, unit, door, rooms, house_use, created_by, created_at, updated_at)
                VALUES (@code, @communityId, @gridId, '船房村', '12栋', '1单元', '302', 3, 'rental', @staffId, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))
                """, new { code, communityId = w.CommunityId, gridId = w.GridId, staffId = w.Staff.Id });
        }

        // The phone sends the code as it was printed, in lower case here: codes are read case-insensitively.
        using var response = await w.PostReportAsync(w.Resident.Client,
            new { categoryId = await w.CategoryIdAsync(), description = "出租房楼道堆满杂物", houseCode = code.ToLowerInvariant() });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var ticket = (await response.Content.ReadFromJsonAsync<Linli.Api.Tickets.TicketDto>(TicketsApp.Json))!;
        Assert.Multiple(() =>
        {
            Assert.That(ticket.CommunityId, Is.EqualTo(w.CommunityId));
            Assert.That(ticket.GridId, Is.EqualTo(w.GridId));
            Assert.That(ticket.HouseCode, Is.EqualTo(code));
        });
    }
}
