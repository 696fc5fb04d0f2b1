using System.Diagnostics;
using System.Net;
using Linli.Api.Tests.Support;

namespace Linli.Api.Tests.Hosting;

/// <summary>
/// openapi.yaml at the repository root is the contract clients build against: it must equal what the service serves.
/// </summary>
public class OpenApiDocumentTests
{
    public const string RegenerateCommand = "LINLI_WRITE_OPENAPI=1 ./test \"FullyQualifiedName~OpenApiDocumentTests\"";

    [TestCase("Staging", null, HttpStatusCode.NotFound)]
    [TestCase("Production", null, HttpStatusCode.NotFound)]
    [TestCase("Production", "true", HttpStatusCode.OK)]
    [TestCase("Development", null, HttpStatusCode.OK)]
    public async Task TheDocumentAndSwaggerUiAreServedOutsideDevelopmentOnlyWhenAsked(string environment, string? serve, HttpStatusCode expected)
    {
        await using var app = await ProbeApp.StartAsync(new Dictionary<string, string?> { ["OpenApi:Serve"] = serve }, environment);
        using var client = app.CreateClient();

        var document = await client.GetAsync("/swagger/v1/swagger.json");
        var ui = await client.GetAsync("/swagger/index.html");

        Assert.Multiple(() =>
        {
            Assert.That(document.StatusCode, Is.EqualTo(expected), string.Join("\n", app.Log.Lines));
            Assert.That(ui.StatusCode, Is.EqualTo(expected));
        });
    }

    [Test]
    public async Task TheCommittedOpenApiFileEqualsTheServedDocument()
    {
        using var client = SharedApp.Factory.CreateClient();
        var response = await client.GetAsync("/swagger/v1/swagger.yaml");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var served = Normalise(await response.Content.ReadAsStringAsync());
        var file = Path.Combine(RepositoryRoot.Path, "openapi.yaml");

        if (Environment.GetEnvironmentVariable("LINLI_WRITE_OPENAPI") == "1")
            await File.WriteAllTextAsync(file, served);

        var committed = File.Exists(file) ? Normalise(await File.ReadAllTextAsync(file)) : "";
        Assert.That(committed == served, Is.True,
            $"openapi.yaml differs from the document the service serves at /swagger/v1/swagger.yaml. Regenerate it with:\n  {RegenerateCommand}\n" +
            $"First difference: {FirstDifference(committed, served)}");
    }

    [Test]
    public async Task TheServedDocumentIsTheSameOnEveryRequest()
    {
        using var client = SharedApp.Factory.CreateClient();
        var first = await client.GetStringAsync("/swagger/v1/swagger.yaml");
        var second = await client.GetStringAsync("/swagger/v1/swagger.yaml");
        Assert.That(second, Is.EqualTo(first));
    }

    /// <summary>
    /// Spectral's standard OpenAPI rules (spectral:oas, in .spectral.yaml) find nothing in openapi.yaml, not even a hint:
    /// every operation described and tagged, tags defined, contact and servers given, no unused or invalid schema.
    /// scripts/test-deps.sh installs Spectral under .tools/spectral.
    /// </summary>
    [Test]
    public async Task SpectralsOpenApiRulesFindNothing()
    {
        var spectral = Path.Combine(RepositoryRoot.Path, ".tools", "spectral", "node_modules", ".bin", "spectral");
        Assert.That(File.Exists(spectral), Is.True, "Spectral is missing: scripts/test-deps.sh installs it (./test runs that script).");
        var start = new ProcessStartInfo(spectral)
        {
            WorkingDirectory = RepositoryRoot.Path, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var argument in new[] { "lint", "openapi.yaml", "--ruleset", ".spectral.yaml", "--fail-severity", "hint", "--format", "text" })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.That(process.ExitCode, Is.Zero, $"spectral lint openapi.yaml:\n{await output}{await error}");
    }

    private static string Normalise(string yaml) => yaml.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd() + "\n";

    private static string FirstDifference(string committed, string served)
    {
        var a = committed.Split('\n');
        var b = served.Split('\n');
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            var left = i < a.Length ? a[i] : "(end of file)";
            var right = i < b.Length ? b[i] : "(end of document)";
            if (left != right)
                return $"line {i + 1}: file has '{left}', service serves '{right}'";
        }
        return "none";
    }
}
