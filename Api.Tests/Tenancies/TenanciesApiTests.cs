using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Linli.Api.Tenancies;
using Linli.Api.Tests.Houses;
using Linli.Api.Tests.Support;
using Linli.Domain.Houses;
using Linli.Domain.Identity;
using Linli.Domain.People;

namespace Linli.Api.Tests.Tenancies;

public class TenanciesApiTests
{
    [Test]
    public async Task ALandlordRegistersATenantWhoIsShownMasked()
    {
        var world = await HouseWorld.CreateAsync();
        var (landlordId, landlord) = await world.ResidentAsync();
        var house = await world.HouseAsync(landlordId);
        var number = People.IdNumber();
        var phone = People.Phone();

        var tenancy = await HouseWorld.TenancyAsync(landlord, house.Id, number, phone, "B");

        Assert.Multiple(() =>
        {
            Assert.That(tenancy.Status, Is.EqualTo(TenancyStatus.Active));
            Assert.That(tenancy.DocumentNumber, Is.EqualTo(number[..2] + new string('*', 14) + number[^2..]), "the area and birth date never show");
            Assert.That(tenancy.Phone, Is.EqualTo(phone[..3] + "****" + phone[^4..]));
            Assert.That(tenancy.Room, Is.EqualTo("B"));
            Assert.That(tenancy.MoveInDate, Is.EqualTo(new DateOnly(2026, 3, 1)));
        });
    }

