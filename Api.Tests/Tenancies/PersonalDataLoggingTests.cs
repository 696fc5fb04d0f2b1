using System.Collections.Concurrent;
using System.Net.Http.Json;
using Linli.Api.Tests.Houses;
using Linli.Api.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Linli.Api.Tests.Tenancies;

public class PersonalDataLoggingTests
{
    [Test]
    public async Task RegisteringLookingUpAndReadingATenantLogsNoNumberOrPhone()
    {
        var capture = new CapturingLoggerProvider();
        // The deployed log levels, with everything Linli itself logs turned up to Trace.
        await using var factory = new LinliFactory(HousesApp.Settings());
        await using var logged = factory.WithWebHostBuilder(b => b
            .ConfigureLogging(l => l.AddProvider(capture).AddFilter("Linli", LogLevel.Trace)));
        _ = logged.Server;
        var world = await HouseWorld.CreateAsync(factory);
        var (landlordId, _) = await world.ResidentAsync();
        var landlordPhone = People.Phone();
        var number = People.IdNumber();
        var phone = People.Phone();
        var loggedClient = logged.CreateClient();
        var (token, _) = logged.Services.GetRequiredService<Linli.Api.Auth.AccessTokenIssuer>().Issue(world.WorkerId, [Linli.Domain.Identity.Roles.GridWorker]);
        loggedClient.DefaultRequestHeaders.Authorization = new("Bearer", token);

        var house = await HouseWorld.ReadAsync<Linli.Api.Houses.HouseDto>(await loggedClient.PostAsJsonAsync("/api/v1/houses",
            HouseWorld.HouseBody(world.CommunityId, world.GridId, null, landlordPhone), HousesApp.Json), System.Net.HttpStatusCode.Created);
        await world.SetPhoneAsync(landlordId, landlordPhone);
        await loggedClient.GetAsync($"/api/v1/houses/{house.Id}");
        await loggedClient.GetAsync($"/api/v1/h/{house.Code}");
        var created = await loggedClient.PostAsJsonAsync($"/api/v1/houses/{house.Id}/tenancies", HouseWorld.TenantBody(number, phone), HousesApp.Json);
        var tenancy = await HouseWorld.ReadAsync<Linli.Api.Tenancies.TenancyDto>(created, System.Net.HttpStatusCode.Created);
        await HouseWorld.LookupAsync(loggedClient, number);
        await loggedClient.GetAsync($"/api/v1/tenancies/{tenancy.Id}/document?reason=check");
        await loggedClient.PostAsJsonAsync($"/api/v1/houses/{house.Id}/tenancies", HouseWorld.TenantBody(number, phone), HousesApp.Json);

        var leaks = capture.Messages.Where(m => m.Contains(number, StringComparison.OrdinalIgnoreCase)
            || m.Contains(phone, StringComparison.Ordinal) || m.Contains(landlordPhone, StringComparison.Ordinal)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(capture.Messages, Is.Not.Empty, "the capture must see the app's logs");
            Assert.That(leaks, Is.Empty);
        });
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose() { }

        private sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                provider.Messages.Enqueue($"{category}: {formatter(state, exception)} {exception}");
        }
    }
}
