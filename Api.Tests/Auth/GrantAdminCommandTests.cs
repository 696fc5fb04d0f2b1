using System.Data.Common;
using Linli.Api.Auth;
using Linli.Api.Tests.Support;
using Linli.Domain.Identity;
using Microsoft.AspNetCore.Builder;
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
    public async Task TheCommandRunsAgainstTheRunningServicesDatabaseAndExits()
    {
        var name = TestData.Unique("cmd");
        // A second host on the same database while the API (Factory) is serving, as `Api grant-admin <openid>` is.
        var builder = WebApplication.CreateBuilder();
        builder.Services.AddSingleton(Factory.Services.GetRequiredService<DbDataSource>());
        builder.Services.AddSingleton<TimeProvider>(Factory.Clock);
        await using var command = builder.Build();
        Assert.Multiple(async () =>
        {
            Assert.That(await command.RunIdentityCommandAsync(["grant-admin", "sim-" + name]), Is.True, "the process exits after the command");
            Assert.That(await command.RunIdentityCommandAsync(["--urls", "http://127.0.0.1:0"]), Is.False, "no command: serve as usual");
        });
        var session = await SignIn.AsAsync(Factory, name);
        Assert.That(session.User.Roles, Is.EqualTo(new[] { Roles.Resident, Roles.Admin }));
    }
}
