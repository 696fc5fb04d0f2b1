using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using Dapper;
using Linli.Api.Auth;
using Linli.Api.Hosting;
using Linli.Domain.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Linli.Api.Structure;

/// <summary>
/// Street offices, their communities, the grids and the departments that serve them all. Admins manage them;
/// community_staff may add and edit their own community's grids. Nothing is deleted: tickets and houses refer
/// to these rows, so <c>isActive=false</c> retires one. Everyone signed in reads the active ones.
/// </summary>
public static class StructureApi
{
    public static readonly IReadOnlyList<string> DepartmentKinds = ["functional", "police", "sanitation", "property", "utility", "partner", "other"];

    public static RouteGroupBuilder MapStructure(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1").WithTags("Structure").RequireAuthorization(Policies.SignedIn);
        group.MapStreetOffices();
        group.MapGet("/communities", ListCommunities).WithName(nameof(ListCommunities))
            .WithSummary("List communities")
            .WithDescription("The active communities by name; admins also see retired ones. Any signed-in user; changes nothing.");
        group.MapPost("/communities", CreateCommunity).WithName(nameof(CreateCommunity))
            .WithSummary("Create a community")
            .WithDescription("Adds a community to a street office (streetOfficeId). Admins only. A name already taken is a 409.")
            .ProducesProblem(StatusCodes.Status409Conflict).RequireAuthorization(Policies.Admin);
        group.MapPut("/communities/{id:long}", UpdateCommunity).WithName(nameof(UpdateCommunity))
            .WithSummary("Change a community")
            .WithDescription("Renames a community, moves it to another street office, changes its address, or retires it with isActive=false (nothing is deleted). Admins only. A name already taken is a 409.")
            .ProducesProblem(StatusCodes.Status409Conflict).RequireAuthorization(Policies.Admin);
        group.MapGet("/communities/{id:long}/grids", ListGrids).WithName(nameof(ListGrids))
            .WithSummary("List a community's grids")
            .WithDescription("The active grids of a community; admins and the community's own staff also see retired ones. Any signed-in user; changes nothing.");
        group.MapPost("/communities/{id:long}/grids", CreateGrid).WithName(nameof(CreateGrid))
            .WithSummary("Create a grid")
            .WithDescription("Adds a grid to a community. Admins and the community's own staff (other staff get 403). A name the community already uses is a 409.")
            .ProducesProblem(StatusCodes.Status409Conflict).RequireAuthorization(Policies.CommunityStaff);
        group.MapPut("/communities/{id:long}/grids/{gridId:long}", UpdateGrid).WithName(nameof(UpdateGrid))
            .WithSummary("Change a grid")
            .WithDescription("Renames a grid, sets its household count or retires it. Admins and the community's own staff (other staff get 403). A name the community already uses is a 409.")
            .ProducesProblem(StatusCodes.Status409Conflict).RequireAuthorization(Policies.CommunityStaff);
        group.MapGet("/departments", ListDepartments).WithName(nameof(ListDepartments))
            .WithSummary("List departments")
            .WithDescription("The active departments, which serve every community; admins also see retired ones. Any signed-in user; changes nothing.");
        group.MapPost("/departments", CreateDepartment).WithName(nameof(CreateDepartment))
            .WithSummary("Create a department")
            .WithDescription("Adds a department (环卫所, 派出所, 物业公司 …) of one of the fixed kinds. Admins only. A name already taken is a 409.")
            .ProducesProblem(StatusCodes.Status409Conflict).RequireAuthorization(Policies.Admin);
        group.MapPut("/departments/{id:long}", UpdateDepartment).WithName(nameof(UpdateDepartment))
            .WithSummary("Change a department")
            .WithDescription("Renames a department, changes its kind or phone, or retires it with isActive=false. Admins only. A name already taken is a 409.")
            .ProducesProblem(StatusCodes.Status409Conflict).RequireAuthorization(Policies.Admin);
        return group;
    }

    // Property records rather than positional ones: Dapper then converts column types (TINYINT → bool) instead of demanding exact constructor types.
    public sealed record CommunityDto
    {
        public long Id { get; init; }
        public string Name { get; init; } = "";
        public long StreetOfficeId { get; init; }
        public string StreetOfficeName { get; init; } = "";
        public string? Address { get; init; }
        public bool IsActive { get; init; }
    }

