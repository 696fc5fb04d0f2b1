// The test asks the validator itself (the resolver the source generator registered) what it refuses; that API is marked
// for evaluation in .NET 10, which is fine for a test that must change with it anyway.
#pragma warning disable ASP0029
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Linli.Api.Hosting;
using Linli.Api.Tests.Support;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Validation;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Linli.Api.Tests.Hosting;

/// <summary>
/// The schema and the validator cannot drift apart: for every request body and every annotated query or header
/// parameter the app serves (found through its own endpoint data), what the served OpenAPI document calls
/// <c>required</c> is exactly what the validator refuses when it is missing, every <c>enum</c> word is accepted,
/// and a word outside the enum — another casing, a number, two words joined by a comma — is refused, naming the field.
/// </summary>
public class ContractTests
{
    private static readonly Lazy<Task<Contract>> Shared = new(Contract.LoadAsync);

    [Test]
    public async Task EveryRequestBodysRequiredFieldsAreExactlyThoseTheValidatorAsksFor()
    {
        var contract = await Shared.Value;
        var offences = new List<string>();
        foreach (var body in contract.Bodies)
        {
            var required = contract.Required(body).Order(StringComparer.Ordinal).ToList();
            var refused = (await contract.ErrorsAsync(body, new JsonObject())).Keys.Order(StringComparer.Ordinal).ToList();
            if (!required.SequenceEqual(refused))
                offences.Add($"{body.Name}: schema requires [{string.Join(", ", required)}], an empty body is refused for [{string.Join(", ", refused)}]");
        }
        Assert.Multiple(() =>
        {
            Assert.That(contract.Bodies, Has.Count.GreaterThan(15), "the app's endpoints name their request bodies");
            Assert.That(offences, Is.Empty, string.Join("\n", offences));
        });
    }

    [Test]
    public async Task EveryEnumInARequestBodyAcceptsItsWordsAndRefusesAnythingElse()
    {
        var contract = await Shared.Value;
        var offences = new List<string>();
        var checkedEnums = 0;
        foreach (var body in contract.Bodies)
        {
            foreach (var (field, words, isList) in contract.Enums(body))
            {
                checkedEnums++;
                JsonNode Value(string word) => isList ? new JsonArray(JsonValue.Create(word)) : JsonValue.Create(word)!;
                foreach (var word in words)
                {
                    if ((await contract.ErrorsAsync(body, new JsonObject { [field] = Value(word) })).ContainsKey(field))
                        offences.Add($"{body.Name}.{field}: the schema's word '{word}' is refused");
                }
                var first = words[0];
                JsonNode[] wrong = [Value("not_a_word"), Value(first.ToUpperInvariant()), Value(" " + first), Value($"{first},{words[^1]}"), JsonValue.Create(1)!];
                foreach (var value in wrong)
                {
                    if (!(await contract.ErrorsAsync(body, new JsonObject { [field] = value })).ContainsKey(field))
                        offences.Add($"{body.Name}.{field}: {value.ToJsonString()} is accepted but not in the schema's enum");
                }
            }
        }
        Assert.Multiple(() =>
        {
            Assert.That(checkedEnums, Is.GreaterThan(5), "request bodies with closed vocabularies were found");
            Assert.That(offences, Is.Empty, string.Join("\n", offences));
        });
    }

    [Test]
    public async Task EveryAnnotatedParameterIsDescribedAsTheValidatorEnforcesIt()
    {
        var contract = await Shared.Value;
        var offences = new List<string>();
        var parameters = contract.Parameters().ToList();
        foreach (var (operation, parameter, schema) in parameters)
        {
            var name = $"{operation} {parameter.Name}";
            var required = schema.Parameter["required"]?.GetValue<bool>() == true;
            var missingRefused = await contract.ParameterRefusesAsync(parameter, null);
            if (required != missingRefused)
                offences.Add($"{name}: the schema says required={required}, the validator {(missingRefused ? "refuses" : "accepts")} it missing");
            if (schema.Words is not { } words)
                continue;
            var joined = schema.Parameter["explode"]?.GetValue<bool>() == false;
            foreach (var word in words)
            {
                if (await contract.ParameterRefusesAsync(parameter, word))
                    offences.Add($"{name}: the schema's word '{word}' is refused");
            }
            if (joined && await contract.ParameterRefusesAsync(parameter, string.Join(',', words)))
                offences.Add($"{name}: a comma-separated list of the schema's words is refused");
            foreach (var value in new[] { "not_a_word", words[0].ToUpperInvariant(), "1", joined ? words[0] + ",,": words[0] + "," + words[^1] })
            {
                if (!await contract.ParameterRefusesAsync(parameter, value))
                    offences.Add($"{name}: '{value}' is accepted but not in the schema's enum");
            }
        }
        Assert.Multiple(() =>
        {
            Assert.That(parameters.Count(p => p.Schema.Words is not null), Is.GreaterThan(4), "annotated parameters with closed vocabularies were found");
            Assert.That(offences, Is.Empty, string.Join("\n", offences));
        });
    }

    private sealed record ParameterSchema(JsonNode Parameter, IReadOnlyList<string>? Words);

