using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Linli.Api.Hosting;
using Linli.Api.Tests.Support;
using Linli.Api.Tests.Tickets;
using Linli.Api.Tests.Wechat;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace Linli.Api.Tests.Hosting;

public class TelemetryTests
{
    [Test]
    public async Task OneReportIsOneServerSpanWithItsStatementsAndTheContentCheckAsChildren()
    {
        var appId = TestData.Unique("wx");
        await using var wechat = await FakeWechatServer.StartAsync(appId);
        var spans = new Spans();
        await using var factory = new TracedFactory(spans, TicketsApp.Settings(
            ("Wechat:Mode", "Live"), ("Wechat:AppId", appId), ("Wechat:AppSecret", FakeWechatServer.AppSecret),
            ("Wechat:BaseAddress", wechat.BaseAddress.ToString()), ("Qr:UseStandardQr", "true")));
        var w = await TicketWorld.CreateAsync(factory);
        var categoryId = await w.CategoryIdAsync();

        using var response = await w.PostReportAsync(w.Resident.Client, new { categoryId, description = "路灯坏了，晚上看不见", gridId = w.GridId });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var traceId = response.Headers.GetValues(TraceIds.Header).Single();

        // The server span ends just after the response is written.
        Activity? server = null;
        for (var i = 0; i < 50 && server is null; i++)
        {
            server = spans.Snapshot().FirstOrDefault(s => s.Kind == ActivityKind.Server && s.TraceId.ToHexString() == traceId
                    && s.DisplayName.StartsWith("POST /api/v1/tickets", StringComparison.Ordinal));
            if (server is null)
                await Task.Delay(100);
        }
        var trace = spans.Snapshot().Where(s => s.TraceId.ToHexString() == traceId).ToList();
        Assert.That(server, Is.Not.Null, $"a server span with the response's trace id; saw {string.Join(", ", trace.Select(s => s.DisplayName))}");

        var children = trace.Where(s => s.ParentSpanId == server!.SpanId).ToList();
        var statements = children.Where(s => s.Source.Name == Telemetry.MySqlConnectorSource).ToList();
        var statementTexts = statements.SelectMany(s => s.TagObjects).Select(t => t.Value as string ?? "").ToList();
        var contentCheck = children.Where(s => s.Kind == ActivityKind.Client
            && s.TagObjects.Any(t => t.Value is string v && v.Contains("/wxa/msg_sec_check", StringComparison.Ordinal))).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(server!.GetTagItem("http.response.status_code"), Is.EqualTo(201));
            Assert.That(statements, Has.Count.GreaterThanOrEqualTo(3), "the report's SQL statements are children of its server span");
            Assert.That(statementTexts, Has.Some.Contains("INSERT INTO tickets"), "the statements' text is recorded");
            Assert.That(contentCheck, Has.Count.EqualTo(1), "the content check is a child of the server span");
            Assert.That(wechat.SecurityChecks, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task AProblemsTraceIdIsTheW3cTraceIdOfItsServerSpan()
    {
        var spans = new Spans();
        await using var factory = new TracedFactory(spans, new Dictionary<string, string?>());
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/api/v1/no-such-route");
        var problem = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        var traceId = problem.GetProperty("traceId").GetString();
        await Task.Delay(200);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(traceId, Does.Match("^[0-9a-f]{32}$"), "a W3C trace id");
            Assert.That(response.Headers.GetValues(TraceIds.Header).Single(), Is.EqualTo(traceId));
            Assert.That(spans.Snapshot().Where(s => s.Kind == ActivityKind.Server).Select(s => s.TraceId.ToHexString()), Does.Contain(traceId));
        });
    }

    /// <summary>The app with an in-memory trace exporter added to its own OpenTelemetry set-up.</summary>
    /// <summary>Finished spans; the exporter adds from whichever thread ends one.</summary>
    private sealed class Spans : System.Collections.ObjectModel.Collection<Activity>
    {
        protected override void InsertItem(int index, Activity item)
        {
            lock (this)
                base.InsertItem(index, item);
        }

        public List<Activity> Snapshot()
        {
            lock (this)
                return [.. this];
        }
    }

    private sealed class TracedFactory(Spans spans, IDictionary<string, string?> settings) : LinliFactory(settings)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans)));
        }
    }
}
