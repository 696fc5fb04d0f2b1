using System.Text;
using Microsoft.Net.Http.Headers;

namespace Linli.Api.Csv;

/// <summary>
/// A CSV download: <c>text/csv; charset=utf-8</c>, UTF-8 with a byte order mark, a header row, then the rows.
/// Endpoints return it when the caller sends <c>Accept: text/csv</c> (see <see cref="Accepts"/>). It adds no
/// OpenAPI metadata of its own: an endpoint that also answers JSON keeps its JSON schema for 200, and says
/// in its description that CSV is available.
/// </summary>
public sealed class CsvResult(string fileName, IReadOnlyList<string> header, IAsyncEnumerable<IReadOnlyList<string?>> rows)
    : IResult
{
    public const string ContentType = "text/csv; charset=utf-8";

    public CsvResult(string fileName, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string?>> rows)
        : this(fileName, header, Async(rows))
    {
    }

    public string FileName => fileName;

    /// <summary>True when the Accept header asks for text/csv (with a non-zero quality).</summary>
    public static bool Accepts(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted))
            return false;
        return accepted.Any(m => m.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase) && m.Quality is not 0);
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.ContentType = ContentType;
        response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment")
        {
            FileNameStar = fileName,
        }.ToString();
        var ct = httpContext.RequestAborted;
        await response.Body.WriteAsync(Encoding.UTF8.Preamble.ToArray(), ct);
        await using var text = new StreamWriter(response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 16 * 1024, leaveOpen: true);
        var csv = new CsvWriter(text);
        await csv.WriteRowAsync(header, ct);
        await foreach (var row in rows.WithCancellation(ct))
            await csv.WriteRowAsync(row, ct);
        await text.FlushAsync(ct);
    }

    private static async IAsyncEnumerable<IReadOnlyList<string?>> Async(IEnumerable<IReadOnlyList<string?>> rows)
    {
        foreach (var row in rows)
            yield return row;
        await Task.CompletedTask;
    }
}
