using Linli.Api.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

// Not Linli.Api.Console: that namespace would hide System.Console from every file under Linli.Api.
namespace Linli.Api.StaffConsole;

/// <summary>
/// The staff console (issue 16): plain HTML, CSS and JavaScript modules under <c>wwwroot/console</c>, no build step.
/// Served as endpoints rather than by the static-file middleware so every request passes the same pipeline
/// (request log, problem details for a missing file). The files are public; the data comes from the API with a token.
/// </summary>
public static class ConsoleSite
{
    /// <summary>Only this origin: no inline script or style, no CDN, no framing. Photos and downloads become blob: URLs.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob:; connect-src 'self'; "
        + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>What the console is made of; anything else in the folder (a build's .gz copies) is not served.</summary>
    private static readonly FileExtensionContentTypeProvider ContentTypes = new(new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html", [".css"] = "text/css", [".js"] = "text/javascript", [".svg"] = "image/svg+xml", [".png"] = "image/png",
    });

    public static IEndpointRouteBuilder MapConsole(this IEndpointRouteBuilder app)
    {
        app.MapGet("/console/{**path}", ServeConsoleFile).AllowAnonymous().ExcludeFromDescription();
        // A literal route, so it wins over the catch-all above.
        app.MapGet(ConsoleActionForms.Path, async (ConsoleActionForms forms) => TypedResults.Text(await forms.JsonAsync(), "application/json; charset=utf-8"))
            .RequireAuthorization(Policies.Staff)
            .ExcludeFromDescription();
        return app;
    }

    public static Results<PhysicalFileHttpResult, RedirectHttpResult, ProblemHttpResult> ServeConsoleFile(string? path, HttpContext http, IWebHostEnvironment environment)
    {
        // The catch-all also matches /console; the page's relative links need the slash.
        if (!http.Request.Path.Value!.EndsWith('/') && string.IsNullOrEmpty(path))
            return TypedResults.Redirect("/console/");
        // The file provider refuses paths that climb out of wwwroot; hidden files are never part of the console.
        var file = environment.WebRootFileProvider.GetFileInfo("console/" + (string.IsNullOrEmpty(path) ? "index.html" : path));
        if (!file.Exists || file.IsDirectory || file.PhysicalPath is null || file.Name.StartsWith('.')
            || !ContentTypes.TryGetContentType(file.Name, out var contentType))
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "The console has no such file.");
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        // File names carry no version, so the browser revalidates each time and gets a 304 while nothing changed.
        headers.CacheControl = "no-cache";
        var lastModified = file.LastModified;
        var etag = new EntityTagHeaderValue($"\"{lastModified.UtcTicks:x}-{file.Length:x}\"");
        return TypedResults.PhysicalFile(file.PhysicalPath, contentType + (contentType.StartsWith("text/", StringComparison.Ordinal) ? "; charset=utf-8" : ""),
            lastModified: lastModified, entityTag: etag);
    }
}
