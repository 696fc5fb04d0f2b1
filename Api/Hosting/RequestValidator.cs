// The validator's own resolver (what the source generator registered for AddValidation) is marked for evaluation in
// .NET 10; asking it directly keeps one set of rules for requests that reach a service without an endpoint.
#pragma warning disable ASP0029
using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Validation;

namespace Linli.Api.Hosting;

/// <summary>
/// Validates a request record the way its endpoint does (annotations and <see cref="IValidatableObject"/>), for a
/// request the service builds itself and hands to the same code (a visit's issue becoming a ticket, the demo's
/// reports): the same rules, the same field names.
/// </summary>
public sealed class RequestValidator(IOptions<ValidationOptions> options)
{
    /// <summary>The field errors, named as the JSON request spells them; empty when the request is valid.</summary>
    public async Task<Dictionary<string, string[]>> ErrorsAsync<T>(T request, CancellationToken ct) where T : class
    {
        var validation = options.Value;
        if (!validation.TryGetValidatableTypeInfo(typeof(T), out var info))
            throw new InvalidOperationException($"{typeof(T).Name} is no endpoint's request: the validator has no rules for it.");
        var context = new ValidateContext { ValidationContext = new ValidationContext(request), ValidationOptions = validation };
        await info.ValidateAsync(request, context, ct);
        var errors = new Dictionary<string, string[]>(context.ValidationErrors ?? [], StringComparer.Ordinal);
        ValidationProblemKeys.ToJsonNames(errors);
        return errors;
    }
}
