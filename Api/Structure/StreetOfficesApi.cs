using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using Dapper;
using Linli.Api.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Linli.Api.Hosting;

namespace Linli.Api.Structure;

/// <summary>
/// Street offices (街道办事处), the level above communities: every community belongs to one, and a street leader's
/// role is scoped to one. Admins manage them; nothing is deleted, <c>isActive=false</c> retires one.
/// </summary>
public static class StreetOfficesApi
{
    public sealed record StreetOfficeDto
    {
        public long Id { get; init; }
        public string Name { get; init; } = "";
        public string? Area { get; init; }
        public bool IsActive { get; init; }
    }

    public sealed record StreetOfficeRequest(
        [Required, StringLength(100)] string Name,
        [StringLength(200)] string? Area,
        bool? IsActive);

    public static RouteGroupBuilder MapStreetOffices(this RouteGroupBuilder group)
    {
        group.MapGet("/street-offices", ListStreetOffices).WithName(nameof(ListStreetOffices))
            .WithSummary("List street offices")
            .WithDescription("The active street offices, by name; admins also see retired ones. Any signed-in user may call it.");
        group.MapPost("/street-offices", CreateStreetOffice).WithName(nameof(CreateStreetOffice))
            .WithSummary("Create a street office")
            .WithDescription("Adds a street office. Admins only. A name that is already taken is a 409.")
            .ProducesProblem(StatusCodes.Status409Conflict).RequireAuthorization(Policies.Admin);
        group.MapPut("/street-offices/{id:long}", UpdateStreetOffice).WithName(nameof(UpdateStreetOffice))
            .WithSummary("Rename, describe or retire a street office")
            .WithDescription("Changes a street office's name, area and whether it is active. Admins only. A name another "
                + "street office has is a 409; a missing id is a 404.")
            .ProducesProblem(StatusCodes.Status409Conflict).RequireAuthorization(Policies.Admin);
        return group;
    }

    private const string Select = "SELECT id AS Id, name AS Name, area AS Area, is_active AS IsActive FROM street_offices";

    public static async Task<Ok<IReadOnlyList<StreetOfficeDto>>> ListStreetOffices(Caller caller, RequestConnection db, CancellationToken cancellationToken)
    {
        var connection = await db.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<StreetOfficeDto>(new CommandDefinition(
            Select + " WHERE is_active = 1 OR @all ORDER BY name", new { all = caller.IsAdmin }, cancellationToken: cancellationToken));
        return TypedResults.Ok<IReadOnlyList<StreetOfficeDto>>(rows.ToList());
    }

    public static async Task<Results<Created<StreetOfficeDto>, ProblemHttpResult>> CreateStreetOffice(
        StreetOfficeRequest request, RequestConnection db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var name = request.Name.Trim();
        var connection = await db.OpenAsync(cancellationToken);
        // IGNORE: only the unique name can refuse the row, and that is a conflict.
        var inserted = await connection.ExecuteAsync(new CommandDefinition("""
            INSERT IGNORE INTO street_offices (name, area, is_active, created_at, updated_at)
            VALUES (@name, @area, 1, @now, @now)
            """, new { name, area = request.Area?.Trim(), now = clock.GetUtcNow().UtcDateTime }, cancellationToken: cancellationToken));
        if (inserted == 0)
            return StructureApi.NameTaken("street office", name);
        var created = await connection.QuerySingleAsync<StreetOfficeDto>(new CommandDefinition(
            Select + " WHERE name = @name", new { name }, cancellationToken: cancellationToken));
        return TypedResults.Created($"/api/v1/street-offices/{created.Id}", created);
    }

    public static async Task<Results<Ok<StreetOfficeDto>, NotFound, ProblemHttpResult>> UpdateStreetOffice(
        long id, StreetOfficeRequest request, RequestConnection db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var name = request.Name.Trim();
        var connection = await db.OpenAsync(cancellationToken);
        if (await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT id FROM street_offices WHERE id = @id", new { id }, cancellationToken: cancellationToken)) is null)
            return TypedResults.NotFound();
        if (await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT id FROM street_offices WHERE name = @name AND id <> @id", new { name, id }, cancellationToken: cancellationToken)) is not null)
            return StructureApi.NameTaken("street office", name);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE street_offices SET name = @name, area = @area, is_active = COALESCE(@IsActive, is_active), updated_at = @now
            WHERE id = @id
            """, new { id, name, area = request.Area?.Trim(), request.IsActive, now = clock.GetUtcNow().UtcDateTime }, cancellationToken: cancellationToken));
        return TypedResults.Ok(await connection.QuerySingleAsync<StreetOfficeDto>(new CommandDefinition(
            Select + " WHERE id = @id", new { id }, cancellationToken: cancellationToken)));
    }

    /// <summary>Whether an active street office has this id (a community may only join an active one).</summary>
    internal static async Task<bool> IsActiveAsync(DbConnection connection, long id, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM street_offices WHERE id = @id AND is_active = 1", new { id }, cancellationToken: cancellationToken)) is not null;

    internal static ValidationProblem NoSuchStreetOffice() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["streetOfficeId"] = ["No active street office has this id."] });
}
