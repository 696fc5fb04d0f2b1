using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Linli.Api.Hosting;

namespace Linli.Api.Tests.Hosting;

/// <summary>Every error the pipeline can produce is an RFC 9457 problem carrying the request's trace id.</summary>
public class ProblemDetailsTests
{
    private ProbeApp _app = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _app = await ProbeApp.StartAsync(new Dictionary<string, string?>
        {
            ["RateLimits:SignIn:PermitLimit"] = "1000000",
            ["RateLimits:Anonymous:PermitLimit"] = "1000000",
        });
        _client = _app.CreateClient();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    internal static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.That(response.StatusCode, Is.EqualTo(expected));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Multiple(() =>
        {
            Assert.That(problem.GetProperty("status").GetInt32(), Is.EqualTo((int)expected));
            Assert.That(problem.GetProperty("title").GetString(), Is.Not.Empty);
            Assert.That(problem.GetProperty("traceId").GetString(), Is.EqualTo(response.Headers.GetValues(TraceIds.Header).Single()));
        });
        return problem;
    }

    [Test]
    public async Task ValidationErrorsNameEachField()
    {
        var problem = await ProblemAsync(await _client.GetAsync("/probe/invalid"), HttpStatusCode.BadRequest);
        // A rule only the database can check names its field as the validator would, in the request's spelling.
        var errors = problem.GetProperty("errors");
        Assert.Multiple(() =>
        {
            Assert.That(errors.EnumerateObject().Select(e => e.Name), Is.EqualTo(new[] { "gridId" }));
            Assert.That(errors.GetProperty("gridId")[0].GetString(), Is.EqualTo("Choose a grid of this community."));
        });
    }

    [Test]
    public async Task MalformedJsonIsABadRequestNamingTheField()
    {
        using var body = new StringContent("""{"name":"x","count":"not a number"}""", Encoding.UTF8, "application/json");
        var problem = await ProblemAsync(await _client.PostAsync("/probe/echo", body), HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("errors").TryGetProperty("count", out _), Is.True, problem.ToString());
        Assert.That(problem.ToString(), Does.Not.Contain("not a number"), "the bad value is not echoed back");
    }

    [Test]
    public async Task TruncatedJsonIsABadRequest()
    {
        using var body = new StringContent("""{"name":""", Encoding.UTF8, "application/json");
        await ProblemAsync(await _client.PostAsync("/probe/echo", body), HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task RouteValueOfTheWrongTypeIsNotFoundNotAnError()
    {
        // {id:long} does not match "abc", so no endpoint handles it.
        await ProblemAsync(await _client.GetAsync("/probe/items/abc"), HttpStatusCode.NotFound);
    }

    [Test]
    public async Task RouteValueThatCannotBeBoundIsABadRequest()
    {
        var problem = await ProblemAsync(await _client.GetAsync("/probe/plain/abc"), HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("id"));
    }

    [Test]
    public async Task RequestLogNamesTheRouteTemplateNeverThePathOrQuery()
    {
        var response = await _client.GetAsync("/probe/items/13812345678?phone=13812345678");
        var traceId = response.Headers.GetValues(TraceIds.Header).Single();

        var line = _app.Log.Lines.Single(l => l.Contains(traceId, StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(line, Does.Contain("GET /probe/items/{id:long} responded 200"));
            Assert.That(line, Does.Not.Contain("13812345678"));
        });
    }

    [Test]
    public async Task RequestLogNamesTheRouteEvenWhenTheRequestFailed()
    {
        using var body = new StringContent("{", Encoding.UTF8, "application/json");
        var response = await _client.PostAsync("/probe/echo", body);
        var traceId = response.Headers.GetValues(TraceIds.Header).Single();

        Assert.That(_app.Log.Lines.Single(l => l.Contains(traceId, StringComparison.Ordinal)), Does.Contain("POST /probe/echo responded 400"));
    }

    [Test]
    public async Task UnknownRouteIsAProblem()
    {
        await ProblemAsync(await _client.GetAsync("/api/v1/no-such-thing"), HttpStatusCode.NotFound);
    }

    [Test]
    public async Task WrongMethodIsAProblem()
    {
        await ProblemAsync(await _client.DeleteAsync("/probe/items/1"), HttpStatusCode.MethodNotAllowed);
    }

    [Test]
    public async Task NonJsonBodyIsUnsupportedMediaType()
    {
        using var body = new StringContent("name=x", Encoding.UTF8, "application/x-www-form-urlencoded");
        await ProblemAsync(await _client.PostAsync("/probe/echo", body), HttpStatusCode.UnsupportedMediaType);
    }

    [Test]
    public async Task BodyOverOneMegabyteIsTooLarge()
    {
        using var body = new ByteArrayContent(new byte[RequestBodyLimit.DefaultBytes + 1]);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        await ProblemAsync(await _client.PostAsync("/probe/echo", body), HttpStatusCode.RequestEntityTooLarge);
    }

    [Test]
    public async Task AnEndpointCanAcceptALargerBody()
    {
        using var body = new ByteArrayContent(new byte[2 * RequestBodyLimit.DefaultBytes]);
        var response = await _client.PostAsync("/probe/upload", body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task UnhandledExceptionIsA500WithTraceIdAndNoInternals()
    {
        var response = await _client.GetAsync("/probe/boom");
        var problem = await ProblemAsync(response, HttpStatusCode.InternalServerError);
        var text = problem.ToString();
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Not.Contain("secret internals"));
            Assert.That(text, Does.Not.Contain("InvalidOperationException"));
            Assert.That(text, Does.Not.Contain(" at "));
        });
    }

    [Test]
    public async Task KnownExceptionsMapToTheirStatus()
    {
        var notFound = await ProblemAsync(await _client.GetAsync("/probe/missing"), HttpStatusCode.NotFound);
        var forbidden = await ProblemAsync(await _client.GetAsync("/probe/forbidden"), HttpStatusCode.Forbidden);
        Assert.Multiple(() =>
        {
            Assert.That(notFound.GetProperty("detail").GetString(), Is.EqualTo("No such ticket."));
            Assert.That(forbidden.GetProperty("detail").GetString(), Is.EqualTo("Not your community."));
        });
    }

    [Test]
    public async Task ADuplicateKeyFromTheDatabaseIsAConflictNotAServerError()
    {
        var problem = await ProblemAsync(await _client.GetAsync("/probe/duplicate"), HttpStatusCode.Conflict);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("conflicts"));
    }

    [Test]
    public async Task ConflictNamesTheCurrentStateAndWhatIsAllowed()
    {
        var problem = await ProblemAsync(await _client.GetAsync("/probe/conflict"), HttpStatusCode.Conflict);
        Assert.Multiple(() =>
        {
            Assert.That(problem.GetProperty("currentState").GetString(), Is.EqualTo("claimed"));
            Assert.That(problem.GetProperty("allowedActions")[0].GetString(), Is.EqualTo("view"));
        });
    }

    [Test]
    public async Task MissingTokenIsAProblem()
    {
        await ProblemAsync(await _client.GetAsync("/signed-in-only"), HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task JsonIsCamelCase()
    {
        var response = await _client.PostAsJsonAsync("/probe/echo", new { name = "张", count = 2 });
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("""{"name":"张","count":2}"""));
    }
}
