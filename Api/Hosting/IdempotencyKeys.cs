namespace Linli.Api.Hosting;

/// <summary>
/// The <c>Idempotency-Key</c> header: the client's name for one write, so that a phone retrying after a lost answer
/// gets the first request's result instead of a second ticket or visit. Keys belong to the signed-in user.
/// </summary>
/// <remarks>
/// An endpoint declares the header as
/// <c>[FromHeader(Name = IdempotencyKeys.Header), Required(ErrorMessage = IdempotencyKeys.Message),
/// StringLength(IdempotencyKeys.MaxLength, MinimumLength = 1, ErrorMessage = IdempotencyKeys.Message)] string? idempotencyKey</c>:
/// the annotations make the contract say it is required, and the validator refuses a blank or over-long key. The
/// validator passes over a parameter that is missing altogether (null), so the endpoint still refuses that itself
/// with <see cref="Missing"/>. The parameter stays nullable: a non-nullable one would be refused by the binder with a
/// problem that names no field.
/// </remarks>
public static class IdempotencyKeys
{
    public const string Header = "Idempotency-Key";
    public const int MaxLength = 100;
    public const string Message = "The Idempotency-Key header is required (at most 100 characters).";

    /// <summary>The field error for a request without the header; null when a key came.</summary>
    public static Dictionary<string, string[]>? Missing(string? key) =>
        string.IsNullOrWhiteSpace(key) || key.Length > MaxLength ? new() { [Header] = [Message] } : null;
}