    private sealed class Contract(JsonNode document, IReadOnlyList<ApiDescription> descriptions, ValidationOptions validation, JsonSerializerOptions json)
    {
        public static async Task<Contract> LoadAsync()
        {
            var factory = SharedApp.Factory;
            using var client = factory.CreateClient();
            var document = JsonNode.Parse(await client.GetStringAsync("/swagger/v1/swagger.json"))!;
            var descriptions = factory.Services.GetRequiredService<IApiDescriptionGroupCollectionProvider>()
                .ApiDescriptionGroups.Items.SelectMany(g => g.Items).ToList();
            return new Contract(document, descriptions,
                factory.Services.GetRequiredService<IOptions<ValidationOptions>>().Value,
                factory.Services.GetRequiredService<IOptions<HttpJsonOptions>>().Value.SerializerOptions);
        }

        /// <summary>Every type an endpoint reads from its JSON body.</summary>
        public IReadOnlyList<Type> Bodies { get; } = descriptions
            .SelectMany(d => d.ParameterDescriptions).Where(p => p.Source == BindingSource.Body)
            .Select(p => p.Type).Distinct().OrderBy(t => t.Name, StringComparer.Ordinal).ToList();

        private JsonNode Schema(Type type) =>
            document["components"]!["schemas"]![type.Name] ?? throw new AssertionException($"The document has no schema {type.Name}.");

        public IEnumerable<string> Required(Type type) =>
            Schema(type)["required"]?.AsArray().Select(n => n!.GetValue<string>()) ?? [];

        /// <summary>Each property whose schema (or whose items' schema) lists its words, inline or through a $ref.</summary>
        public IEnumerable<(string Field, IReadOnlyList<string> Words, bool IsList)> Enums(Type type)
        {
            foreach (var (field, property) in Schema(type)["properties"]!.AsObject())
            {
                var isList = property!["type"]?.GetValue<string>() == "array";
                if (Words(isList ? property["items"]! : property) is { } words)
                    yield return (field, words, isList);
            }
        }

        private IReadOnlyList<string>? Words(JsonNode schema)
        {
            if (schema["$ref"]?.GetValue<string>() is { } reference)
                schema = document["components"]!["schemas"]![reference.Split('/')[^1]]!;
            else if (schema["allOf"]?[0]?["$ref"] is not null)
                return Words(schema["allOf"]![0]!);
            return schema["enum"]?.AsArray().Select(n => n!.GetValue<string>()).ToList();
        }

        /// <summary>
        /// The fields a body is refused for, as the service answers them: a value the JSON reader refuses (an enum
        /// outside its names) names its field, like ProblemExceptionHandler does; otherwise the validator's errors.
        /// </summary>
        public async Task<IReadOnlyDictionary<string, string[]>> ErrorsAsync(Type type, JsonObject body)
        {
            object instance;
            try
            {
                instance = JsonSerializer.Deserialize(body.ToJsonString(), type, json)!;
            }
            catch (JsonException e)
            {
                return new Dictionary<string, string[]> { [e.Path!.TrimStart('$', '.').Split('[')[0]] = [e.Message] };
            }
            if (!validation.TryGetValidatableTypeInfo(type, out var info))
                return new Dictionary<string, string[]>();
            var context = new ValidateContext { ValidationContext = new ValidationContext(instance), ValidationOptions = validation };
            await info.ValidateAsync(instance, context, CancellationToken.None);
            var errors = new Dictionary<string, string[]>(context.ValidationErrors ?? new Dictionary<string, string[]>());
            ValidationProblemKeys.ToJsonNames(errors);
            return errors.ToDictionary(e => e.Key.Split('[')[0].Split('.')[0], e => e.Value);
        }

        /// <summary>Query and header parameters carrying annotations, with their schema in the served document.</summary>
        public IEnumerable<(string Operation, ParameterInfo Parameter, ParameterSchema Schema)> Parameters()
        {
            foreach (var description in descriptions)
            {
                var operationId = description.ActionDescriptor.EndpointMetadata.OfType<Microsoft.AspNetCore.Routing.IEndpointNameMetadata>().FirstOrDefault()?.EndpointName;
                var path = "/" + description.RelativePath!.Split('?')[0].TrimEnd('/');
                var operation = document["paths"]?[path == "/" ? "/" : path]?[description.HttpMethod!.ToLowerInvariant()]
                    ?? document["paths"]?[path + "/"]?[description.HttpMethod!.ToLowerInvariant()];
                if (operation is null)
                    continue;
                foreach (var parameter in description.ParameterDescriptions)
                {
                    if (parameter.Source != BindingSource.Query && parameter.Source != BindingSource.Header)
                        continue;
                    if (parameter.ParameterDescriptor is not IParameterInfoParameterDescriptor { ParameterInfo: { } info }
                        || !info.GetCustomAttributes<ValidationAttribute>().Any())
                        continue;
                    var served = operation["parameters"]?.AsArray().FirstOrDefault(p => p!["name"]!.GetValue<string>() == parameter.Name)
                        ?? throw new AssertionException($"{operationId}: the parameter {parameter.Name} is not in the document.");
                    var schema = served["schema"]!;
                    var words = schema["type"]?.GetValue<string>() == "array" ? Words(schema["items"]!) : Words(schema);
                    yield return (operationId ?? path, info, new ParameterSchema(served, words));
                }
            }
        }

        /// <summary>Whether the validator refuses this value (null: the parameter is missing).</summary>
        public async Task<bool> ParameterRefusesAsync(ParameterInfo parameter, string? value)
        {
            if (!validation.TryGetValidatableParameterInfo(parameter, out var info))
                return false;
            var context = new ValidateContext { ValidationContext = new ValidationContext(value ?? new object()), ValidationOptions = validation };
            await info.ValidateAsync(value, context, CancellationToken.None);
            return context.ValidationErrors is { Count: > 0 };
        }
    }
}
