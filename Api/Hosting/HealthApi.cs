using System.Data.Common;
using Dapper;
using Linli.Infrastructure.Data;
using Linli.Infrastructure.Notifications;
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

    /// <param name="Status"><c>ready</c>, <c>migrations_pending</c> or <c>database_unreachable</c>.</param>
    /// <param name="PendingMigrations">The migrations not yet applied, when there are any.</param>
    /// <param name="UndeliverableMessages">Subscribe messages given up for good in the last 24 hours, per notification kind
    /// (a wrong template id, keyword layout or page shows here); only when there are any. The instance stays ready.</param>
    public sealed record HealthDto(string Status, IReadOnlyList<int>? PendingMigrations = null, IReadOnlyDictionary<string, int>? UndeliverableMessages = null);

    private static async Task<Results<Ok<HealthDto>, JsonHttpResult<HealthDto>>> Ready(
        DbDataSource db, MigrationRunner migrations, TimeProvider clock, CancellationToken ct)
    {
        try
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: ct));
            var pending = await migrations.PendingAsync(ct);
            if (pending.Count == 0)
            {
                var undeliverable = await UndeliverableMessages.PerKindAsync(connection, clock.GetUtcNow(), ct);
                return TypedResults.Ok(new HealthDto("ready", UndeliverableMessages: undeliverable.Count > 0 ? undeliverable : null));
            }
            return TypedResults.Json(new HealthDto("migrations_pending", pending), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        catch (DbException)
        {
            return TypedResults.Json(new HealthDto("database_unreachable"), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
