using System.Data.Common;
using System.Security.Claims;
using Dapper;
using Linli.Api.Auth;
using Linli.Api.Hosting;
using Linli.Api.Tickets;
using Linli.Infrastructure.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Linli.Api.Uploads;

/// <summary>Photo uploads for tickets. A photo is readable by its uploader until attached, then by whoever may see its ticket.</summary>
public static class UploadsApi
{
    public const long MaxBytes = 10 * 1024 * 1024;

    public static RouteGroupBuilder MapUploads(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/uploads").WithTags("Uploads").RequireAuthorization(Policies.SignedIn);
        group.MapPost("/", Upload).WithName(nameof(Upload))
            .WithSummary("Upload a photo")
            .WithDescription("Stores one photo to attach to a ticket by its id (when reporting, or with progress and resolve). Any signed-in user; until attached only they can read it.")
            .DisableAntiforgery()
            // The multipart envelope adds a little to the file itself.
            .WithMetadata(new RequestSizeLimitAttribute(MaxBytes + 64 * 1024))
            .WithMetadata(new FileUpload("file", ["image/jpeg", "image/png", "image/webp"], MaxBytes, "The photo, as the field `file` of a multipart/form-data body."));
        group.MapGet("/{id:long}", GetUpload).WithName(nameof(GetUpload))
            .WithSummary("Read a photo")
            .WithDescription("The photo's bytes. Its uploader until it is attached to a ticket, then whoever may see that ticket; for anyone else it does not exist (404).")
            .WithMetadata(new FileDownload("The photo.", "image/jpeg", "image/png", "image/webp"));
        return group;
    }

    public sealed record UploadDto(long Id, string ContentType, long SizeBytes, string Url);

    public static async Task<Results<Created<UploadDto>, ValidationProblem>> Upload(
        HttpRequest request, ClaimsPrincipal user, DbDataSource db, UploadStorage storage, TimeProvider clock, CancellationToken ct)
    {
        if (request.ContentLength is > MaxBytes + 64 * 1024)
            return Invalid("The photo must be at most 10 MB.");
        if (!request.HasFormContentType)
            return Invalid("Send the photo as multipart/form-data in the field 'file'.");
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(ct);
        }
        catch (InvalidDataException)
        {
            return Invalid("The photo must be at most 10 MB.");
        }
        catch (IOException e) when (e is not BadHttpRequestException && !ct.IsCancellationRequested)
        {
            // A multipart body cut off before its closing boundary; BadHttpRequestException (too large) stays a 413.
            return Invalid("The multipart body is incomplete.");
        }
        var file = form.Files.GetFile("file") ?? (form.Files.Count > 0 ? form.Files[0] : null);
        if (file is null || file.Length == 0)
            return Invalid("Send the photo as multipart/form-data in the field 'file'.");
        if (file.Length > MaxBytes)
            return Invalid("The photo must be at most 10 MB.");

        await using var stream = file.OpenReadStream();
        var head = new byte[12];
        var read = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        if (ImageSniffer.Detect(head.AsSpan(0, read)) is not var (contentType, extension))
            return Invalid("Only JPEG, PNG or WebP images are accepted.");
        stream.Position = 0;
        var stored = await storage.SaveAsync(stream, extension, ct);

        await using var connection = await db.OpenConnectionAsync(ct);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO uploads (uploader_id, stored_name, content_type, size_bytes, created_at)
            VALUES (@me, @stored, @contentType, @size, @now);
            SELECT LAST_INSERT_ID();
            """, new { me = user.GetUserId(), stored, contentType, size = (int)file.Length, now = clock.GetUtcNow().UtcDateTime },
            cancellationToken: ct));
        return TypedResults.Created(TicketView.PhotoUrl(id), new UploadDto(id, contentType, file.Length, TicketView.PhotoUrl(id)));
    }

    private sealed class UploadRow
    {
        public long UploaderId { get; init; }
        public string StoredName { get; init; } = "";
        public string ContentType { get; init; } = "";
        public long? TicketId { get; init; }
    }

    public static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> GetUpload(
        long id, ClaimsPrincipal user, DbDataSource db, UploadStorage storage, CancellationToken ct)
    {
        var caller = await CallerScope.LoadAsync(db, user, ct);
        await using var connection = await db.OpenConnectionAsync(ct);
        var upload = await connection.QuerySingleOrDefaultAsync<UploadRow>(new CommandDefinition(
            "SELECT uploader_id, stored_name, content_type, ticket_id FROM uploads WHERE id = @id", new { id }, cancellationToken: ct));
        var visible = upload is not null && (upload.TicketId is { } ticketId
            ? await TicketQueries.FindAsync(connection, ticketId, ct) is { } ticket && caller.CanSee(ticket)
            : upload.UploaderId == caller.UserId);
        if (!visible || !File.Exists(storage.PathOf(upload!.StoredName)))
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Upload not found",
                detail: "There is no such upload, or it is not yours to see.");
        return TypedResults.PhysicalFile(storage.PathOf(upload.StoredName), upload.ContentType);
    }

    private static ValidationProblem Invalid(string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [message] });
}
