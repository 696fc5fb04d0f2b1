using System.Diagnostics;

namespace Linli.Api.Tests.Support;

/// <summary>The test MariaDB as a process: tests of recovery restart it with the command <c>./test</c> provides.</summary>
public static class DatabaseServer
{
    /// <summary>Stops and starts the server (LINLI_TEST_DB_RESTART); fails the test if that takes longer than <paramref name="limit"/>.</summary>
    public static async Task RestartAsync(TimeSpan limit)
    {
        var commandLine = Environment.GetEnvironmentVariable("LINLI_TEST_DB_RESTART")
            ?? throw new InvalidOperationException("LINLI_TEST_DB_RESTART is not set: run the tests with ./test, which sets it.");
        var start = new ProcessStartInfo("/bin/bash", ["-c", commandLine])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start bash");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"'{commandLine}' did not finish within {limit}");
        }
        Assert.That(process.ExitCode, Is.Zero, $"'{commandLine}' failed: {await output} {await errors}");
    }
}
