using System.Text;
using Linli.Api.Auth;

namespace Linli.Api.Hosting;

/// <summary>
/// Checks the configuration before anything is built. Some settings are required everywhere; in every environment
/// but Development and Testing (Staging, Production, a demo server's own name) the keys that ship with the repository
/// (development and test keys) and Simulated WeChat are refused too, because a server running with them would accept
/// forged tokens or anyone's sign-in — whatever its environment is called.
/// </summary>
public static class StartupValidation
{
    /// <summary>Keys committed to this repository (appsettings.Development.json, the test factory): never secret.</summary>
    private static readonly HashSet<string> KnownSigningKeys = new(StringComparer.Ordinal)
    {
        "development-only-signing-key-not-for-production-0123456789",
        "test-only-signing-key-0123456789-abcdefghijklmnop",
    };

    private static readonly HashSet<string> KnownFieldKeys = new(StringComparer.Ordinal)
    {
        "ZGV2ZWxvcG1lbnQtb25seS1maWVsZC1rZXktMzJieXQ=",
        "ZGV2ZWxvcG1lbnQtb25seS1oYXNoLWtleS0zMmJ5dGU=",
        Convert.ToBase64String("test-only-field-key-32-bytes-ok!"u8.ToArray()),
        Convert.ToBase64String("test-only-hash-key-32-bytes-ok!!"u8.ToArray()),
    };

    /// <summary>Null when the settings are fine; otherwise the message that names every problem.</summary>
    public static string? Refusal(IConfiguration configuration, IHostEnvironment environment)
    {
        var problems = Problems(configuration, environment);
        return problems.Count == 0 ? null : "Linli cannot start:" + string.Concat(problems.Select(p => "\n  - " + p));
    }

    public static IReadOnlyList<string> Problems(IConfiguration configuration, IHostEnvironment environment)
    {
        var problems = new List<string>();
        // Only a developer's machine and the test host may run with the repository's keys or Simulated WeChat.
        var production = !environment.IsDevelopment() && !environment.IsEnvironment("Testing");

        if (string.IsNullOrWhiteSpace(configuration.GetConnectionString("Main")))
            problems.Add("ConnectionStrings:Main is not set (environment variable ConnectionStrings__Main).");

        var signingKey = configuration[$"{JwtOptions.Section}:SigningKey"] ?? "";
        if (Encoding.UTF8.GetByteCount(signingKey) < 32)
            problems.Add("Jwt:SigningKey must be at least 32 bytes.");
        else if (production && KnownSigningKeys.Contains(signingKey))
            problems.Add("Jwt:SigningKey is a development or test key from the repository; set a secret key.");

        var fields = configuration.GetSection("FieldProtection");
        var currentKeyId = fields["CurrentKeyId"];
        var keys = fields.GetSection("Keys").GetChildren().ToList();
        if (string.IsNullOrWhiteSpace(currentKeyId) || fields[$"Keys:{currentKeyId}"] is not { Length: > 0 })
            problems.Add("FieldProtection:CurrentKeyId must name a key in FieldProtection:Keys.");
        if (string.IsNullOrWhiteSpace(fields["HashKey"]))
            problems.Add("FieldProtection:HashKey is not set.");
        if (production && (keys.Any(k => KnownFieldKeys.Contains(k.Value ?? "")) || KnownFieldKeys.Contains(fields["HashKey"] ?? "")))
            problems.Add("FieldProtection keys include a development or test key from the repository; set secret keys.");

        if (ForwardedHeaders.Problem(configuration) is { } forwarded)
            problems.Add(forwarded);

        var wechat = configuration.GetSection("Wechat");
        // Unset means Simulated in Development and Testing, Live elsewhere (as AddWechat decides).
        var mode = wechat["Mode"] ?? (environment.IsDevelopment() || environment.IsEnvironment("Testing") ? "Simulated" : "Live");
        if (string.Equals(mode, "Simulated", StringComparison.OrdinalIgnoreCase))
        {
            if (production && !wechat.GetValue<bool>("AllowSimulatedInProduction"))
                problems.Add($"Wechat:Mode is Simulated, which lets anyone sign in as anyone; outside Development and Testing (here: {environment.EnvironmentName}) also set Wechat:AllowSimulatedInProduction=true if that is really meant.");
        }
        else if (string.Equals(mode, "Live", StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(wechat["AppId"]) || string.IsNullOrWhiteSpace(wechat["AppSecret"]))
                problems.Add("Wechat:AppId and Wechat:AppSecret are required when Wechat:Mode is Live.");
        }
        else
        {
            problems.Add($"Wechat:Mode must be Live or Simulated, not '{mode}'.");
        }
        if (TransportSecurity.Problem(configuration, environment) is { } transport)
            problems.Add(transport);
        problems.AddRange(WechatLimitProblems(wechat));
        problems.AddRange(Linli.Infrastructure.Notifications.SubscribeTemplates.Problems(configuration));
        return problems;
    }

    /// <summary>
    /// WeChat's own limits (issue 17): stable_token's normal mode renews the token only in its last 5 minutes, so
    /// refreshing earlier would just fetch the same token again on every call until that window opens.
    /// </summary>
    private static IEnumerable<string> WechatLimitProblems(IConfigurationSection wechat)
    {
        var ahead = wechat["AccessTokenRefreshAheadSeconds"];
        if (ahead is not null && (!int.TryParse(ahead, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            || seconds is < 0 or > Linli.Infrastructure.Wechat.WechatOptions.MaxRefreshAheadSeconds))
            yield return $"Wechat:AccessTokenRefreshAheadSeconds must be 0–{Linli.Infrastructure.Wechat.WechatOptions.MaxRefreshAheadSeconds}: " +
                "WeChat's stable_token renews the token only in its last 5 minutes.";
    }
}