    [TestCase("110105194912310021", Description = "wrong check digit")]
    [TestCase("11010519491231002", Description = "wrong length")]
    [TestCase("53010220010229001X", Description = "impossible birth date")]
    [TestCase("- -", Description = "nothing left once normalised")]
    public async Task AnInvalidIdentityNumberIsRefusedWithTheFieldNamed(string number)
    {
        var world = await HouseWorld.CreateAsync();
        var (landlordId, landlord) = await world.ResidentAsync();
        var house = await world.HouseAsync(landlordId);

        var response = await landlord.PostAsJsonAsync($"/api/v1/houses/{house.Id}/tenancies", HouseWorld.TenantBody(number), HousesApp.Json);

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await HousesApiTests.Errors(response), Is.EqualTo(new[] { "documentNumber" }));
        });
    }

    [Test]
    public async Task AnUnknownDocumentTypeIsABadRequestNotAnError()
    {
        var world = await HouseWorld.CreateAsync();
        var (landlordId, landlord) = await world.ResidentAsync();
        var house = await world.HouseAsync(landlordId);

        var response = await landlord.PostAsJsonAsync($"/api/v1/houses/{house.Id}/tenancies",
            new { name = "张三", documentType = "driving_licence", documentNumber = "123456", phone = "13912345678", room = "A", moveInDate = "2026-03-01" });
        var missing = await landlord.PostAsJsonAsync($"/api/v1/houses/{house.Id}/tenancies", new { }, HousesApp.Json);

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await HousesApiTests.Errors(missing), Is.EquivalentTo(new[] { "name", "documentType", "documentNumber", "phone", "room", "moveInDate" }));
        });
    }

    [Test]
    public async Task APassportHolderIsRegisteredWithTheirPassport()
    {
        var world = await HouseWorld.CreateAsync();
        var (landlordId, landlord) = await world.ResidentAsync();
        var house = await world.HouseAsync(landlordId);

        var response = await landlord.PostAsJsonAsync($"/api/v1/houses/{house.Id}/tenancies",
            HouseWorld.TenantBody("e12345678", type: DocumentType.Passport, name: "John Smith"), HousesApp.Json);
        var tenancy = await HouseWorld.ReadAsync<TenancyDto>(response, HttpStatusCode.Created);

        Assert.Multiple(() =>
        {
            Assert.That(tenancy.DocumentType, Is.EqualTo(DocumentType.Passport));
            Assert.That(tenancy.DocumentNumber, Is.EqualTo("E*******8"));
        });
    }

    [Test]
    public async Task ASecondOpenTenancyOfTheSamePersonInTheSameHouseIsAConflict()
    {
        var world = await HouseWorld.CreateAsync();
        var (landlordId, landlord) = await world.ResidentAsync();
        var house = await world.HouseAsync(landlordId);
        var number = People.IdNumber();
        await HouseWorld.TenancyAsync(landlord, house.Id, number);

        // Typed in lower case and with spaces: still the same person.
        var again = await landlord.PostAsJsonAsync($"/api/v1/houses/{house.Id}/tenancies",
            HouseWorld.TenantBody(" " + number.ToLowerInvariant() + " ", room: "C"), HousesApp.Json);

        using var problem = JsonDocument.Parse(await again.Content.ReadAsStringAsync());
        Assert.Multiple(() =>
        {
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(problem.RootElement.GetProperty("currentStatus").GetString(), Is.EqualTo("active"));
        });
    }

    [Test]
    public async Task AfterMovingOutThePersonCanRentTheHouseAgain()
    {
        var world = await HouseWorld.CreateAsync();
        var (landlordId, landlord) = await world.ResidentAsync();
        var house = await world.HouseAsync(landlordId);
        var number = People.IdNumber();
        var first = await HouseWorld.TenancyAsync(landlord, house.Id, number);

        var moved = await HouseWorld.ReadAsync<TenancyDto>(
            await landlord.PostAsJsonAsync($"/api/v1/tenancies/{first.Id}/move-out", new { date = "2026-06-30" }, HousesApp.Json));
        var movedAgain = await landlord.PostAsJsonAsync($"/api/v1/tenancies/{first.Id}/move-out", new { date = "2026-07-01" }, HousesApp.Json);
        var second = await HouseWorld.TenancyAsync(landlord, house.Id, number);
        var history = await HouseWorld.ReadAsync<List<TenancyDto>>(await landlord.GetAsync($"/api/v1/houses/{house.Id}/tenancies"));

        Assert.Multiple(() =>
        {
            Assert.That(moved.Status, Is.EqualTo(TenancyStatus.MovedOut));
            Assert.That(moved.MoveOutDate, Is.EqualTo(new DateOnly(2026, 6, 30)));
            Assert.That(movedAgain.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(history.Select(t => (t.Id, t.Status)), Is.EqualTo(new[] { (second.Id, TenancyStatus.Active), (first.Id, TenancyStatus.MovedOut) }));
        });
    }

    [Test]
    public async Task AMoveOutBeforeTheMoveInIsRefused()
    {
        var world = await HouseWorld.CreateAsync();
        var (landlordId, landlord) = await world.ResidentAsync();
        var house = await world.HouseAsync(landlordId);
        var tenancy = await HouseWorld.TenancyAsync(landlord, house.Id, People.IdNumber());

        var response = await landlord.PostAsJsonAsync($"/api/v1/tenancies/{tenancy.Id}/move-out", new { date = "2026-02-01" }, HousesApp.Json);

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await HousesApiTests.Errors(response), Is.EqualTo(new[] { "date" }));
        });
    }

    [Test]
    public async Task ATenantsOwnRegistrationWaitsForTheLandlordWhoConfirmsIt()
    {
        var world = await HouseWorld.CreateAsync();
        var (landlordId, landlord) = await world.ResidentAsync();
        var house = await world.HouseAsync(landlordId);
        var (tenantId, tenant) = await world.ResidentAsync();

        await HouseWorld.ReadAsync<SelfRegistrationDto>(await tenant.PostAsJsonAsync(
            $"/api/v1/h/{house.Code}/tenancies", HouseWorld.TenantBody(People.IdNumber(), tenantUserId: 999_999_999), HousesApp.Json), HttpStatusCode.Accepted);
        var pending = (await HouseWorld.ReadAsync<List<TenancyDto>>(await landlord.GetAsync($"/api/v1/houses/{house.Id}/tenancies"))).Single();
        var houseWhilePending = await HouseWorld.ReadAsync<Linli.Api.Houses.HouseDto>(await landlord.GetAsync($"/api/v1/houses/{house.Id}"));
        var byTenant = await tenant.PostAsync($"/api/v1/tenancies/{pending.Id}/confirm", null);
        var confirmed = await HouseWorld.ReadAsync<TenancyDto>(await landlord.PostAsync($"/api/v1/tenancies/{pending.Id}/confirm", null));
        var twice = await landlord.PostAsync($"/api/v1/tenancies/{pending.Id}/decline", null);

        Assert.Multiple(() =>
        {
            Assert.That(pending.Status, Is.EqualTo(TenancyStatus.Pending));
            Assert.That(pending.TenantUserId, Is.EqualTo(tenantId), "the tenant is the caller, whatever the body says");
            Assert.That(houseWhilePending.RoomsFree, Is.EqualTo(3), "a pending registration takes no room");
            Assert.That(byTenant.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(confirmed.Status, Is.EqualTo(TenancyStatus.Active));
            Assert.That(twice.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        });
    }

    [Test]
    public async Task ALandlordDeclinesASelfRegistration()
    {
        var world = await HouseWorld.CreateAsync();
        var (landlordId, landlord) = await world.ResidentAsync();
        var house = await world.HouseAsync(landlordId);
        var (_, tenant) = await world.ResidentAsync();
        var number = People.IdNumber();

        await HouseWorld.ReadAsync<SelfRegistrationDto>(await tenant.PostAsJsonAsync(
            $"/api/v1/h/{house.Code}/tenancies", HouseWorld.TenantBody(number), HousesApp.Json), HttpStatusCode.Accepted);
        var pending = (await HouseWorld.ReadAsync<List<TenancyDto>>(await landlord.GetAsync($"/api/v1/houses/{house.Id}/tenancies"))).Single();
        var declined = await HouseWorld.ReadAsync<TenancyDto>(await landlord.PostAsync($"/api/v1/tenancies/{pending.Id}/decline", null));
        var retry = await tenant.PostAsJsonAsync($"/api/v1/h/{house.Code}/tenancies", HouseWorld.TenantBody(number), HousesApp.Json);

        Assert.Multiple(() =>
        {
            Assert.That(declined.Status, Is.EqualTo(TenancyStatus.Declined));
            Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), "a declined registration is closed: the tenant may try again");
        });
    }

    [Test]
    public async Task ASelfRegistrationAnswersTheSameWhetherOrNotThatPersonAlreadyLivesThere()
    {
        var world = await HouseWorld.CreateAsync();
        var (landlordId, landlord) = await world.ResidentAsync();
        var house = await world.HouseAsync(landlordId);
        var resident = People.IdNumber();
        await HouseWorld.TenancyAsync(landlord, house.Id, resident);
        var (_, prober) = await world.ResidentAsync();

        // Someone who read the code on the door tries a number that lives there and one that does not.
        var known = await prober.PostAsJsonAsync($"/api/v1/h/{house.Code}/tenancies", HouseWorld.TenantBody(resident), HousesApp.Json);
        var unknown = await prober.PostAsJsonAsync($"/api/v1/h/{house.Code}/tenancies", HouseWorld.TenantBody(People.IdNumber()), HousesApp.Json);
        var tenancies = await HouseWorld.ReadAsync<List<TenancyDto>>(await landlord.GetAsync($"/api/v1/houses/{house.Id}/tenancies"));

        Assert.Multiple(async () =>
        {
            Assert.That(known.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(await known.Content.ReadAsStringAsync(), Is.EqualTo(await unknown.Content.ReadAsStringAsync()));
            Assert.That(tenancies.Select(t => t.Status), Is.EquivalentTo(new[] { TenancyStatus.Active, TenancyStatus.Pending }),
                "the landlord sees the new registration; the duplicate adds nothing");
        });
    }

    [Test]
    public async Task LandlordACannotSeeOrRegisterLandlordBsTenants()
    {
        var world = await HouseWorld.CreateAsync();
        var (aId, a) = await world.ResidentAsync();
        var (bId, b) = await world.ResidentAsync();
        await world.HouseAsync(aId);
        var bHouse = await world.HouseAsync(bId);
        var bTenancy = await HouseWorld.TenancyAsync(b, bHouse.Id, People.IdNumber());

        var list = await a.GetAsync($"/api/v1/houses/{bHouse.Id}/tenancies");
        var register = await a.PostAsJsonAsync($"/api/v1/houses/{bHouse.Id}/tenancies", HouseWorld.TenantBody(People.IdNumber()), HousesApp.Json);
        var moveOut = await a.PostAsJsonAsync($"/api/v1/tenancies/{bTenancy.Id}/move-out", new { date = "2026-06-30" }, HousesApp.Json);

        Assert.Multiple(() =>
        {
            Assert.That(list.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(register.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(moveOut.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task AGridWorkerSeesTenantsOnlyInTheirGrids()
    {
        var world = await HouseWorld.CreateAsync();
        var (landlordId, landlord) = await world.ResidentAsync();
        var house = await world.HouseAsync(landlordId);
        await HouseWorld.TenancyAsync(landlord, house.Id, People.IdNumber());

        var own = await world.Worker.GetAsync($"/api/v1/houses/{house.Id}/tenancies");
        var other = await world.OtherWorker.GetAsync($"/api/v1/houses/{house.Id}/tenancies");

        Assert.Multiple(() =>
        {
            Assert.That(own.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task StaffFindEveryHouseAPersonRentedWithinTheirScope()
    {
        var world = await HouseWorld.CreateAsync();
        var (landlordId, landlord) = await world.ResidentAsync();
        var first = await world.HouseAsync(landlordId);
        var second = await world.HouseAsync(landlordId);
        var elsewhere = await world.HouseAsync(landlordId, gridId: world.OtherGridId);
        var number = People.IdNumber();
        var old = await HouseWorld.TenancyAsync(landlord, first.Id, number);
        await landlord.PostAsJsonAsync($"/api/v1/tenancies/{old.Id}/move-out", new { date = "2026-05-31" }, HousesApp.Json);
        await HouseWorld.TenancyAsync(landlord, second.Id, number);
        await HouseWorld.TenancyAsync(landlord, elsewhere.Id, number);

        var byStaff = await HouseWorld.ReadAsync<TenancyLookupDto>(await HouseWorld.LookupAsync(world.Staff, number));
        var byWorker = await HouseWorld.ReadAsync<TenancyLookupDto>(await HouseWorld.LookupAsync(world.Worker, number));
        var byLandlord = await HouseWorld.LookupAsync(landlord, number);

        Assert.Multiple(() =>
        {
            Assert.That(byStaff.Houses.Select(h => h.HouseId), Is.EquivalentTo(new[] { first.Id, second.Id, elsewhere.Id }));
            Assert.That(byStaff.Houses.Single(h => h.HouseId == first.Id).MoveOutDate, Is.EqualTo(new DateOnly(2026, 5, 31)));
            Assert.That(byStaff.DocumentNumber, Is.EqualTo(number[0] + new string('*', 16) + number[^1]));
            Assert.That(byWorker.Houses.Select(h => h.HouseId), Is.EquivalentTo(new[] { first.Id, second.Id }));
            Assert.That(byLandlord.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        });
    }

    [Test]
    public async Task EveryLookUpIsAuditedWithItsReasonAndTheNumbersHashButNeverTheNumber()
    {
        var world = await HouseWorld.CreateAsync();
        var (landlordId, landlord) = await world.ResidentAsync();
        var house = await world.HouseAsync(landlordId);
        var number = People.IdNumber();
        await HouseWorld.TenancyAsync(landlord, house.Id, number);
        var workerId = world.WorkerId;

        var found = await HouseWorld.LookupAsync(world.Worker, number, "派出所协查 2026-01");
        var missed = await HouseWorld.LookupAsync(world.Worker, People.IdNumber(), "派出所协查 2026-02");
        var noReason = await world.Worker.PostAsJsonAsync("/api/v1/tenancies/lookup", new { documentNumber = number });
        var inTheUrl = await world.Worker.GetAsync($"/api/v1/tenancies/lookup?documentNumber={number}");
        var log = await HouseWorld.ReadAsync<List<AuditEntryDto>>(await world.Admin.GetAsync("/api/v1/tenancies/document-reads?limit=500"));
        var mine = log.Where(e => e.ActorId == workerId && e.Action == "tenancy.lookup").ToList();
        var hash = Convert.ToHexStringLower(world.Protector.Hash(number));

        Assert.Multiple(async () =>
        {
            Assert.That(found.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(missed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(noReason.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await HousesApiTests.Errors(noReason), Is.EqualTo(new[] { "reason" }));
            Assert.That(inTheUrl.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed), "the number never travels in a URL");
            Assert.That(mine.Select(e => e.Reason), Is.EqualTo(new[] { "派出所协查 2026-02", "派出所协查 2026-01" }), "every look-up, found or not, newest first");
            Assert.That(mine[1].LookupHash, Is.EqualTo(hash));
            Assert.That(mine.Select(e => e.SubjectId), Is.All.Null);
            Assert.That(mine.Select(e => e.SubjectType), Is.All.EqualTo("tenancy"));
        });
    }

    [Test]
    public async Task ALookUpNeedsANumberAndAReasonThatAreMoreThanDashesAndSpaces()
    {
        var world = await HouseWorld.CreateAsync();

        var noNumber = await world.Worker.PostAsJsonAsync("/api/v1/tenancies/lookup", new { documentNumber = "- -", reason = "派出所协查" });
        var noReason = await world.Worker.PostAsJsonAsync("/api/v1/tenancies/lookup", new { documentNumber = People.IdNumber(), reason = "  a  " });

        Assert.Multiple(async () =>
        {
            Assert.That(noNumber.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await HousesApiTests.Errors(noNumber), Is.EqualTo(new[] { "documentNumber" }));
            Assert.That(noReason.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await HousesApiTests.Errors(noReason), Is.EqualTo(new[] { "reason" }));
        });
    }

    [Test]
    public async Task LookUpsOverTheHourlyQuotaAre429WithRetryAfterAndPerUser()
    {
        await using var factory = new LinliFactory(new Dictionary<string, string?>(HousesApp.Settings())
        {
            ["RateLimits:Lookup:PermitLimit"] = "2",
            ["RateLimits:Lookup:WindowSeconds"] = "3600",
        });
        var world = await HouseWorld.CreateAsync(factory);

        var first = await HouseWorld.LookupAsync(world.Worker, People.IdNumber());
        var second = await HouseWorld.LookupAsync(world.Worker, People.IdNumber());
        var third = await HouseWorld.LookupAsync(world.Worker, People.IdNumber());
        var byAnother = await HouseWorld.LookupAsync(world.Staff, People.IdNumber());

        Assert.Multiple(() =>
        {
            Assert.That(new[] { first.StatusCode, second.StatusCode }, Is.All.EqualTo(HttpStatusCode.OK));
            Assert.That(third.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(int.Parse(third.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), Is.InRange(1, 3600));
            Assert.That(byAnother.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the quota is each user's own");
        });
    }

    [Test]
    public async Task AFullNumberIsReadOnlyWithAReasonAndEachReadIsAudited()
    {
        var world = await HouseWorld.CreateAsync();
        var (landlordId, landlord) = await world.ResidentAsync();
        var house = await world.HouseAsync(landlordId);
        var number = People.IdNumber();
        var phone = People.Phone();
        var tenancy = await HouseWorld.TenancyAsync(landlord, house.Id, number, phone);

        var noReason = await world.Worker.GetAsync($"/api/v1/tenancies/{tenancy.Id}/document");
        var byLandlord = await landlord.GetAsync($"/api/v1/tenancies/{tenancy.Id}/document?reason=curious");
        var byOtherWorker = await world.OtherWorker.GetAsync($"/api/v1/tenancies/{tenancy.Id}/document?reason=curious");
        var read = await world.Worker.GetAsync($"/api/v1/tenancies/{tenancy.Id}/document?reason={Uri.EscapeDataString("派出所核查流动人口")}");
        var document = await HouseWorld.ReadAsync<TenancyDocumentDto>(read);
        await world.Worker.GetAsync($"/api/v1/tenancies/{tenancy.Id}/document?reason=second");

        var audit = await HouseWorld.ReadAsync<List<AuditEntryDto>>(await world.Admin.GetAsync($"/api/v1/tenancies/document-reads?tenancyId={tenancy.Id}"));
        var auditByStaff = await world.Staff.GetAsync($"/api/v1/tenancies/document-reads?tenancyId={tenancy.Id}");

        Assert.Multiple(() =>
        {
            Assert.That(noReason.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(byLandlord.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(byOtherWorker.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(document.DocumentNumber, Is.EqualTo(number));
            Assert.That(document.Phone, Is.EqualTo(phone));
            Assert.That(read.Headers.CacheControl?.NoStore, Is.True);
            Assert.That(audit.Select(a => (a.ActorId, a.SubjectId, a.Reason)),
                Is.EqualTo(new[] { (world.WorkerId, (long?)tenancy.Id, "second"), (world.WorkerId, (long?)tenancy.Id, "派出所核查流动人口") }));
            Assert.That(audit.All(a => a.Action == "tenancy.document_read"), Is.True);
            Assert.That(auditByStaff.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        });
    }

    [Test]
    public async Task NoTableHoldsAPlaintextIdentityNumberOrPhone()
    {
        var world = await HouseWorld.CreateAsync();
        var (landlordId, landlord) = await world.ResidentAsync();
        var landlordPhone = People.Phone();
        var house = await world.HouseAsync(landlordId: null, landlordPhone: landlordPhone);
        var (staffLandlordId, _) = await world.ResidentAsync();
        var other = await world.HouseAsync(staffLandlordId);
        var numbers = new[] { People.IdNumber(), People.IdNumber() };
        var phones = new[] { People.Phone(), People.Phone() };
        await HouseWorld.TenancyAsync(world.Staff, house.Id, numbers[0], phones[0]);
        await HouseWorld.TenancyAsync(world.Staff, other.Id, numbers[1], phones[1]);
        var (tenantId, tenant) = await world.ResidentAsync();
        var selfNumber = People.IdNumber();
        var selfPhone = People.Phone();
        await tenant.PostAsJsonAsync($"/api/v1/h/{house.Code}/tenancies", HouseWorld.TenantBody(selfNumber, selfPhone), HousesApp.Json);
        await HouseWorld.LookupAsync(world.Worker, numbers[0]);

        var needles = numbers.Append(selfNumber).Concat(phones).Append(selfPhone).Append(landlordPhone).ToList();
        await using var c = await world.Db.OpenConnectionAsync();
        var columns = (await c.QueryAsync<(string Table, string Column)>("""
            SELECT table_name, column_name FROM information_schema.columns
            WHERE table_schema = DATABASE() ORDER BY table_name, ordinal_position
            """)).ToList();
        var found = new List<string>();
        foreach (var (table, column) in columns)
        {
            foreach (var needle in needles)
            {
                // Every column as bytes: text, numbers and blobs alike.
                var hits = await c.ExecuteScalarAsync<long>(
                    $"SELECT COUNT(*) FROM `{table}` WHERE INSTR(CAST(`{column}` AS BINARY), CAST(@needle AS BINARY)) > 0", new { needle });
                if (hits > 0)
                    found.Add($"{table}.{column}");
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(columns.Select(x => x.Table).Distinct(), Is.SupersetOf(new[] { "houses", "tenancies", "users", "audit_log" }));
            Assert.That(found, Is.Empty);
        });
    }
}
