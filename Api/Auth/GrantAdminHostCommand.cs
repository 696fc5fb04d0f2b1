using System.Data.Common;
using Linli.Api.Hosting;
using Linli.Infrastructure.Data;

namespace Linli.Api.Auth;

/// <summary><c>dotnet Api.dll grant-admin &lt;openid&gt;</c> through the host's command dispatch (Api/Hosting/Commands.cs).</summary>
public sealed class GrantAdminHostCommand(DbDataSource db, TimeProvider clock, MigrationRunner migrations) : IHostCommand
{
    public string Name => GrantAdminCommand.Name;
    public string Usage => "grant-admin <openid>   make the user with this openid an admin (creates the user if needed)";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        if (args.Count != 1 || string.IsNullOrWhiteSpace(args[0]) || args[0].Length > 64)
        {
            await Console.Error.WriteLineAsync("usage: grant-admin <openid>");
            return 2;
        }
        // The command may run before the service ever started against this database.
        await migrations.ApplyAsync(cancellationToken);
        var userId = await GrantAdminCommand.GrantAsync(db, clock, args[0], cancellationToken);
        await Console.Out.WriteLineAsync($"admin granted: user {userId}");
        return 0;
    }
}
