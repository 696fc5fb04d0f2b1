using System.Data.Common;
using Dapper;
using Linli.Infrastructure.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Linli.Api.Hosting;

public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/health").WithTags("Health").AllowAnonymous();
        group.MapGet("/live", () => TypedResults.Ok(new HealthDto("live"))).WithName("Live")
            .WithSummary("Liveness")
            .WithDescription("Answers 200 while the process runs. Anyone; changes nothing.");
        group.MapGet("/ready", Ready).WithName(nameof(Ready))
            .WithSummary("Readiness")
            .WithDescription("Answers 200 when the database is reachable and every migration is applied, 503 otherwise. Anyone; changes nothing.")
            .Produces<HealthDto>(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    public sealed record HealthDto(string Status, IReadOnlyList<int>? PendingMigrations = null);

    private static async Task<Results<Ok<HealthDto>, JsonHttpResult<HealthDto>>> Ready(
        DbDataSource db, MigrationRunner migrations, CancellationToken ct)
    {
        try
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: ct));
            var pending = await migrations.PendingAsync(ct);
            return pending.Count == 0
                ? TypedResults.Ok(new HealthDto("ready"))
                : TypedResults.Json(new HealthDto("migrations_pending", pending), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        catch (DbException)
        {
            return TypedResults.Json(new HealthDto("database_unreachable"), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
