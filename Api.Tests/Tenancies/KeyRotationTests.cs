using System.Text;
using Dapper;
using Linli.Api.Tenancies;
using Linli.Api.Tests.Houses;
using Linli.Api.Tests.Support;
using Linli.Domain.Identity;

namespace Linli.Api.Tests.Tenancies;

public class KeyRotationTests
{
    [Test]
    public async Task AfterAKeyRotationOldTenanciesStillReadAndNewOnesUseTheNewKey()
    {
        var settings = HousesApp.Settings();
        settings["FieldProtection:CurrentKeyId"] = "t2";
        settings["FieldProtection:Keys:t2"] = Convert.ToBase64String("rotated-field-key-32-bytes-long!"u8.ToArray());
        await using var rotated = new LinliFactory(settings);

        var world = await HouseWorld.CreateAsync();
        var (landlordId, landlord) = await world.ResidentAsync();
        var house = await world.HouseAsync(landlordId);
        var oldNumber = People.IdNumber();
        var old = await HouseWorld.TenancyAsync(landlord, house.Id, oldNumber);

        var rotatedWorker = rotated.ClientFor(world.WorkerId, Roles.GridWorker);
        var rotatedLandlord = rotated.ClientFor(landlordId, Roles.Resident);
        var newNumber = People.IdNumber();
        var fresh = await HouseWorld.TenancyAsync(rotatedLandlord, house.Id, newNumber);
        var oldRead = await HouseWorld.ReadAsync<TenancyDocumentDto>(await rotatedWorker.GetAsync($"/api/v1/tenancies/{old.Id}/document?reason=rotation"));
        var lookup = await HouseWorld.ReadAsync<TenancyLookupDto>(await HouseWorld.LookupAsync(rotatedWorker, oldNumber));

        await using var c = await world.Db.OpenConnectionAsync();
        var keyIds = (await c.QueryAsync<byte[]>("SELECT document_cipher FROM tenancies WHERE id IN @ids ORDER BY id", new { ids = new[] { old.Id, fresh.Id } }))
            .Select(envelope => Encoding.ASCII.GetString(envelope, 1, envelope[0])).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(oldRead.DocumentNumber, Is.EqualTo(oldNumber));
            Assert.That(lookup.Houses.Select(h => h.TenancyId), Is.EqualTo(new[] { old.Id }), "the look-up hash does not depend on the encryption key");
            Assert.That(keyIds, Is.EqualTo(new[] { "t1", "t2" }));
        });
    }
}
