namespace Linli.Api.Hosting;

// The few failures a handler may throw instead of returning a result; ProblemExceptionHandler turns each
// into its ProblemDetails. A field that breaks a rule only the database can check (an id that names nothing) throws
// DataAnnotations' ValidationException with the field as the ValidationResult's member: the same 400 as the validator's. Prefer returning TypedResults where the outcome is part of the endpoint's contract.

/// <summary>404: the thing does not exist, or the caller may not know that it does.</summary>
public sealed class NotFoundException(string detail) : Exception(detail);

/// <summary>403: signed in, but this action is not theirs to take.</summary>
public sealed class ForbiddenException(string detail) : Exception(detail);

/// <summary>
/// 409: the request conflicts with the current state (a ticket already claimed, a house already bound).
/// The problem names the state and what can be done now, e.g. <c>currentState</c>, <c>allowedActions</c>.
/// </summary>
public sealed class ConflictException(string detail, IReadOnlyDictionary<string, object?>? extensions = null) : Exception(detail)
{
    public IReadOnlyDictionary<string, object?> Extensions { get; } = extensions ?? new Dictionary<string, object?>();
}