    public sealed record CommunityRequest(
        [Required, StringLength(100)] string Name,
        [Required, Range(1, long.MaxValue)] long? StreetOfficeId,
        [StringLength(200)] string? Address,
        bool? IsActive);
    public sealed record GridDto
    {
        public long Id { get; init; }
        public long CommunityId { get; init; }
        public string Name { get; init; } = "";
        public int? Households { get; init; }
        public bool IsActive { get; init; }
    }

    public sealed record GridRequest(
        [Required, StringLength(100)] string Name,
        [Range(0, 1_000_000)] int? Households,
        bool? IsActive);
    public sealed record DepartmentDto
    {
        public long Id { get; init; }
        public string Name { get; init; } = "";
        [OneOf(typeof(StructureApi), nameof(DepartmentKinds))]
        public string Kind { get; init; } = "";
        public string? Phone { get; init; }
        public bool IsActive { get; init; }
    }

    public sealed record DepartmentRequest(
        [Required, StringLength(100)] string Name,
        [Required, OneOf(typeof(StructureApi), nameof(DepartmentKinds))] string Kind,
        [StringLength(32)] string? Phone,
        bool? IsActive);

    // ---- communities ----

    /// <summary>Active communities; admins also see retired ones.</summary>
    public static async Task<Ok<IReadOnlyList<CommunityDto>>> ListCommunities(Caller caller, RequestConnection db, CancellationToken cancellationToken)
    {
        var connection = await db.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<CommunityDto>(new CommandDefinition("""
            SELECT c.id AS Id, c.name AS Name, c.street_office_id AS StreetOfficeId, s.name AS StreetOfficeName,
                   c.address AS Address, c.is_active AS IsActive
            FROM communities c JOIN street_offices s ON s.id = c.street_office_id
            WHERE c.is_active = 1 OR @all ORDER BY c.name
            """, new { all = caller.IsAdmin }, cancellationToken: cancellationToken));
        return TypedResults.Ok<IReadOnlyList<CommunityDto>>(rows.ToList());
    }

    public static async Task<Results<Created<CommunityDto>, ValidationProblem, ProblemHttpResult>> CreateCommunity(
        CommunityRequest request, RequestConnection db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var connection = await db.OpenAsync(cancellationToken);
        if (!await StreetOfficesApi.IsActiveAsync(connection, request.StreetOfficeId!.Value, cancellationToken))
            return StreetOfficesApi.NoSuchStreetOffice();
        // IGNORE: only the unique name can fail here (validated above), and that is a conflict, not an error.
        var inserted = await connection.ExecuteAsync(new CommandDefinition("""
            INSERT IGNORE INTO communities (name, street_office_id, address, is_active, created_at, updated_at)
            VALUES (@name, @StreetOfficeId, @address, 1, @now, @now)
            """, new { name = request.Name.Trim(), request.StreetOfficeId, address = request.Address?.Trim(), now = clock.GetUtcNow().UtcDateTime },
            cancellationToken: cancellationToken));
        if (inserted == 0)
            return NameTaken("community", request.Name);
        var created = await connection.QuerySingleAsync<CommunityDto>(new CommandDefinition("""
            SELECT c.id AS Id, c.name AS Name, c.street_office_id AS StreetOfficeId, s.name AS StreetOfficeName,
                   c.address AS Address, c.is_active AS IsActive
            FROM communities c JOIN street_offices s ON s.id = c.street_office_id WHERE c.name = @name
            """, new { name = request.Name.Trim() }, cancellationToken: cancellationToken));
        return TypedResults.Created($"/api/v1/communities/{created.Id}", created);
    }

