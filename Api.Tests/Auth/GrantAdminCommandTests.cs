using System.Data.Common;
using Linli.Api.Auth;
using Linli.Api.Tests.Support;
using Linli.Domain.Identity;
using Linli.Infrastructure.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Api.Tests.Auth;

public class GrantAdminCommandTests
{
    private static LinliFactory Factory => SharedApp.Factory;

    [Test]
    public async Task GrantingAnOpenIdThatNeverSignedInCreatesTheUserAndTheirSignInIsAdmin()
    {
        var name = TestData.Unique("first-admin");
        var userId = await GrantAdminCommand.GrantAsync(Factory.Services.GetRequiredService<DbDataSource>(), Factory.Clock, "sim-" + name, CancellationToken.None);
        var again = await GrantAdminCommand.GrantAsync(Factory.Services.GetRequiredService<DbDataSource>(), Factory.Clock, "sim-" + name, CancellationToken.None);
        var session = await SignIn.AsAsync(Factory, name);
        Assert.Multiple(() =>
        {
            Assert.That(again, Is.EqualTo(userId), "granting twice is harmless");
            Assert.That(session.User.Id, Is.EqualTo(userId));
            Assert.That(session.User.IsNew, Is.False);
            Assert.That(session.User.Roles, Is.EqualTo(new[] { Roles.Resident, Roles.Admin }));
        });
    }

    [Test]
    public async Task TheCommandRunsAgainstTheRunningServicesDatabase()
    {
        var name = TestData.Unique("cmd");
        // The API (Factory) is serving while the command runs against the same database.
        var command = new GrantAdminHostCommand(Factory.Services.GetRequiredService<DbDataSource>(), Factory.Clock,
            Factory.Services.GetRequiredService<MigrationRunner>());
        Assert.Multiple(async () =>
        {
            Assert.That(await command.RunAsync(["sim-" + name], CancellationToken.None), Is.Zero);
            Assert.That(await command.RunAsync([], CancellationToken.None), Is.EqualTo(2), "no openid: usage");
        });
        var session = await SignIn.AsAsync(Factory, name);
        Assert.That(session.User.Roles, Is.EqualTo(new[] { Roles.Resident, Roles.Admin }));
    }
}
