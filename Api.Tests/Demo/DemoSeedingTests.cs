using Dapper;
using Linli.Api.Demo;
using Linli.Api.Tests.Support;
using Linli.Domain.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Api.Tests.Demo;

public class DemoSeedingTests
{
    [Test]
    public async Task DemoDataIsLoadedOnceWithEveryRoleReadyToSignIn()
    {
        await using var database = await ThrowawayDatabase.CreateAsync();
        await using var factory = new LinliFactory(database.Settings);
        var seeding = factory.Services.GetRequiredService<DemoSeeding>();

        var first = await seeding.SeedAsync(CancellationToken.None);
        var second = await seeding.SeedAsync(CancellationToken.None);

        Assert.That(first, Is.EquivalentTo(new[] { "core", "houses", "party-members", "grid-work", "tickets" }));
        Assert.That(second, Is.Empty);
        await using var db = database.CreateDataSource();
        await using var c = await db.OpenConnectionAsync();
        Assert.Multiple(async () =>
        {
            Assert.That(await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM communities c JOIN street_offices s ON s.id = c.street_office_id WHERE s.name = @s", new { s = DemoData.StreetOffice }), Is.EqualTo(2));
            Assert.That(await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM grids"), Is.EqualTo(6));
            Assert.That(await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM departments"), Is.EqualTo(3));
            Assert.That(await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users WHERE openid LIKE 'sim-%'"), Is.EqualTo(DemoData.Users.Count));
            // The grid worker's role row carries both their community and their grid.
            Assert.That(await c.ExecuteScalarAsync<long>("""
                SELECT COUNT(*) FROM user_roles r JOIN users u ON u.id = r.user_id JOIN grids g ON g.id = r.grid_id
                WHERE u.openid = 'sim-chuanfang-grid' AND r.role = 'grid_worker' AND g.community_id = r.community_id AND g.name = '第一网格'
                """), Is.EqualTo(1));
            Assert.That(await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM houses WHERE house_use = 'rental' AND landlord_id IS NOT NULL"), Is.EqualTo(12));
            Assert.That(await c.ExecuteScalarAsync<long>("SELECT COUNT(DISTINCT code) FROM houses"), Is.EqualTo(12));
            Assert.That(await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM tenancies WHERE status = 'active'"), Is.EqualTo(4));
            Assert.That(await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM ticket_categories"), Is.EqualTo(10));
            Assert.That(await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM party_members WHERE status = 'confirmed' AND show_badge = 1"), Is.EqualTo(2));
            // Grid work: a confirmed household in every house, two contacts each, weeks of visits, nothing in plaintext.
            Assert.That(await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM households WHERE status = 'confirmed'"), Is.EqualTo(12));
            Assert.That(await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM contact_assignments WHERE ended_at IS NULL"), Is.EqualTo(24));
            Assert.That(await c.ExecuteScalarAsync<long>("SELECT COUNT(DISTINCT household_id) FROM household_tags"), Is.EqualTo(12));
            Assert.That(await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM visits"), Is.GreaterThan(24));
            // Something for the console's board to dispatch.
            Assert.That(await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM tickets WHERE status = 'submitted'"), Is.EqualTo(3));
            foreach (var role in Roles.All.Where(r => r != Roles.Resident))
                Assert.That(await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM user_roles WHERE role = @role", new { role }), Is.GreaterThan(0), role);
        });
    }

    [Test]
    public void TheSignInTableListsEveryDemoUsersLoginCode()
    {
        var table = DemoBanner.SignInTable();
        Assert.That(DemoData.Users.Select(u => u.LoginCode), Has.All.Matches<string>(code => table.Contains(code, StringComparison.Ordinal)));
    }
}
