using Microsoft.Extensions.Configuration;

namespace Linli.Infrastructure.Notifications;

/// <summary>
/// Start-up checks of <c>Notifications:Templates</c>: a template whose keywords do not fit the values they are given
/// would have every message refused by WeChat (47003, final), so the service refuses to start instead, naming the keyword.
/// </summary>
public static class SubscribeTemplates
{
    public static IEnumerable<string> Problems(IConfiguration configuration)
    {
        foreach (var kind in configuration.GetSection($"{NotificationOptions.Section}:Templates").GetChildren())
        {
            var prefix = $"{NotificationOptions.Section}:Templates:{kind.Key}";
            // Some configuration layers give a section with children an empty value: only children tell the shapes apart.
            if (!kind.GetChildren().Any())
            {
                if (string.IsNullOrEmpty(kind.Value))
                    continue;
                yield return $"{prefix} is a bare template id; set {prefix}:Id and {prefix}:Keywords:<keyword>=<value> (which value fills which keyword of the template).";
                continue;
            }
            if (string.IsNullOrWhiteSpace(kind["Id"]))
                yield return $"{prefix}:Id is not set.";
            var keywords = kind.GetSection("Keywords").GetChildren().ToList();
            if (keywords.Count == 0)
                yield return $"{prefix}:Keywords names no keyword; list each keyword of the template with the value it shows.";
            foreach (var keyword in keywords)
            {
                var type = SubscribeValueRules.TypeOf(keyword.Key);
                var value = keyword.Value ?? "";
                if (type is null || !SubscribeValueRules.MaxLength.ContainsKey(type))
                    yield return $"{prefix}:Keywords:{keyword.Key}: Linli cannot fill a keyword of this type; it fills {string.Join(", ", SubscribeValueRules.MaxLength.Keys)}.";
                else if (!NoticeValues.KeywordTypes.TryGetValue(value, out var types))
                    yield return $"{prefix}:Keywords:{keyword.Key}: '{value}' is not a notice value; use one of {string.Join(", ", NoticeValues.KeywordTypes.Keys)}.";
                else if (!types.Contains(type))
                    yield return $"{prefix}:Keywords:{keyword.Key} is a {type} keyword; '{value}' only fills {string.Join(" or ", types)} keywords.";
            }
        }
    }
}
