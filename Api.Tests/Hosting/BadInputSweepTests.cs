using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Linli.Api.Tests.Support;
using Linli.Domain.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace Linli.Api.Tests.Hosting;

/// <summary>
/// Sends every endpoint the app serves a few hostile inputs — ids that do not exist, numbers out of range,
/// segments that are not numbers, malformed or wrongly shaped JSON, wrong content types, odd query values —
/// bad bearer tokens — as an admin, a plain resident and an anonymous caller. Each endpoint is swept twice: with ids that
/// do not exist, and (where the sweep made a row of that kind) with ids that do, so bodies reach the handlers' own checks.
/// No answer may be a 5xx (except the few declared below, where WeChat or PDF rendering is deliberately unavailable),
/// and every 4xx must be a ProblemDetails (application/problem+json, no duplicate keys) with its status and trace id.
/// The endpoints come from the app's own endpoint data; their inputs from the OpenAPI document it serves.
/// A failure lists every offending request at once; the statuses seen are written to the test output.
/// </summary>
[NonParallelizable]
public partial class BadInputSweepTests
{
    /// <summary>Endpoints the sweep does not send anything to, with the reason. Empty on purpose: nothing is skipped.</summary>
    private static readonly Dictionary<string, string> Skipped = new();

    /// <summary>Operations that may answer a 5xx on purpose: their outside dependency is unavailable in tests.</summary>
    private static readonly Dictionary<string, (int[] Statuses, string Reason)> DeliberatelyUnavailable = new()
    {
        ["WechatLogin"] = ([502, 503], "calls WeChat's code2session"),
        ["BindPhone"] = ([502, 503], "calls WeChat's getuserphonenumber"),
        ["GetHouseQrCode"] = ([502, 503], "calls WeChat's wxacode"),
        ["GetInvitationQr"] = ([502, 503], "calls WeChat's wxacode"),
        ["GetGridQrSheet"] = ([502, 503], "calls WeChat's wxacode and needs the PDF renderer's licence and fonts"),
    };

    private static readonly Lazy<Task<Sweep>> Shared = new(Sweep.PrepareAsync);

    [Test]
    public async Task NoEndpointAnswersAnAdminsBadInputWithAServerErrorOrABareError()
    {
        var sweep = await Shared.Value;
        var offences = await sweep.RunAsync(sweep.Admin, "admin");
        Assert.That(offences, Is.Empty, Report(offences));
    }

    [Test]
    public async Task NoEndpointAnswersAResidentsBadInputWithAServerErrorOrABareError()
    {
        var sweep = await Shared.Value;
        var offences = await sweep.RunAsync(sweep.Resident, "resident");
        Assert.That(offences, Is.Empty, Report(offences));
    }

    [Test]
    public async Task NoEndpointAnswersAnAnonymousCallersBadInputWithAServerErrorOrABareError()
    {
        var sweep = await Shared.Value;
        using var anonymous = sweep.Factory.CreateClient();
        var offences = await sweep.RunAsync(anonymous, "anonymous");
        Assert.That(offences, Is.Empty, Report(offences));
    }

