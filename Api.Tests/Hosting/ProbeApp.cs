using Linli.Api.Auth;
using Linli.Api.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Linli.Api.Tests.Hosting;

/// <summary>
/// The service's real request pipeline (AddLinliHosting/UseLinliHosting, exactly what Program.cs uses) around a few
/// endpoints that fail on purpose, so every error shape can be checked without a database.
/// </summary>
public sealed class ProbeApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ProbeApp(WebApplication app, CapturedLog log) => (_app, Log) = (app, log);

    /// <summary>Everything the app logged.</summary>
    public CapturedLog Log { get; }

    public sealed record Echo(string Name, int Count);

    public static async Task<ProbeApp> StartAsync(IDictionary<string, string?>? settings = null, string environment = "Testing")
    {
        var log = new CapturedLog();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.AddLinliHosting();
        builder.Logging.AddProvider(log);
        builder.Services.AddAuthentication().AddJwtBearer();
        builder.Services.AddAuthorization(Policies.Add);
        var app = builder.Build();
        app.UseLinliHosting();

        // Not part of the contract: the document stays the service's own (its tag check knows only the service's tags).
        var probe = app.MapGroup("/probe").AllowAnonymous().ExcludeFromDescription();
        probe.MapPost("/echo", (Echo body) => TypedResults.Ok(body));
        probe.MapGet("/items/{id:long}", (long id) => TypedResults.Ok(id));
        probe.MapGet("/plain/{id}", (long id) => TypedResults.Ok(id));
        probe.MapGet("/boom", string () => throw new InvalidOperationException("secret internals"));
        probe.MapGet("/invalid", string () => throw Invalid.Field("gridId", "Choose a grid of this community."));
        probe.MapGet("/missing", string () => throw new NotFoundException("No such ticket."));
        probe.MapGet("/forbidden", string () => throw new ForbiddenException("Not your community."));
        probe.MapGet("/conflict", string () => throw new ConflictException("The ticket was already claimed.",
            new Dictionary<string, object?> { ["currentState"] = "claimed", ["allowedActions"] = new[] { "view" } }));
        // A real duplicate-key error from the real server, as a request that lost a race past its own check would get.
        probe.MapGet("/duplicate", async () =>
        {
            await using var connection = new MySqlConnector.MySqlConnection(Support.TestDatabase.ConnectionString);
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TEMPORARY TABLE probe_unique (id INT PRIMARY KEY); INSERT INTO probe_unique VALUES (1), (1)";
            await command.ExecuteNonQueryAsync();
            return TypedResults.Ok("unreachable");
        });
        probe.MapGet("/limited", () => TypedResults.Ok("fine")).RequireRateLimiting(RateLimits.SignIn);
        probe.MapPost("/upload", (HttpRequest r) => TypedResults.Ok(r.ContentLength)).WithMetadata(new RequestSizeLimitAttribute(4 * 1024 * 1024));
        app.MapGet("/signed-in-only", () => TypedResults.Ok("secret")).ExcludeFromDescription();

        await app.StartAsync();
        return new ProbeApp(app, log);
    }

    public HttpClient CreateClient() => _app.GetTestClient();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

public sealed class CapturedLog : ILoggerProvider
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose() { }

    private sealed class Logger(CapturedLog log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
                log._lines.Enqueue(formatter(state, exception));
        }
    }
}
