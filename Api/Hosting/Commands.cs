using Linli.Infrastructure.Data;

namespace Linli.Api.Hosting;

/// <summary>
/// A one-shot command: <c>dotnet Api.dll &lt;name&gt; [args]</c> builds the app (same configuration and
/// services as the server), runs the command and exits with its code instead of serving.
/// A feature adds one by registering an implementation: <c>services.AddSingleton&lt;IHostCommand, GrantAdminCommand&gt;()</c>.
/// </summary>
public interface IHostCommand
{
    string Name { get; }
    /// <summary>One line for the usage text.</summary>
    string Usage { get; }
    Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken);
}

public static class Commands
{
    /// <summary>
    /// Splits <c>args</c> into the command (a first argument that is not an option) with its own arguments,
    /// and the rest, which goes to the host's configuration as usual.
    /// </summary>
    public static (string? Command, string[] CommandArgs, string[] HostArgs) Split(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-') || args[0].Contains('=', StringComparison.Ordinal))
            return (null, [], args);
        var commandArgs = args.Skip(1).TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        return (args[0], commandArgs, args[(1 + commandArgs.Length)..]);
    }

    public static async Task<int> RunAsync(IServiceProvider services, string name, IReadOnlyList<string> args)
    {
        var commands = services.GetServices<IHostCommand>().ToList();
        var command = commands.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal));
        if (command is null)
        {
            await Console.Error.WriteLineAsync($"Unknown command '{name}'. Commands:\n" +
                string.Join('\n', commands.OrderBy(c => c.Name, StringComparer.Ordinal).Select(c => $"  {c.Usage}")));
            return 2;
        }
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
        try
        {
            return await command.RunAsync(args, cancel.Token);
        }
        catch (MigrationMismatchException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
    }
}

/// <summary><c>migrate</c>: applies pending migrations and exits (the server also applies them at start-up).</summary>
public sealed class MigrateCommand(MigrationRunner migrations) : IHostCommand
{
    public string Name => "migrate";
    public string Usage => "migrate                apply pending database migrations and exit";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var applied = await migrations.ApplyAsync(cancellationToken);
        Console.WriteLine(applied == 0 ? "The database is up to date." : $"Applied {applied} migration(s).");
        return 0;
    }
}
