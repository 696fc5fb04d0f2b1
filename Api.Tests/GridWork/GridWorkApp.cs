using Linli.Api.Tests.Houses;
using Linli.Api.Tests.Support;

namespace Linli.Api.Tests.GridWork;

/// <summary>An app of its own whose clock a test sets: background workers off, so rounds run only when the test says.</summary>
public static class GridWorkApp
{
    public static LinliFactory Create(DateTimeOffset now)
    {
        var settings = HousesApp.Settings();
        settings["Tickets:RunWorkers"] = "false";
        settings["GridWork:RunWorkers"] = "false";
        var factory = new LinliFactory(settings);
        factory.Clock.SetUtcNow(now);
        _ = factory.Server;
        return factory;
    }
}
