using System.Text.RegularExpressions;

namespace Linli.Infrastructure.MySql.Core;

/// <summary>
/// Parameters are escaped for a utf8mb4 connection. Under a multi-byte client character set such as GBK, a value's
/// trailing lead byte could swallow an escaping backslash and end the literal early, so statements that switch the
/// client character set to anything else are refused.
/// </summary>
internal static partial class CharacterSetGuard
{
    public static void Check(string sql)
    {
        // Cheap pre-check: almost no statement mentions either word.
        if (sql.IndexOf("names", StringComparison.OrdinalIgnoreCase) < 0
            && sql.IndexOf("char", StringComparison.OrdinalIgnoreCase) < 0) return;
        foreach (Match match in CharacterSetChange().Matches(sql))
        {
            var charset = match.Groups["charset"].Value;
            if (!charset.Equals("utf8mb4", StringComparison.OrdinalIgnoreCase) && !charset.Equals("default", StringComparison.OrdinalIgnoreCase))
                throw new NotSupportedException(
                    $"This driver escapes parameters for a utf8mb4 connection only; changing the client character set to \"{charset}\" is refused.");
        }
    }

    // SET [comments] NAMES x | CHARACTER SET x | CHARSET x, or an assignment to a client-side character set variable
    // anywhere (it may be one item of a longer SET list). "DEFAULT" is the server's utf8mb4.
    [GeneratedRegex("""(?:\bSET(?:\s|/\*.*?\*/)+(?:NAMES|CHARACTER\s+SET|CHARSET)|\bcharacter_set_(?:client|connection|results)\s*:?=)\s*['"`]?(?<charset>\w+)""",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex CharacterSetChange();
}
