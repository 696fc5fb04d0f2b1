using System.Text.Json;
using System.Text.Json.Serialization;
using Linli.Api.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Linli.Api.Hosting;

/// <summary>
/// The OpenAPI document served at <c>/swagger/v1/swagger.json</c> (and <c>.yaml</c>), which <c>openapi.yaml</c>
/// at the repository root must equal. It is deterministic: paths and schemas sorted, fixed servers.
/// Every operation says whether it needs the bearer token and lists the ProblemDetails it can answer with; the schemas
/// say what the validator enforces (OpenApiSchemaRules); each feature's tag is described once, here.
/// </summary>
public static class OpenApi
{
    public const string DocumentName = "v1";
    public const string BearerScheme = "Bearer";

    /// <summary>One tag per feature, in the order a reader meets them.</summary>
    public static readonly IReadOnlyDictionary<string, string> Tags = new Dictionary<string, string>
    {
        ["Auth"] = "Sign-in with a WeChat login code, refresh and sign-out. Anonymous, rate limited.",
        ["Me"] = "The signed-in user's own profile, roles and phone.",
        ["Structure"] = "Street offices, their communities, the grids and the departments. Admins manage them; community staff manage their own community's grids.",
        ["Invitations"] = "Single-use codes that give staff their roles.",
        ["Users"] = "Staff management: people holding roles, revoking roles, blocking users.",
        ["Tickets"] = "居民点单, 社区派单, 部门接单, 党员领单, 一事一评: reporting problems, moving them through their states, ticket categories.",
        ["Uploads"] = "Photos for tickets, visits and notices.",
        ["Notifications"] = "The signed-in user's in-app notifications.",
        ["Houses"] = "一房一码: houses, their QR identities and the public card a scan shows.",
        ["Tenancies"] = "Tenants registered in houses, 以人找房 look-ups and audited full reads of identity documents.",
        ["PartyMembers"] = "双报到 report-ins of party members, their review by the community and the 党员 badge.",
        ["Stats"] = "Ticket, population and visit figures, each also as CSV.",
        ["Households"] = "户: households in houses with their members and the groups staff look after (tags), registered by residents or grid workers.",
        ["Contacts"] = "4113: households assigned to staff and party members with a visiting rhythm, and each person's due contacts.",
        ["Visits"] = "民情日志: the log of visits, calls and meetings with households; issues heard become patrol tickets.",
        ["Homes"] = "My community: where residents live (a scanned house code, a chosen grid, a tenancy, an owned house, a household), and how many live in each grid.",
        ["Notices"] = "公告: notices, policies, results, conventions and emergencies published to a community's residents, with read receipts.",
        ["Console"] = "扫码登录: console sessions the staff console signs in with, approved by scanning in the mini-program.",
        ["Health"] = "Liveness and readiness probes.",
    };

    public static IServiceCollection AddLinliOpenApi(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        // Swashbuckle recognises string enums (and their naming policy) by the standard converter; the service's own
        // SnakeCaseEnumConverter writes the same names but reads only those, so the describer gets the standard one.
        services.AddTransient<ISerializerDataContractResolver>(sp =>
        {
            var options = new JsonSerializerOptions(sp.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions);
            options.Converters.Insert(0, new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
            return new JsonSerializerDataContractResolver(options);
        });
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc(DocumentName, new OpenApiInfo
            {
                Title = "Linli API",
                Version = DocumentName,
                Description = "The backend of the Linli (邻里) community self-governance mini-program. " +
                    "Sign in with a WeChat login code to get a bearer token; errors are RFC 9457 problem details.",
                Contact = new OpenApiContact { Name = "Linli maintainers" },
            });
            o.AddServer(new OpenApiServer { Url = "http://127.0.0.1:5080", Description = "The local service that `./run` starts." });
            o.AddSecurityDefinition(BearerScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "The access token returned by sign-in.",
            });
            o.SortSchemasWith(StringComparer.Ordinal);
            o.SchemaFilter<OpenApiSchemaRules.SchemaFilter>();
            o.ParameterFilter<OpenApiSchemaRules.ParameterFilter>();
            o.OperationFilter<ProblemResponsesFilter>();
            o.OperationFilter<FileUploadFilter>();
            o.OperationFilter<FileDownloadFilter>();
            o.DocumentFilter<SortedPathsFilter>();
            o.DocumentFilter<TagsFilter>();
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
            if (context.ApiDescription.ParameterDescriptions.Any(p => p.Source.Id == "Path"))
                Add(operation, context, "404", "There is no such resource, or it is not the caller's to see.");
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
                Content = new Dictionary<string, IOpenApiMediaType>
                {
                    ["application/problem+json"] = new OpenApiMediaType { Schema = schema },
                },
            };
        }
    }

    /// <summary>A body the handler reads as multipart/form-data (see <see cref="FileUpload"/>).</summary>
    private sealed class FileUploadFilter : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<FileUpload>().FirstOrDefault() is not { } upload)
                return;
            var types = string.Join(", ", upload.ContentTypes);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = $"{upload.Description} Accepted: {types}; at most {upload.MaxBytes / (1024 * 1024)} MB.",
                Content = new Dictionary<string, IOpenApiMediaType>
                {
                    ["multipart/form-data"] = new OpenApiMediaType
                    {
                        Schema = new OpenApiSchema
                        {
                            Type = JsonSchemaType.Object,
                            Required = new HashSet<string> { upload.Field },
                            Properties = new Dictionary<string, IOpenApiSchema>
                            {
                                [upload.Field] = new OpenApiSchema
                                {
                                    Type = JsonSchemaType.String,
                                    Format = "binary",
                                    Description = $"The file ({types}, at most {upload.MaxBytes} bytes).",
                                },
                            },
                        },
                        Encoding = new Dictionary<string, OpenApiEncoding> { [upload.Field] = new() { ContentType = types } },
                    },
                },
            };
        }
    }

    /// <summary>A 200 whose body is a file (see <see cref="FileDownload"/>).</summary>
    private sealed class FileDownloadFilter : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<FileDownload>().FirstOrDefault() is not { } download)
                return;
            operation.Responses ??= new OpenApiResponses();
            operation.Responses["200"] = new OpenApiResponse
            {
                Description = download.Description,
                Content = download.ContentTypes.ToDictionary(t => t, _ => (IOpenApiMediaType)new OpenApiMediaType
                {
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" },
                }),
            };
        }
    }

    /// <summary>Every tag an operation uses, described (<see cref="Tags"/>); an undescribed tag is a mistake the startup reports.</summary>
    private sealed class TagsFilter : IDocumentFilter
    {
        public void Apply(OpenApiDocument document, DocumentFilterContext context)
        {
            var used = document.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []).SelectMany(o => o.Tags ?? new HashSet<OpenApiTagReference>())
                .Select(t => t.Name).OfType<string>().ToHashSet(StringComparer.Ordinal);
            var unknown = used.Where(t => !Tags.ContainsKey(t)).ToList();
            if (unknown.Count > 0)
                throw new InvalidOperationException($"Describe these tags in OpenApi.Tags: {string.Join(", ", unknown)}.");
            document.Tags = new HashSet<OpenApiTag>(Tags.Where(t => used.Contains(t.Key)).Select(t => new OpenApiTag { Name = t.Key, Description = t.Value }));
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
