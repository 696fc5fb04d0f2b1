using System.Data.Common;
using System.Security.Claims;
using Dapper;
using Linli.Api.Auth;
using Linli.Api.Notices;
using Linli.Api.Hosting;
using Linli.Api.Tickets;
using Linli.Infrastructure.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

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
            .DisableAntiforgery().RequireRateLimiting(RateLimits.Upload)
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
        HttpRequest request, Caller current, RequestConnection db, UploadStorage storage, TimeProvider clock,
        IOptions<RateLimits.Settings> limits, CancellationToken ct)
    {
        // A declared length over the endpoint's limit never gets here: RequestBodyLimit answers 413.
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
        // Only the pixels are kept: EXIF (GPS!), XMP and comments go, the orientation is applied.
        if (PhotoScrubber.Scrub(stream, contentType) is not { } photo)
            return Invalid("The photo cannot be read as the JPEG, PNG or WebP image it starts as.");

        var me = current.UserId;
        var now = clock.GetUtcNow();
        var connection = await db.OpenAsync(ct);
        await RefuseOverQuotaAsync(connection, me, photo.Length, limits.Value.UploadBytesPerDay, now, ct);
        var stored = await storage.SaveAsync(new MemoryStream(photo, writable: false), extension, ct);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO uploads (uploader_id, stored_name, content_type, size_bytes, created_at)
            VALUES (@me, @stored, @contentType, @size, @now);
            SELECT LAST_INSERT_ID();
            """, new { me, stored, contentType, size = photo.Length, now = now.UtcDateTime },
            cancellationToken: ct));
        return TypedResults.Created(TicketView.PhotoUrl(id), new UploadDto(id, contentType, photo.Length, TicketView.PhotoUrl(id)));
    }

    /// <summary>
    /// The storage quota: at most <paramref name="bytesPerDay"/> of photos per user in any 24 hours (on
    /// ix_uploads_uploader_created); over it, a 429 whose Retry-After is when the oldest upload of the window leaves it.
    /// </summary>
    private static async Task RefuseOverQuotaAsync(DbConnection connection, long me, long size, long bytesPerDay, DateTimeOffset now, CancellationToken ct)
    {
        var since = now.AddDays(-1).UtcDateTime;
        var window = await connection.QuerySingleAsync<(long Bytes, DateTime? Oldest)>(new CommandDefinition("""
            SELECT CAST(COALESCE(SUM(size_bytes), 0) AS SIGNED), MIN(created_at)
            FROM uploads WHERE uploader_id = @me AND created_at > @since
            """, new { me, since }, cancellationToken: ct));
        if (window.Bytes + size <= bytesPerDay)
            return;
        var oldest = window.Oldest is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : now;
        throw new TooManyRequestsException(oldest.AddDays(1) - now);
    }

    private sealed class UploadRow
    {
        public long UploaderId { get; init; }
        public string StoredName { get; init; } = "";
        public string ContentType { get; init; } = "";
        public long? TicketId { get; init; }
        public long? NoticeId { get; init; }
    }

    public static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> GetUpload(
        long id, Caller current, RequestConnection db, UploadStorage storage, TimeProvider clock, CancellationToken ct)
    {
        var caller = new CallerScope(current);
        var connection = await db.OpenAsync(ct);
        var upload = await connection.QuerySingleOrDefaultAsync<UploadRow>(new CommandDefinition(
            "SELECT uploader_id, stored_name, content_type, ticket_id, notice_id FROM uploads WHERE id = @id", new { id }, cancellationToken: ct));
        var visible = upload is not null && (upload.TicketId is { } ticketId
            ? await TicketQueries.FindAsync(connection, ticketId, ct) is { } ticket && caller.CanSee(ticket)
            : upload.NoticeId is { } noticeId
                ? await NoticeQueries.CanSeeAsync(connection, noticeId, current, clock.GetUtcNow(), ct)
                : upload.UploaderId == caller.UserId);
        if (!visible || !File.Exists(storage.PathOf(upload!.StoredName)))
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Upload not found",
                detail: "There is no such upload, or it is not yours to see.");
        return TypedResults.PhysicalFile(storage.PathOf(upload.StoredName), upload.ContentType);
    }

    private static ValidationProblem Invalid(string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [message] });
}
