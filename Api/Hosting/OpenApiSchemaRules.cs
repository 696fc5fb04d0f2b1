using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Linli.Api.Hosting;

/// <summary>
/// Makes the schemas say what the server enforces, from the same C# the validator and the serializer read.
/// In a request record a property is <c>required</c> when it carries [Required] or its type cannot be null; in a
/// response every property is (the serializer writes nulls too), and <c>nullable</c> says which may be null.
/// [OneOf] words become the <c>enum</c>; the DataAnnotations of a record's constructor parameters (where C# puts
/// them) give lengths, ranges and patterns.
/// </summary>
public static class OpenApiSchemaRules
{
    /// <summary>The annotations of a property, including those written on the record constructor parameter it comes from.</summary>
    public static IReadOnlyList<Attribute> AttributesOf(PropertyInfo property)
    {
        var own = property.GetCustomAttributes(inherit: true).Cast<Attribute>();
        var parameter = property.DeclaringType?.GetConstructors()
            .SelectMany(c => c.GetParameters())
            .FirstOrDefault(p => p.Name == property.Name && p.ParameterType == property.PropertyType);
        return [.. own, .. parameter?.GetCustomAttributes(inherit: true).Cast<Attribute>() ?? []];
    }

    /// <summary>The JSON name of a property (camelCase, as the service's serializer writes it).</summary>
    public static string JsonName(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);

    /// <summary>Whether the property is required: [Required], or a type that cannot be null.</summary>
    public static bool IsRequired(PropertyInfo property, IReadOnlyList<Attribute> attributes) =>
        attributes.OfType<RequiredAttribute>().Any() || new NullabilityInfoContext().Create(property).ReadState == NullabilityState.NotNull;

    internal sealed class SchemaFilter(IApiDescriptionGroupCollectionProvider endpoints) : ISchemaFilter
    {
        private readonly Lazy<HashSet<Type>> _requests = new(() => RequestTypes(endpoints));

        public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
        {
            if (schema is not OpenApiSchema target || target.Properties is not { Count: > 0 } || context.MemberInfo is not null)
                return;
            var isRequest = _requests.Value.Contains(context.Type);
            var isOurs = context.Type.Namespace?.StartsWith("Linli.", StringComparison.Ordinal) == true;
            foreach (var property in context.Type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var name = JsonName(property);
                if (!target.Properties.TryGetValue(name, out var found))
                    continue;
                var attributes = AttributesOf(property);
                var mayBeNull = !IsRequired(property, attributes);
                if (isRequest ? !mayBeNull : isOurs)
                    (target.Required ??= new HashSet<string>(StringComparer.Ordinal)).Add(name);
                if (found is not OpenApiSchema inline)
                {
                    // A reference (an object or an enum) that may be null: the reference is wrapped to say so.
                    if (mayBeNull)
                        target.Properties[name] = new OpenApiSchema { AllOf = [found], Type = JsonSchemaType.Null };
                    continue;
                }
                if (!mayBeNull)
                    inline.Type &= ~JsonSchemaType.Null;
                else if (inline.Type is { } type && !type.HasFlag(JsonSchemaType.Null))
                    inline.Type = type | JsonSchemaType.Null;
                Annotate(inline, attributes);
            }
        }

        /// <summary>The types endpoints read from a request body or query record, and the types of their properties.</summary>
        private static HashSet<Type> RequestTypes(IApiDescriptionGroupCollectionProvider endpoints)
        {
            var found = new HashSet<Type>();
            var pending = new Stack<Type>(endpoints.ApiDescriptionGroups.Items.SelectMany(g => g.Items)
                .SelectMany(d => d.ParameterDescriptions).Where(p => p.Source == BindingSource.Body).Select(p => p.Type));
            while (pending.TryPop(out var type))
            {
                type = Nullable.GetUnderlyingType(type) ?? type;
                if (type.IsArray)
                    type = type.GetElementType()!;
                else if (type.IsGenericType && type.GetGenericArguments() is [var element])
                    type = element;
                if (type.Namespace?.StartsWith("Linli.", StringComparison.Ordinal) != true || !found.Add(type))
                    continue;
                foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                    pending.Push(property.PropertyType);
            }
            return found;
        }
    }

    /// <summary>Lengths, ranges, patterns and words from the annotations, on a property's or a parameter's schema.</summary>
    public static void Annotate(OpenApiSchema schema, IEnumerable<Attribute> attributes)
    {
        foreach (var attribute in attributes)
        {
            switch (attribute)
            {
                case OneOfAttribute oneOf when oneOf.Separator is not null:
                    // A list in one query value: an array the client writes comma-separated (style form, explode false).
                    schema.Type = JsonSchemaType.Array | (schema.Type & JsonSchemaType.Null);
                    schema.Items = new OpenApiSchema { Type = JsonSchemaType.String, Enum = Words(oneOf) };
                    break;
                case OneOfAttribute oneOf when schema.Type?.HasFlag(JsonSchemaType.Array) == true:
                    schema.Items = new OpenApiSchema { Type = JsonSchemaType.String, Enum = Words(oneOf) };
                    break;
                case OneOfAttribute oneOf:
                    schema.Enum = Words(oneOf);
                    break;
                case StringLengthAttribute length:
                    schema.MaxLength = length.MaximumLength;
                    if (length.MinimumLength > 0)
                        schema.MinLength = length.MinimumLength;
                    break;
                case MaxLengthAttribute max when schema.Type?.HasFlag(JsonSchemaType.Array) == true:
                    schema.MaxItems = max.Length;
                    break;
                case MaxLengthAttribute max:
                    schema.MaxLength = max.Length;
                    break;
                case RangeAttribute range:
                    schema.Minimum = Convert.ToString(range.Minimum, System.Globalization.CultureInfo.InvariantCulture);
                    schema.Maximum = Convert.ToString(range.Maximum, System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case RegularExpressionAttribute pattern:
                    // The validator matches the whole value; the schema's pattern says so with anchors.
                    schema.Pattern = $"^(?:{pattern.Pattern})$";
                    break;
                case RequiredAttribute when schema.Type == JsonSchemaType.String || schema.Type == (JsonSchemaType.String | JsonSchemaType.Null):
                    // [Required] refuses an empty or blank text.
                    schema.MinLength ??= 1;
                    break;
            }
        }
    }

    private static List<JsonNode> Words(OneOfAttribute oneOf) => [.. oneOf.Words.Select(w => (JsonNode)JsonValue.Create(w)!)];

    /// <summary>The annotations on an operation's query, header and route parameters.</summary>
    internal sealed class ParameterFilter : IParameterFilter
    {
        public void Apply(IOpenApiParameter parameter, ParameterFilterContext context)
        {
            if (parameter is not OpenApiParameter target || target.Schema is not OpenApiSchema schema || context.ParameterInfo is not { } info)
                return;
            var attributes = info.GetCustomAttributes(inherit: true).Cast<Attribute>().ToList();
            if (context.PropertyInfo is { } property)
                attributes.AddRange(AttributesOf(property));
            Annotate(schema, attributes);
            if (attributes.OfType<OneOfAttribute>().Any(o => o.Separator is not null))
            {
                target.Style = ParameterStyle.Form;
                target.Explode = false;
            }
            if (attributes.OfType<RequiredAttribute>().Any())
            {
                target.Required = true;
                schema.Type &= ~JsonSchemaType.Null;
            }
        }
    }
}
