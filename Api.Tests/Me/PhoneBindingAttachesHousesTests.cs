using System.Net;
using System.Net.Http.Json;
using Linli.Api.Houses;
using Linli.Api.Tests.Houses;
using Linli.Api.Tests.Support;

namespace Linli.Api.Tests.Me;

/// <summary>
/// Staff register a house whose landlord they know only by phone; when that landlord signs in and binds the
/// same phone from WeChat, the house becomes theirs at once (not only at their next house listing).
/// </summary>
public class PhoneBindingAttachesHousesTests
{
    [Test]
    public async Task BindingThePhoneMakesTheCallerLandlordOfTheHousesWaitingForIt()
    {
        var phone = People.Phone();
        // Simulated WeChat answers every phone code with this number; a factory of its own keeps it to this test.
        var settings = new Dictionary<string, string?>(HousesApp.Settings()) { ["Wechat:SimulatedPhoneNumber"] = phone };
        await using var factory = new LinliFactory(settings);
        var world = await HouseWorld.CreateAsync(factory);
        // Typed at the desk with a country code and spaces; WeChat gives bare digits.
        var house = await world.HouseAsync(landlordId: null, landlordPhone: "+86 " + phone[..3] + " " + phone[3..]);
        var (userId, client) = await world.ResidentAsync();

        using var bound = await client.PostAsJsonAsync("/api/v1/me/phone", new { code = "phone-code" });
        Assert.That(bound.StatusCode, Is.EqualTo(HttpStatusCode.OK), await bound.Content.ReadAsStringAsync());

        // Read as staff: the landlord is attached without the landlord having listed anything.
        var read = await HouseWorld.ReadAsync<HouseDto>(await world.Staff.GetAsync($"/api/v1/houses/{house.Id}"));
        Assert.Multiple(() =>
        {
            Assert.That(read.Landlord?.UserId, Is.EqualTo(userId));
            Assert.That(read.PendingLandlordPhone, Is.Null);
        });
    }
}
