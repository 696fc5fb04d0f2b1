namespace Linli.Api.Hosting;

/// <summary>
/// A list's <c>cursor</c> is the id of the last row of the previous page, as the list returned it in <c>nextCursor</c>.
/// The pattern keeps it within a long, so a cursor that passed validation always parses.
/// </summary>
public static class Cursors
{
    public const string Pattern = "[0-9]{1,18}";
    public const string Message = "Not a cursor from this list.";
}
