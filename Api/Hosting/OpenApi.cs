using Linli.Api.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Linli.Api.Hosting;

/// <summary>
/// The OpenAPI document served at <c>/swagger/v1/swagger.json</c> (and <c>.yaml</c>), which <c>openapi.yaml</c>
/// at the repository root must equal. It is deterministic: paths and schemas sorted, no server URL.
/// Every operation says whether it needs the bearer token and lists the ProblemDetails it can answer with.
/// </summary>
public static class OpenApi
{
    public const string DocumentName = "v1";
    public const string BearerScheme = "Bearer";

    public static IServiceCollection AddLinliOpenApi(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc(DocumentName, new OpenApiInfo
            {
                Title = "Linli API",
                Version = DocumentName,
                Description = "The backend of the Linli (邻里) community self-governance mini-program. " +
                    "Sign in with a WeChat login code to get a bearer token; errors are RFC 9457 problem details.",
            });
            o.AddSecurityDefinition(BearerScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "The access token returned by sign-in.",
            });
            o.SortSchemasWith(StringComparer.Ordinal);
            o.OperationFilter<ProblemResponsesFilter>();
            o.DocumentFilter<SortedPathsFilter>();
        });
        return services;
    }

    /// <summary>Adds the security requirement and the ProblemDetails responses an operation can produce, unless the endpoint already declares them.</summary>
    private sealed class ProblemResponsesFilter : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
            operation.Responses ??= new OpenApiResponses();
            var hasInput = context.ApiDescription.ParameterDescriptions.Count > 0;
            var hasBody = context.ApiDescription.ParameterDescriptions.Any(p => p.Source.Id == "Body");

            if (!metadata.OfType<IAllowAnonymous>().Any())
            {
                // The fallback policy makes every endpoint without [AllowAnonymous] require a token.
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement
                {
                    [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [],
                });
                Add(operation, context, "401", "No token, or the token is invalid or expired.");
                var policies = metadata.OfType<IAuthorizeData>()
                    .Select(a => a.Policy).OfType<string>().Where(p => p != Policies.SignedIn).Distinct().ToList();
                if (policies.Count > 0)
                    Add(operation, context, "403", $"Signed in, but without the role this needs (policy: {string.Join(", ", policies)}).");
            }
            if (hasInput)
                Add(operation, context, "400", "A parameter or field is invalid; `errors` names each field.", validation: true);
            if (hasBody)
            {
                Add(operation, context, "413", "The request body is too large.");
                Add(operation, context, "415", "The request body is not `application/json`.");
            }
            var write = context.ApiDescription.HttpMethod is not ("GET" or "HEAD");
            if (write || metadata.OfType<EnableRateLimitingAttribute>().Any() || metadata.OfType<IAllowAnonymous>().Any())
                Add(operation, context, "429", "Too many requests; see `Retry-After`.");
            Add(operation, context, "500", "An unexpected error; `traceId` identifies it in the logs.");
        }

        private static void Add(OpenApiOperation operation, OperationFilterContext context, string status, string description, bool validation = false)
        {
            if (operation.Responses!.ContainsKey(status))
                return;
            var schema = context.SchemaGenerator.GenerateSchema(
                validation ? typeof(HttpValidationProblemDetails) : typeof(ProblemDetails), context.SchemaRepository);
            operation.Responses[status] = new OpenApiResponse
            {
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/problem+json"] = new() { Schema = schema },
                },
            };
        }
    }

    /// <summary>Paths in ordinal order, so the document does not depend on the order features are mapped in.</summary>
    private sealed class SortedPathsFilter : IDocumentFilter
    {
        public void Apply(OpenApiDocument document, DocumentFilterContext context)
        {
            var sorted = document.Paths.OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
            document.Paths.Clear();
            foreach (var (path, item) in sorted)
                document.Paths.Add(path, item);
        }
    }
}
