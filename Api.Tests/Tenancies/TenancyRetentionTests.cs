using System.Net;
using System.Net.Http.Json;
using Dapper;
using Linli.Api.Tenancies;
using Linli.Api.Tests.Houses;
using Linli.Api.Tests.Support;
using Linli.Domain.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Api.Tests.Tenancies;

public class TenancyRetentionTests
{
    [Test]
    public async Task NumbersOfATenancyEndedLongerAgoThanTheRetentionAreErasedAndNoLongerFoundButTheAuditStays()
    {
        // Its own factory: the clock moves a year on.
        await using var factory = new LinliFactory(new Dictionary<string, string?>(HousesApp.Settings()) { ["Tickets:RunWorkers"] = "false" });
        var world = await HouseWorld.CreateAsync(factory);
        var (landlordId, landlord) = await world.ResidentAsync();
        var house = await world.HouseAsync(landlordId);
        var gone = People.IdNumber();
        var staying = People.IdNumber();
        var old = await HouseWorld.TenancyAsync(landlord, house.Id, gone, room: "A");
        var current = await HouseWorld.TenancyAsync(landlord, house.Id, staying, room: "B");
        await landlord.PostAsJsonAsync($"/api/v1/tenancies/{old.Id}/move-out", new { date = "2026-05-31" }, HousesApp.Json);
        await world.Worker.GetAsync($"/api/v1/tenancies/{old.Id}/document?reason={Uri.EscapeDataString("核查")}");
        var worker = factory.Services.GetRequiredService<TenancyRetentionWorker>();

        await worker.RunOnceAsync(CancellationToken.None);
        var before = await HouseWorld.ReadAsync<List<TenancyDto>>(await landlord.GetAsync($"/api/v1/houses/{house.Id}/tenancies"));
        factory.Clock.Advance(TimeSpan.FromDays(TenancyRetentionWorker.DefaultRetentionDays + 200));
        await worker.RunOnceAsync(CancellationToken.None);

        // A year on, every earlier access token has expired: the same people sign in again.
        var workerNow = factory.ClientFor(world.WorkerId, Roles.GridWorker);
        var landlordNow = factory.ClientFor(landlordId, Roles.Resident);
        var adminNow = factory.ClientFor(world.AdminId, Roles.Admin);
        var lookup = await HouseWorld.ReadAsync<TenancyLookupDto>(await HouseWorld.LookupAsync(workerNow, gone));
        var stillFound = await HouseWorld.ReadAsync<TenancyLookupDto>(await HouseWorld.LookupAsync(workerNow, staying));
        var tenancies = await HouseWorld.ReadAsync<List<TenancyDto>>(await landlordNow.GetAsync($"/api/v1/houses/{house.Id}/tenancies"));
        var audit = await HouseWorld.ReadAsync<List<AuditEntryDto>>(await adminNow.GetAsync($"/api/v1/tenancies/document-reads?tenancyId={old.Id}"));
        await using var c = await world.Db.OpenConnectionAsync();
        var stored = await c.QuerySingleAsync<(byte[]? Document, byte[]? DocumentHash, byte[]? Phone, byte[]? PhoneHash)>(
            "SELECT document_cipher, document_hash, phone_cipher, phone_hash FROM tenancies WHERE id = @id", new { id = old.Id });

        Assert.Multiple(() =>
        {
            Assert.That(before.Single(t => t.Id == old.Id).DocumentNumber, Is.Not.Null, "within the retention the numbers stay");
            Assert.That(tenancies.Single(t => t.Id == old.Id).DocumentNumber, Is.Null);
            Assert.That(stored, Is.EqualTo(((byte[]?)null, (byte[]?)null, (byte[]?)null, (byte[]?)null)));
            Assert.That(lookup.Houses, Is.Empty, "以人找房 no longer finds an erased tenancy");
            Assert.That(stillFound.Houses.Select(h => h.TenancyId), Is.EqualTo(new[] { current.Id }));
            Assert.That(tenancies.Single(t => t.Id == current.Id).DocumentNumber, Is.Not.Null, "an active tenancy keeps its numbers");
            Assert.That(tenancies.Single(t => t.Id == old.Id).Phone, Is.Null);
            Assert.That(audit, Has.Count.EqualTo(1), "audit rows stay");
        });
    }
}
