namespace Linli.Api.Hosting;

/// <summary>
/// What every request goes through: trace id and request log, ProblemDetails for every error,
/// body-size and rate limits, the OpenAPI document and Swagger UI. Program.cs calls these two methods;
/// feature code never needs to touch the pipeline.
/// </summary>
public static class HostingExtensions
{
    public static WebApplicationBuilder AddLinliHosting(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var development = builder.Environment.IsDevelopment();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            c.ProblemDetails.Extensions["traceId"] = TraceIds.Of(c.HttpContext);
            if (c.ProblemDetails is HttpValidationProblemDetails validation)
                ValidationProblemKeys.ToJsonNames(validation.Errors, c.HttpContext.GetEndpoint());
            // Never outside Development: a stack trace tells an attacker how the service is built.
            if (development && c.Exception is not null && c.ProblemDetails.Status == StatusCodes.Status500InternalServerError)
                c.ProblemDetails.Extensions["exception"] = c.Exception.ToString();
        });
        services.WriteProblemsWhateverTheAccept();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        // Bad input (malformed JSON, a route or query value that cannot be bound) becomes an
        // exception in every environment, so ProblemExceptionHandler can name the field.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        // The one validation mechanism: the DataAnnotations on request records, checked before a handler runs.
        // Its 400 goes through the problem details service above, so it carries the trace id like every error.
        services.AddValidation();
        services.AddSingleton<RequestValidator>();
        services.AddLinliForwardedHeaders(builder.Configuration);
        services.AddLinliRateLimits(builder.Configuration);
        services.AddLinliOpenApi();
        // On SIGTERM/Ctrl-C the server stops accepting, lets in-flight requests finish and stops
        // background workers, all within this time.
        services.Configure<HostOptions>(o =>
            o.ShutdownTimeout = TimeSpan.FromSeconds(builder.Configuration.GetValue("Hosting:ShutdownTimeoutSeconds", 30)));
        return builder;
    }

    public static WebApplication UseLinliHosting(this WebApplication app)
    {
        // First, so every limit and log sees the client's address (only ever from a trusted proxy).
        app.UseForwardedHeaders();
        app.UseMiddleware<RequestLogging>();
        app.UseExceptionHandler();
        // Empty error responses (unknown route 404, 405, 401/403 from authorization) get a ProblemDetails body.
        app.UseStatusCodePages();
        // The document tells an attacker every route and field: outside Development only when a deployment asks for it.
        if (app.Environment.IsDevelopment() || app.Configuration.GetValue<bool>("OpenApi:Serve"))
        {
            app.UseSwagger();
            app.UseSwaggerUI(o => o.DocumentTitle = "Linli API");
        }
        app.UseRouting();
        app.UseMiddleware<UnmatchedRequests>();
        app.UseMiddleware<RequestBodyLimit>();
        app.UseAuthentication();
        // After authentication, so a policy can partition by the signed-in user.
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseMiddleware<RequestCharset>();
        return app;
    }
}
