using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Linli.Api.Hosting;

/// <summary>
/// OpenTelemetry traces and metrics: every request's server span (whose W3C trace id is the problem's
/// <c>traceId</c> and the <c>X-Trace-Id</c> header, see <see cref="TraceIds"/>), with the outgoing WeChat calls and
/// MySqlConnector's statements as its children. Exported over OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set
/// (the standard OTEL_* variables configure the rest); otherwise nothing leaves the process.
/// </summary>
public static class Telemetry
{
    public const string ServiceName = "linli-api";

    /// <summary>The ActivitySource and Meter names MySqlConnector publishes under.</summary>
    public const string MySqlConnectorSource = "MySqlConnector";

    public static WebApplicationBuilder AddLinliTelemetry(this WebApplicationBuilder builder)
    {
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/health"))
                .AddHttpClientInstrumentation()
                .AddSource(MySqlConnectorSource))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddMeter(MySqlConnectorSource));
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            telemetry.UseOtlpExporter();
        return builder;
    }
}