    public static async Task<Results<Ok<CommunityDto>, NotFound, ValidationProblem, ProblemHttpResult>> UpdateCommunity(
        long id, CommunityRequest request, RequestConnection db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var name = request.Name.Trim();
        var connection = await db.OpenAsync(cancellationToken);
        // A missing community is a 404 whatever its new name would collide with.
        if (await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT id FROM communities WHERE id = @id", new { id }, cancellationToken: cancellationToken)) is null)
            return TypedResults.NotFound();
        if (!await StreetOfficesApi.IsActiveAsync(connection, request.StreetOfficeId!.Value, cancellationToken))
            return StreetOfficesApi.NoSuchStreetOffice();
        if (await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT id FROM communities WHERE name = @name AND id <> @id", new { name, id }, cancellationToken: cancellationToken)) is not null)
            return NameTaken("community", name);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE communities SET name = @name, street_office_id = @StreetOfficeId, address = @address,
                   is_active = COALESCE(@IsActive, is_active), updated_at = @now
            WHERE id = @id
            """, new { id, name, request.StreetOfficeId, address = request.Address?.Trim(), request.IsActive, now = clock.GetUtcNow().UtcDateTime },
            cancellationToken: cancellationToken));
        var row = await connection.QuerySingleOrDefaultAsync<CommunityDto>(new CommandDefinition("""
            SELECT c.id AS Id, c.name AS Name, c.street_office_id AS StreetOfficeId, s.name AS StreetOfficeName,
                   c.address AS Address, c.is_active AS IsActive
            FROM communities c JOIN street_offices s ON s.id = c.street_office_id WHERE c.id = @id
            """, new { id }, cancellationToken: cancellationToken));
        return row is null ? TypedResults.NotFound() : TypedResults.Ok(row);
    }

    // ---- grids ----

    /// <summary>A community's grids: active ones for everyone; admins and the community's own staff also see retired ones.</summary>
    public static async Task<Results<Ok<IReadOnlyList<GridDto>>, NotFound>> ListGrids(long id, Caller caller, RequestConnection db, CancellationToken cancellationToken)
    {
        var connection = await db.OpenAsync(cancellationToken);
        var access = await AccessAsync(connection, id, caller, cancellationToken);
        if (access is null)
            return TypedResults.NotFound();
        var rows = await connection.QueryAsync<GridDto>(new CommandDefinition("""
            SELECT id AS Id, community_id AS CommunityId, name AS Name, households AS Households, is_active AS IsActive
            FROM grids WHERE community_id = @id AND (is_active = 1 OR @all) ORDER BY name
            """, new { id, all = access.Value }, cancellationToken: cancellationToken));
        return TypedResults.Ok<IReadOnlyList<GridDto>>(rows.ToList());
    }

    public static async Task<Results<Created<GridDto>, NotFound, ForbidHttpResult, ProblemHttpResult>> CreateGrid(
        long id, GridRequest request, Caller caller, RequestConnection db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var name = request.Name.Trim();
        var connection = await db.OpenAsync(cancellationToken);
        var access = await AccessAsync(connection, id, caller, cancellationToken);
        if (access is null)
            return TypedResults.NotFound();
        if (!access.Value)
            return TypedResults.Forbid();
        // The scope is part of the statement itself: the row is only written for an admin or this community's staff.
        var inserted = await connection.ExecuteAsync(new CommandDefinition("""
            INSERT IGNORE INTO grids (community_id, name, households, is_active, created_at, updated_at)
            SELECT c.id, @name, @Households, 1, @now, @now FROM communities c
            WHERE c.id = @id AND (@admin = 1 OR c.id IN @staffCommunities)
            """, caller.With(new { id, name, request.Households, now = clock.GetUtcNow().UtcDateTime }),
            cancellationToken: cancellationToken));
        if (inserted == 0)
            return NameTaken("grid", name);
        var grid = await connection.QuerySingleAsync<GridDto>(new CommandDefinition("""
            SELECT id AS Id, community_id AS CommunityId, name AS Name, households AS Households, is_active AS IsActive
            FROM grids WHERE community_id = @id AND name = @name
            """, new { id, name }, cancellationToken: cancellationToken));
        return TypedResults.Created($"/api/v1/communities/{id}/grids/{grid.Id}", grid);
    }

    public static async Task<Results<Ok<GridDto>, NotFound, ForbidHttpResult, ProblemHttpResult>> UpdateGrid(
        long id, long gridId, GridRequest request, Caller caller, RequestConnection db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var name = request.Name.Trim();
        var connection = await db.OpenAsync(cancellationToken);
        var access = await AccessAsync(connection, id, caller, cancellationToken);
        if (access is null)
            return TypedResults.NotFound();
        if (!access.Value)
            return TypedResults.Forbid();
        if (await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT id FROM grids WHERE community_id = @id AND name = @name AND id <> @gridId", new { id, name, gridId }, cancellationToken: cancellationToken)) is not null)
            return NameTaken("grid", name);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE grids g SET g.name = @name, g.households = @Households, g.is_active = COALESCE(@IsActive, g.is_active), g.updated_at = @now
            WHERE g.id = @gridId AND g.community_id = @id AND (@admin = 1 OR g.community_id IN @staffCommunities)
            """, caller.With(new { id, gridId, name, request.Households, request.IsActive, now = clock.GetUtcNow().UtcDateTime }),
            cancellationToken: cancellationToken));
        var grid = await connection.QuerySingleOrDefaultAsync<GridDto>(new CommandDefinition("""
            SELECT id AS Id, community_id AS CommunityId, name AS Name, households AS Households, is_active AS IsActive
            FROM grids WHERE id = @gridId AND community_id = @id
            """, new { id, gridId }, cancellationToken: cancellationToken));
        return grid is null ? TypedResults.NotFound() : TypedResults.Ok(grid);
    }

