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
            if (!charset.Equals("utf8mb4", StringComparison.OrdinalIgnoreCase))
                throw new NotSupportedException(
                    $"This driver escapes parameters for a utf8mb4 connection only; changing the client character set to \"{charset}\" is refused.");
        }
    }

    [GeneratedRegex("""\bSET\s+(?:(?:SESSION|LOCAL|@@SESSION\.|@@LOCAL\.|@@)\s*)?(?:NAMES|CHARACTER\s+SET|CHARSET|character_set_client\s*(?:=|:=)|character_set_connection\s*(?:=|:=))\s*['"`]?(?<charset>\w+)""",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CharacterSetChange();
}
