using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.Swagger;

namespace Linli.Api.StaffConsole;

/// <summary>
/// The fields of each ticket action's form, for the console: <c>{ "dispatch": { "properties": {…}, "required": […] }, … }</c>.
/// Cut from the same OpenAPI document the contract is, so the forms cannot drift from the validator; served on its own
/// because a production deployment does not publish Swagger (<c>OpenApi:Serve</c>) and the console must work there.
/// Only for staff: it names nothing secret, but there is no reason to describe the API to strangers.
/// </summary>
public sealed class ConsoleActionForms(ISwaggerProvider swagger)
{
    private const string ActionPathPrefix = "/api/v1/tickets/{id}/";

    private readonly Lazy<Task<string>> _forms = new(() => BuildAsync(swagger));

    public const string Path = "/console/action-forms.json";

    /// <summary>The forms as JSON; the document does not change while the process runs, so it is cut once.</summary>
    public Task<string> JsonAsync() => _forms.Value;

    private static async Task<string> BuildAsync(ISwaggerProvider swagger)
    {
        var json = await swagger.GetSwagger(Hosting.OpenApi.DocumentName).SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_0);
        var document = JsonNode.Parse(json)!;
        var schemas = document["components"]?["schemas"];
        var forms = new JsonObject();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            var action = path.StartsWith(ActionPathPrefix, StringComparison.Ordinal) ? path[ActionPathPrefix.Length..] : null;
            // One segment after the id: /tickets/{id}/summons/{summonsId}/report is not a form of the ticket page.
            if (action is null || action.Contains('/') || item?["post"] is not { } operation)
                continue;
            var body = Resolve(operation["requestBody"]?["content"]?["application/json"]?["schema"], schemas);
            var properties = new JsonObject();
            foreach (var (name, property) in body?["properties"]?.AsObject() ?? [])
                properties[name] = Resolve(property, schemas)?.DeepClone();
            forms[action] = new JsonObject
            {
                ["properties"] = properties,
                ["required"] = body?["required"]?.DeepClone() ?? new JsonArray(),
            };
        }
        return forms.ToJsonString();
    }

    /// <summary>Follows <c>$ref</c>s and single-element <c>allOf</c>s (how a described reference is written) to the schema itself.</summary>
    private static JsonNode? Resolve(JsonNode? schema, JsonNode? schemas)
    {
        while (true)
        {
            if (schema?["$ref"]?.GetValue<string>() is { } reference)
                schema = schemas?[reference.Split('/')[^1]];
            else if (schema?["allOf"] is JsonArray { Count: 1 } allOf)
                schema = allOf[0];
            else
                return schema;
        }
    }
}