    // ---- departments ----

    /// <summary>Active departments (they serve every community); admins also see retired ones.</summary>
    public static async Task<Ok<IReadOnlyList<DepartmentDto>>> ListDepartments(Caller caller, RequestConnection db, CancellationToken cancellationToken)
    {
        var connection = await db.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<DepartmentDto>(new CommandDefinition("""
            SELECT id AS Id, name AS Name, kind AS Kind, phone AS Phone, is_active AS IsActive
            FROM departments WHERE is_active = 1 OR @all ORDER BY name
            """, new { all = caller.IsAdmin }, cancellationToken: cancellationToken));
        return TypedResults.Ok<IReadOnlyList<DepartmentDto>>(rows.ToList());
    }

    public static async Task<Results<Created<DepartmentDto>, ProblemHttpResult>> CreateDepartment(
        DepartmentRequest request, RequestConnection db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var name = request.Name.Trim();
        var connection = await db.OpenAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync(new CommandDefinition("""
            INSERT IGNORE INTO departments (name, kind, phone, is_active, created_at, updated_at)
            VALUES (@name, @Kind, @phone, 1, @now, @now)
            """, new { name, request.Kind, phone = request.Phone?.Trim(), now = clock.GetUtcNow().UtcDateTime }, cancellationToken: cancellationToken));
        if (inserted == 0)
            return NameTaken("department", name);
        var created = await connection.QuerySingleAsync<DepartmentDto>(new CommandDefinition("""
            SELECT id AS Id, name AS Name, kind AS Kind, phone AS Phone, is_active AS IsActive FROM departments WHERE name = @name
            """, new { name }, cancellationToken: cancellationToken));
        return TypedResults.Created($"/api/v1/departments/{created.Id}", created);
    }

    public static async Task<Results<Ok<DepartmentDto>, NotFound, ProblemHttpResult>> UpdateDepartment(
        long id, DepartmentRequest request, RequestConnection db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var name = request.Name.Trim();
        var connection = await db.OpenAsync(cancellationToken);
        // A missing department is a 404 whatever its new name would collide with.
        if (await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT id FROM departments WHERE id = @id", new { id }, cancellationToken: cancellationToken)) is null)
            return TypedResults.NotFound();
        if (await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT id FROM departments WHERE name = @name AND id <> @id", new { name, id }, cancellationToken: cancellationToken)) is not null)
            return NameTaken("department", name);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE departments SET name = @name, kind = @Kind, phone = @phone, is_active = COALESCE(@IsActive, is_active), updated_at = @now
            WHERE id = @id
            """, new { id, name, request.Kind, phone = request.Phone?.Trim(), request.IsActive, now = clock.GetUtcNow().UtcDateTime }, cancellationToken: cancellationToken));
        var row = await connection.QuerySingleOrDefaultAsync<DepartmentDto>(new CommandDefinition("""
            SELECT id AS Id, name AS Name, kind AS Kind, phone AS Phone, is_active AS IsActive FROM departments WHERE id = @id
            """, new { id }, cancellationToken: cancellationToken));
        return row is null ? TypedResults.NotFound() : TypedResults.Ok(row);
    }

    // ---- helpers ----

    /// <summary>null: no such community; true: the caller manages it (admin or its community_staff); false: they may only read.</summary>
    private static async Task<bool?> AccessAsync(DbConnection connection, long communityId, Caller caller, CancellationToken cancellationToken)
    {
        var exists = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM communities WHERE id = @communityId", new { communityId }, cancellationToken: cancellationToken));
        return exists is null ? null : caller.Can(Roles.CommunityStaff, communityId);
    }

    // TypedResults.Problem, not Conflict(problem): only the former is written as application/problem+json with a traceId.
    internal static ProblemHttpResult NameTaken(string what, string name) =>
        TypedResults.Problem(title: $"The {what} name is taken", detail: $"Another {what} is already named '{name.Trim()}'.",
            statusCode: StatusCodes.Status409Conflict);
}
