namespace Linli.Api.Hosting;

/// <summary>
/// Endpoint metadata for a body read by hand as multipart/form-data: the OpenAPI document describes it from this
/// (the field, the accepted types, the size limit), since no parameter of the handler says so.
/// </summary>
public sealed record FileUpload(string Field, IReadOnlyList<string> ContentTypes, long MaxBytes, string Description);

/// <summary>Endpoint metadata for a 200 that is a file, not JSON: the OpenAPI document describes its types as binary.</summary>
public sealed record FileDownload(string Description, params string[] ContentTypes);