    [Test]
    public async Task EveryServedEndpointIsSweptOrSkippedWithAReason()
    {
        var sweep = await Shared.Value;
        Assert.Multiple(() =>
        {
            Assert.That(sweep.Endpoints, Has.Count.GreaterThan(50), "the app's endpoint data source lists the endpoints");
            // Endpoints that say they are no API operation (the console's files) are swept all the same, but not described.
            Assert.That(sweep.Endpoints.Where(e => e.Operation is null
                    && e.Route.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })
                .Select(e => e.Name), Is.Empty,
                "endpoints the app serves that the OpenAPI document does not describe");
            Assert.That(Skipped.Keys.Except(sweep.Endpoints.Select(e => e.Name)), Is.Empty, "skipped endpoints that no longer exist");
            Assert.That(DeliberatelyUnavailable.Keys.Except(sweep.Endpoints.Select(e => e.OperationId)), Is.Empty,
                "operations allowed a 5xx that no longer exist");
        });
    }

    private static string Report(IReadOnlyCollection<string> offences) =>
        $"{offences.Count} responses broke the rule (never a 5xx on bad input; every 4xx a ProblemDetails with status and traceId):\n"
        + string.Join("\n", offences);

    public sealed record Endpoint(string Name, string Method, RouteEndpoint Route, string? OperationId, JsonObject? Operation);

    /// <param name="RefusedField">The field a 400 must name: the probe sends a value no endpoint may accept there.</param>
    private sealed record Probe(string Input, string Path, Func<HttpContent?> Content, IReadOnlyDictionary<string, string>? Headers = null, string? Method = null,
        string? RefusedField = null);

    private sealed class Sweep
    {
        public required LinliFactory Factory { get; init; }
        public required IReadOnlyList<Endpoint> Endpoints { get; init; }
        public required JsonObject Document { get; init; }
        public required HttpClient Admin { get; init; }
        public required HttpClient Resident { get; init; }
        /// <summary>Ids of rows that exist, by the route segment naming them (communities, grids, houses, …), for the pass that reaches the handlers' own checks.</summary>
        public required IReadOnlyDictionary<string, string> Existing { get; init; }

        public static async Task<Sweep> PrepareAsync()
        {
            var factory = SharedApp.Factory;
            var data = new TestData(factory);
            var adminId = await data.UserAsync("坏输入管理员");
            await data.GrantAsync(adminId, Roles.Admin);
            var resident = await data.SignedInAsync(Roles.Resident);

            using var anonymous = factory.CreateClient();
            var document = JsonNode.Parse(await anonymous.GetStringAsync("/swagger/v1/swagger.json"))!.AsObject();
            var paths = document["paths"]!.AsObject();
            var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
                .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Route: e, Method: m)))
                .Select(x =>
                {
                    var name = $"{x.Method} {x.Route.RoutePattern.RawText}";
                    var operation = paths[OpenApiPath(x.Route)]?[x.Method.ToLowerInvariant()] as JsonObject;
                    return new Endpoint(name, x.Method, x.Route, operation?["operationId"]?.GetValue<string>(), operation);
                })
                .OrderBy(e => e.Name, StringComparer.Ordinal)
                .ToList();
            var admin = factory.ClientFor(adminId, Roles.Admin);
            return new Sweep
            {
                Factory = factory, Endpoints = endpoints, Document = document,
                Admin = admin, Resident = resident.Client, Existing = await ExistingRowsAsync(factory, data, admin, resident.UserId),
            };
        }

        /// <summary>One real row of each kind an id in a route can name, made through the API where that is the only sure way.</summary>
        private static async Task<Dictionary<string, string>> ExistingRowsAsync(LinliFactory factory, TestData data, HttpClient admin, long residentId)
        {
            var community = await data.CommunityAsync();
            var grid = await data.GridAsync(community);
            var department = await data.DepartmentAsync();
            var category = await admin.PostAsync("/api/v1/ticket-categories",
                new StringContent($$"""{"name":"{{TestData.Unique("坏输入")}}"}""", Encoding.UTF8, "application/json"));
            var categoryId = JsonNode.Parse(await category.Content.ReadAsStringAsync())!["id"]!.GetValue<long>();
            var house = await admin.PostAsync("/api/v1/houses", new StringContent($$"""
                {"communityId":{{community}},"gridId":{{grid}},"street":"船房村","building":"{{TestData.Unique("号楼")}}","unit":"2单元","door":"101","landlordPhone":"13912345678","rooms":3,"use":"rental"}
                """, Encoding.UTF8, "application/json"));
            var houseBody = JsonNode.Parse(await house.Content.ReadAsStringAsync())!;
            Assert.That((int)house.StatusCode, Is.EqualTo(201), houseBody.ToJsonString());
            var ticket = await new Stats.TicketSeed(factory).TicketAsync(community, residentId, categoryId, factory.Clock.GetUtcNow().UtcDateTime, "submitted");
            var houseId = houseBody["id"]!.ToString();
            var existing = new Dictionary<string, string>
            {
                ["communities"] = community.ToString(), ["grids"] = grid.ToString(), ["departments"] = department.ToString(),
                ["ticket-categories"] = categoryId.ToString(), ["houses"] = houseBody["id"]!.ToString(), ["h"] = houseBody["code"]!.GetValue<string>(),
                ["tickets"] = ticket.ToString(), ["users"] = (await data.UserAsync("坏输入")).ToString(),
                ["tenancies"] = await CreatedAsync(admin, $"/api/v1/houses/{houseId}/tenancies", "id", $$"""
                    {"name":"John Smith","documentType":"passport","documentNumber":"E{{Random.Shared.Next(10_000_000, 99_999_999)}}","phone":"13912345678","room":"A","moveInDate":"2026-03-01"}
                    """),
                ["invitations"] = await CreatedAsync(admin, "/api/v1/invitations", "code", $$"""
                    {"role":"grid_worker","communityId":{{community}},"gridId":{{grid}},"expiresInDays":7}
                    """),
                ["party-members"] = await CreatedAsync(factory.ClientFor(residentId, Roles.Resident), "/api/v1/party-members/report-in", "id", $$"""
                    {"name":"坏输入","organisation":"街道党工委","isFloating":false,"phone":"13912345678","communityId":{{community}},"gridId":{{grid}},"skills":[],"showBadge":false}
                    """),
            };
            existing["households"] = await CreatedAsync(admin, $"/api/v1/h/{existing["h"]}/households", "id", """
                {"occupancy":"tenancy","members":[{"name":"坏输入","relation":"head","tags":["elderly_alone"]}]}
                """);
            var contact = await data.UserAsync("坏输入联系人");
            await data.GrantAsync(contact, Roles.GridWorker, community, grid);
            existing["contact-assignments"] = await CreatedAsync(admin, "/api/v1/contact-assignments", "id", $$"""
                {"householdId":{{existing["households"]}},"userId":{{contact}},"rhythm":"monthly"}
                """);
            existing["visits"] = await CreatedAsync(admin, "/api/v1/visits", "id", $$"""
                {"householdId":{{existing["households"]}},"kind":"visit","note":"坏输入走访"}
                """);
            return existing;
        }

        /// <summary>Creates a row through the API and gives one field of the answer; fails the sweep if the API refuses.</summary>
        private static async Task<string> CreatedAsync(HttpClient client, string path, string field, string json)
        {
            // With an Idempotency-Key, which the endpoints that take one require.
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.That((int)response.StatusCode, Is.AnyOf(200, 201), $"POST {path}: {body}");
            var value = JsonNode.Parse(body)![field]!;
            return value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
        }

        private static string OpenApiPath(RouteEndpoint route)
        {
            var path = RouteParameter().Replace(route.RoutePattern.RawText ?? "", "{$1}").TrimEnd('/');
            return path.StartsWith('/') ? path : "/" + path;
        }

        public async Task<List<string>> RunAsync(HttpClient client, string caller)
        {
            var offences = new ConcurrentBag<string>();
            // A few at a time: the database answers while the next request is bound, without flooding two cores.
            using var gate = new SemaphoreSlim(4);
            var work = new List<Task>();
            foreach (var endpoint in Endpoints.Where(e => !Skipped.ContainsKey(e.Name)))
            {
                foreach (var probe in ProbesFor(endpoint, withMissingIds: true).Concat(ProbesFor(endpoint, withMissingIds: false)))
                {
                    await gate.WaitAsync();
                    work.Add(Task.Run(async () =>
                    {
                        try
                        {
                            if (await CheckAsync(client, endpoint, probe) is { } offence)
                                offences.Add($"[{caller}] {endpoint.Name} ({endpoint.OperationId}) — {probe.Input}: {offence}");
                        }
                        finally
                        {
                            gate.Release();
                        }
                    }));
                }
            }
            await Task.WhenAll(work);
            TestContext.Out.WriteLine($"[{caller}] {work.Count} requests; statuses: "
                + string.Join(", ", Statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}")));
            Statuses.Clear();
            return offences.Order(StringComparer.Ordinal).ToList();
        }

        private ConcurrentDictionary<int, int> Statuses { get; } = new();

        private async Task<string?> CheckAsync(HttpClient client, Endpoint endpoint, Probe probe)
        {
            using var request = new HttpRequestMessage(new HttpMethod(probe.Method ?? endpoint.Method), probe.Path) { Content = probe.Content() };
            foreach (var (name, value) in probe.Headers ?? new Dictionary<string, string>())
                request.Headers.TryAddWithoutValidation(name, value);
            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(request);
            }
            catch (Exception e)
            {
                // The test server rethrows what escapes the pipeline: that is a 500 in production.
                return $"threw {e.GetType().Name}: {HostileInputs.Excerpt(e.Message)}";
            }
            using (response)
            {
                var status = (int)response.StatusCode;
                Statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                var body = await response.Content.ReadAsStringAsync();
                if (status >= 500)
                {
                    var allowed = endpoint.OperationId is { } id && DeliberatelyUnavailable.TryGetValue(id, out var rule) && rule.Statuses.Contains(status);
                    if (!allowed)
                        return $"{status}: {HostileInputs.Excerpt(body)}";
                }
                // A value no role or row makes acceptable: refused before or at binding, naming the field.
                if (probe.RefusedField is not null && status < 400)
                    return $"{status}: accepted a value that is not exactly one declared name";
                if (status >= 400 && ProblemFault(response, status, body) is { } fault)
                    return fault;
                if (status == 400 && probe.RefusedField is { } field && JsonNode.Parse(body)?["errors"]?[field] is null)
                    return $"400 that does not name '{field}': {HostileInputs.Excerpt(body)}";
                return null;
            }
        }

        private static string? ProblemFault(HttpResponseMessage response, int status, string body)
        {
            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                return $"{status} with content type '{response.Content.Headers.ContentType}', not application/problem+json: {HostileInputs.Excerpt(body)}";
            try
            {
                var problem = JsonNode.Parse(body) as JsonObject;
                if (problem?["status"]?.GetValue<int>() != status)
                    return $"{status} whose problem has status '{problem?["status"]}': {HostileInputs.Excerpt(body)}";
                if (problem["traceId"] is not JsonValue traceId || string.IsNullOrEmpty(traceId.GetValue<string>()))
                    return $"{status} whose problem has no traceId: {HostileInputs.Excerpt(body)}";
                if (status == 400 && problem["errors"] is JsonObject errors && errors.Count == 0)
                    return $"400 with an empty 'errors': {HostileInputs.Excerpt(body)}";
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or ArgumentException)
            {
                return $"{status} whose body is not a problem ({e.GetType().Name}): {HostileInputs.Excerpt(body)}";
            }
            return null;
        }

        /// <summary>
        /// With missing ids: every route value, query value and body. Otherwise the ids name rows that exist (where the sweep has
        /// one of that kind), so the query and body reach the handler's own checks rather than stopping at "not found".
        /// </summary>
        private IEnumerable<Probe> ProbesFor(Endpoint endpoint, bool withMissingIds)
        {
            var routeParameters = endpoint.Route.RoutePattern.Parameters.Select(p => p.Name).ToList();
            var baseValues = BaseRouteValues(endpoint, withMissingIds);
            if (!withMissingIds && baseValues.Values.All(v => v == HostileInputs.MissingId))
                yield break;
            var pass = withMissingIds ? "" : "[existing ids] ";
            var parameters = (endpoint.Operation?["parameters"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            var query = parameters.Where(p => p["in"]?.GetValue<string>() == "query").ToList();
            var baseQuery = query.Where(p => p["required"]?.GetValue<bool>() == true)
                .ToDictionary(p => p["name"]!.GetValue<string>(), p => PlausibleQueryValue(p));
            var bodySchema = endpoint.Operation?["requestBody"]?["content"]?["application/json"]?["schema"] as JsonObject;
            var jsonBody = bodySchema is not null;
            var baseBody = jsonBody ? HostileInputs.Plausible(bodySchema, Resolve) : null;

            string PathWith(string? parameter = null, string? value = null, IReadOnlyDictionary<string, string>? queryValues = null, string? rawQuery = null)
            {
                var path = RouteParameter().Replace(endpoint.Route.RoutePattern.RawText ?? "", m =>
                    m.Groups[1].Value == parameter ? value! : baseValues[m.Groups[1].Value]);
                if (!path.StartsWith('/'))
                    path = "/" + path;
                var pairs = (queryValues ?? baseQuery).Select(kv => $"{Uri.EscapeDataString(kv.Key)}={Uri.EscapeDataString(kv.Value)}");
                if (rawQuery is not null)
                    pairs = pairs.Append(rawQuery);
                var q = string.Join("&", pairs);
                return q.Length == 0 ? path : $"{path}?{q}";
            }

            Func<HttpContent?> Json(JsonNode? node) => jsonBody
                ? () => new StringContent(node?.ToJsonString() ?? "null", Encoding.UTF8, "application/json")
                : () => null;

            var plausible = Json(baseBody);
            yield return new Probe(withMissingIds ? "every id missing (999999999)" : pass + "a plausible request", PathWith(), plausible);

            foreach (var parameter in withMissingIds ? routeParameters : [])
            {
                foreach (var value in HostileInputs.RouteValues.Skip(1))
                    yield return new Probe($"route {parameter}='{HostileInputs.Describe(value)}'", PathWith(parameter, value), plausible);
            }

            foreach (var parameter in query)
            {
                var name = parameter["name"]!.GetValue<string>();
                var type = Resolve(parameter["schema"] as JsonObject) is { } schema ? HostileInputs.TypeOf(schema) : null;
                var values = type switch
                {
                    "integer" or "number" => HostileInputs.NumberQueryValues,
                    "boolean" => HostileInputs.BooleanQueryValues,
                    _ => HostileInputs.TextQueryValues,
                };
                foreach (var value in values)
                {
                    var withValue = new Dictionary<string, string>(baseQuery) { [name] = value };
                    yield return new Probe($"{pass}query {name}='{HostileInputs.Describe(value)}'", PathWith(queryValues: withValue), plausible);
                }
                var withoutIt = baseQuery.Where(kv => kv.Key != name).ToDictionary();
                yield return new Probe($"{pass}query {name} twice", PathWith(queryValues: withoutIt, rawQuery: $"{name}=1&{name}=2"), plausible);
            }
            if (query.Count > 0)
                yield return new Probe(pass + "a 20,000-character query string", PathWith(rawQuery: "junk=" + new string('x', 20_000)), plausible);

            if (jsonBody)
            {
                foreach (var (name, body, contentType) in HostileInputs.RawBodies)
                {
                    yield return new Probe($"{pass}body: {name}", PathWith(), () =>
                    {
                        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
                        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
                        return content;
                    });
                }
                yield return new Probe(pass + "body without a content type", PathWith(), () => new ByteArrayContent("{}"u8.ToArray()));
                yield return new Probe(pass + "body: {} (every field missing)", PathWith(), Json(new JsonObject()));
                if (baseBody is JsonObject withExtra)
                {
                    var extra = (JsonObject)withExtra.DeepClone();
                    extra["noSuchField"] = HostileInputs.LongText;
                    yield return new Probe(pass + "body: an unknown extra field", PathWith(), Json(extra));
                }
                var properties = (Resolve(bodySchema)?["properties"] as JsonObject) ?? [];
                foreach (var (field, fieldSchema) in properties)
                {
                    var schema = Resolve(fieldSchema as JsonObject) ?? [];
                    foreach (var (name, wrong) in HostileInputs.WrongValuesFor(schema))
                    {
                        var mutated = (JsonObject)(baseBody as JsonObject ?? []).DeepClone();
                        mutated[field] = wrong?.DeepClone();
                        yield return new Probe($"{pass}body field {field}: {name}", PathWith(), Json(mutated),
                            RefusedField: name.StartsWith(HostileInputs.EnumVariant, StringComparison.Ordinal) ? field : null);
                    }
                }
            }

            if (withMissingIds)
            {
                foreach (var probe in SpecialProbes(endpoint, PathWith(), plausible))
                    yield return probe;
            }
        }

        /// <summary>Each route parameter's value in the request before one thing is made wrong.</summary>
        private Dictionary<string, string> BaseRouteValues(Endpoint endpoint, bool withMissingIds)
        {
            var values = new Dictionary<string, string>();
            string? previous = null;
            foreach (var segment in endpoint.Route.RoutePattern.PathSegments)
            {
                foreach (var part in segment.Parts)
                {
                    if (part is RoutePatternParameterPart parameter)
                    {
                        values[parameter.Name] = parameter.Name == "action" && !withMissingIds ? "dispatch"
                            : !withMissingIds && previous is not null && Existing.TryGetValue(previous, out var id) ? id
                            : HostileInputs.MissingId;
                    }
                    else if (part is RoutePatternLiteralPart literal)
                    {
                        previous = literal.Content;
                    }
                }
            }
            return values;
        }

        /// <summary>The endpoints whose input is more than route, query and a JSON body.</summary>
        private IEnumerable<Probe> SpecialProbes(Endpoint endpoint, string path, Func<HttpContent?> plausible)
        {
            foreach (var (name, value) in new[]
            {
                ("a garbage bearer token", "Bearer garbage"), ("an empty bearer token", "Bearer "),
                ("a 5,000-character bearer token", "Bearer " + new string('a', 5000)),
                ("a token of the wrong scheme", "Basic YWRtaW46YWRtaW4="),
                ("a token signed with another key", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIiwicm9sZSI6ImFkbWluIn0.c2lnbmF0dXJl"),
            })
            {
                yield return new Probe(name, path, plausible, new Dictionary<string, string> { ["Authorization"] = value });
            }
            // No endpoint takes PATCH: a method the route does not serve is a 405 problem.
            yield return new Probe("method PATCH", path, plausible, Method: "PATCH");
            if (endpoint.Method == "GET")
            {
                foreach (var accept in new[] { "text/csv", "application/xml", "garbage;;;q=abc", "application/pdf, image/png" })
                    yield return new Probe($"Accept: {accept}", path, plausible, new Dictionary<string, string> { ["Accept"] = accept });
            }
            switch (endpoint.OperationId)
            {
                case "ListTickets":
                    // The CSV download reads the same filters as the page: the same bad values must not break it.
                    foreach (var query in new[] { "cursor=!!!", "cursor=AAAAAAAAAAAA", "limit=-1", "status=no_such_value", "text=" + Uri.EscapeDataString(HostileInputs.LongText), "communityId=abc" })
                    {
                        yield return new Probe($"Accept: text/csv with {HostileInputs.Describe(query)}", path + "?" + query, plausible,
                            new Dictionary<string, string> { ["Accept"] = "text/csv" });
                    }
                    break;
                case "CreateTicket":
                    foreach (var (name, key) in new[]
                    {
                        ("empty", ""), ("whitespace", "   "), ("2,000 characters", new string('k', 2000)),
                        ("non-ASCII", "é-ключ-键"), ("control characters", "a\u0001b"),
                    })
                    {
                        yield return new Probe($"Idempotency-Key {name}", path, plausible, new Dictionary<string, string> { ["Idempotency-Key"] = key });
                    }
                    var reused = $"sweep-{Guid.NewGuid():N}";
                    yield return new Probe("Idempotency-Key reused with a body of the wrong shape", path,
                        () => new StringContent("[]", Encoding.UTF8, "application/json"), new Dictionary<string, string> { ["Idempotency-Key"] = reused });
                    yield return new Probe("Idempotency-Key reused with an empty object", path,
                        () => new StringContent("{}", Encoding.UTF8, "application/json"), new Dictionary<string, string> { ["Idempotency-Key"] = reused });
                    break;
                case "DispatchTicket":
                    // Once for all the action operations: every action on a ticket that exists (auto_close, which has no
                    // route, included), with an empty body and one of the wrong shape.
                    foreach (var action in Enum.GetNames<Linli.Domain.Tickets.TicketAction>())
                    {
                        var code = JsonNamingPolicy.SnakeCaseLower.ConvertName(action);
                        var actionPath = $"/api/v1/tickets/{Existing["tickets"]}/{code}";
                        yield return new Probe($"[existing ticket] action {code}, plausible body", actionPath, plausible);
                        yield return new Probe($"[existing ticket] action {code}, no body", actionPath, () => null);
                        yield return new Probe($"[existing ticket] action {code}, body []", actionPath,
                            () => new StringContent("[]", Encoding.UTF8, "application/json"));
                    }
                    break;
                case "Upload":
                    yield return new Probe("upload: no body", path, () => null);
                    yield return new Probe("upload: JSON instead of multipart", path, () => new StringContent("{}", Encoding.UTF8, "application/json"));
                    yield return new Probe("upload: multipart without a boundary", path, () =>
                    {
                        var content = new ByteArrayContent("x"u8.ToArray());
                        content.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data");
                        return content;
                    });
                    yield return new Probe("upload: truncated multipart", path, () =>
                    {
                        var content = new ByteArrayContent("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n\r\nabc"u8.ToArray());
                        content.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=b");
                        return content;
                    });
                    yield return new Probe("upload: empty multipart", path, () => new MultipartFormDataContent());
                    yield return new Probe("upload: the file in a field not named 'file'", path, () => Multipart("photo", "a.jpg", "image/jpeg", JpegBytes()));
                    yield return new Probe("upload: a text field named 'file'", path, () =>
                        new MultipartFormDataContent { { new StringContent("not a file"), "file" } });
                    yield return new Probe("upload: an empty file", path, () => Multipart("file", "a.jpg", "image/jpeg", []));
                    yield return new Probe("upload: text claiming to be a JPEG", path, () => Multipart("file", "a.jpg", "image/jpeg", "hello"u8.ToArray()));
                    yield return new Probe("upload: an executable", path, () => Multipart("file", "a.exe", "application/octet-stream", [0x4d, 0x5a, 0x90, 0x00]));
                    yield return new Probe("upload: a long emoji file name", path, () =>
                        Multipart("file", string.Concat(Enumerable.Repeat("😀", 300)) + ".jpg", "image/jpeg", JpegBytes()));
                    yield return new Probe("upload: a file name with a path and control characters", path, () =>
                        Multipart("file", "..\\..\\a\u0001.jpg", "image/jpeg", JpegBytes()));
                    yield return new Probe("upload: two files", path, () =>
                    {
                        var content = Multipart("file", "a.jpg", "image/jpeg", JpegBytes());
                        var second = new ByteArrayContent(JpegBytes());
                        second.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
                        content.Add(second, "file", "b.jpg");
                        return content;
                    });
                    break;
            }
        }

        private static MultipartFormDataContent Multipart(string field, string fileName, string contentType, byte[] bytes)
        {
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            return new MultipartFormDataContent { { file, field, fileName } };
        }

        /// <summary>The start of a JPEG, then nothing: right magic bytes, not a picture.</summary>
        private static byte[] JpegBytes() => [0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00];

        private string PlausibleQueryValue(JsonObject parameter) =>
            HostileInputs.Plausible(parameter["schema"] as JsonObject, Resolve) switch
            {
                JsonValue v when v.TryGetValue<string>(out var s) => s,
                { } other => other.ToJsonString(),
                null => "1",
            };

        /// <summary>Follows <c>$ref</c> and single-schema <c>allOf</c>/<c>oneOf</c>/<c>anyOf</c> wrappers.</summary>
        private JsonObject? Resolve(JsonObject? schema)
        {
            for (var i = 0; schema is not null && i < 10; i++)
            {
                if (schema["$ref"]?.GetValue<string>() is { } reference)
                    schema = Document["components"]?["schemas"]?[reference.Split('/')[^1]] as JsonObject;
                else if ((schema["allOf"] ?? schema["oneOf"] ?? schema["anyOf"]) is JsonArray { Count: > 0 } options && schema["properties"] is null)
                    schema = options[0] as JsonObject;
                else
                    return schema;
            }
            return schema;
        }
    }

    [GeneratedRegex(@"\{\*{0,2}([^}:=?*]+)[^}]*\}")]
    private static partial Regex RouteParameter();
}
