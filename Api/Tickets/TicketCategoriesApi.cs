using System.Data.Common;
using Dapper;
using Linli.Api.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Linli.Api.Hosting;

namespace Linli.Api.Tickets;

/// <summary>Ticket categories: everyone signed in reads the active ones, admins manage them.</summary>
public static class TicketCategoriesApi
{
    public static RouteGroupBuilder MapTicketCategories(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/ticket-categories").WithTags("Tickets").RequireAuthorization(Policies.SignedIn);
        group.MapGet("/", ListCategories).WithName(nameof(ListCategories))
            .WithSummary("List ticket categories")
            .WithDescription("Anyone signed in reads the active categories (admins may add inactive ones), each with its default due window in hours and the department the dispatch form suggests.");
        group.MapPost("/", CreateCategory).WithName(nameof(CreateCategory))
            .WithSummary("Create a ticket category")
            .WithDescription("Admins add a category with its due window (dueHours, 1 to 8760; default 72) and optionally a default department (an active one, else 400). A name in use is 409.").ProducesProblem(StatusCodes.Status409Conflict).RequireAuthorization(Policies.Admin);
        group.MapPut("/{id:long}", UpdateCategory).WithName(nameof(UpdateCategory))
            .WithSummary("Change a ticket category")
            .WithDescription("Admins rename, reorder, (de)activate a category or change its due window and default department; fields left out keep their values, clearDefaultDepartment removes the default. Unknown id 404, a name in use 409.").ProducesProblem(StatusCodes.Status409Conflict).RequireAuthorization(Policies.Admin);
        return group;
    }

    private sealed class CategoryRow
    {
        public long Id { get; init; }
        public string Name { get; init; } = "";
        public int SortOrder { get; init; }
        public bool IsActive { get; init; }
        public int DueHours { get; init; }
        public long? DefaultDepartmentId { get; init; }
        public CategoryDto ToDto() => new(Id, Name, SortOrder, IsActive, DueHours, DefaultDepartmentId);
    }

    /// <summary>The due window of a category created without one; the column's default says the same.</summary>
    private const int DefaultDueHours = 72;

    private static async Task<bool> UnknownDepartmentAsync(DbConnection connection, long? departmentId, CancellationToken ct) =>
        departmentId is { } id && await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM departments WHERE id = @id AND is_active = 1", new { id }, cancellationToken: ct)) is null;

    private static ValidationProblem UnknownDepartment() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["defaultDepartmentId"] = ["No active department has this id."] });

    public static async Task<Ok<List<CategoryDto>>> ListCategories(RequestConnection db, CancellationToken ct, bool includeInactive = false)
    {
        var connection = await db.OpenAsync(ct);
        // A handful of rows: no index needed beyond the table itself.
        var rows = await connection.QueryAsync<CategoryRow>(new CommandDefinition("""
            SELECT id, name, sort_order, is_active, due_hours, default_department_id FROM ticket_categories
            WHERE is_active = 1 OR @includeInactive
            ORDER BY sort_order, id
            """, new { includeInactive }, cancellationToken: ct));
        return TypedResults.Ok(rows.Select(r => r.ToDto()).ToList());
    }

    public static async Task<Results<Created<CategoryDto>, ValidationProblem, ProblemHttpResult>> CreateCategory(
        CreateCategoryRequest request, RequestConnection db, TimeProvider clock, CancellationToken ct)
    {
        var name = request.Name.Trim();
        var connection = await db.OpenAsync(ct);
        if (await UnknownDepartmentAsync(connection, request.DefaultDepartmentId, ct))
            return UnknownDepartment();
        var now = clock.GetUtcNow().UtcDateTime;
        var inserted = await connection.ExecuteAsync(new CommandDefinition("""
            INSERT IGNORE INTO ticket_categories (name, sort_order, due_hours, default_department_id, is_active, created_at, updated_at)
            VALUES (@name, @sortOrder, @dueHours, @defaultDepartmentId, @isActive, @now, @now)
            """, new
        {
            name, sortOrder = request.SortOrder ?? 1000, dueHours = request.DueHours ?? DefaultDueHours,
            defaultDepartmentId = request.DefaultDepartmentId, isActive = request.IsActive ?? true, now,
        }, cancellationToken: ct));
        if (inserted == 0)
            // TypedResults.Problem, not Conflict(problem): only the former is written as application/problem+json with a traceId.
            return TypedResults.Problem(title: "Category exists", detail: $"A category named {name} already exists.",
                statusCode: StatusCodes.Status409Conflict);
        var row = await connection.QuerySingleAsync<CategoryRow>(new CommandDefinition(
            "SELECT id, name, sort_order, is_active, due_hours, default_department_id FROM ticket_categories WHERE name = @name", new { name }, cancellationToken: ct));
        return TypedResults.Created($"/api/v1/ticket-categories/{row.Id}", row.ToDto());
    }

    public static async Task<Results<Ok<CategoryDto>, NotFound, ValidationProblem, ProblemHttpResult>> UpdateCategory(
        long id, UpdateCategoryRequest request, RequestConnection db, TimeProvider clock, CancellationToken ct)
    {
        var name = request.Name?.Trim();
        var connection = await db.OpenAsync(ct);
        if (await UnknownDepartmentAsync(connection, request.DefaultDepartmentId, ct))
            return UnknownDepartment();
        // Renaming onto another category's name would break the unique key (a 500); a missing id is still a 404 first.
        if (name is not null && await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT id FROM ticket_categories WHERE name = @name AND id <> @id", new { name, id }, cancellationToken: ct)) is not null)
        {
            if (await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                    "SELECT id FROM ticket_categories WHERE id = @id", new { id }, cancellationToken: ct)) is null)
                return TypedResults.NotFound();
            return TypedResults.Problem(title: "Category exists", detail: $"A category named {name} already exists.",
                statusCode: StatusCodes.Status409Conflict);
        }
        var changed = await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE ticket_categories
            SET name = COALESCE(@name, name), sort_order = COALESCE(@sortOrder, sort_order),
                is_active = COALESCE(@isActive, is_active), due_hours = COALESCE(@dueHours, due_hours),
                default_department_id = CASE WHEN @clear THEN NULL ELSE COALESCE(@defaultDepartmentId, default_department_id) END,
                updated_at = @now
            WHERE id = @id
            """, new
        {
            id, name, sortOrder = request.SortOrder, isActive = request.IsActive, dueHours = request.DueHours,
            defaultDepartmentId = request.DefaultDepartmentId, clear = request.ClearDefaultDepartment == true,
            now = clock.GetUtcNow().UtcDateTime,
        }, cancellationToken: ct));
        if (changed == 0)
            return TypedResults.NotFound();
        var row = await connection.QuerySingleAsync<CategoryRow>(new CommandDefinition(
            "SELECT id, name, sort_order, is_active, due_hours, default_department_id FROM ticket_categories WHERE id = @id", new { id }, cancellationToken: ct));
        return TypedResults.Ok(row.ToDto());
    }
}
