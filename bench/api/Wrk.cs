using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

/// <summary>
/// The same GET driven by wrk (Debian's package: C, one epoll loop), when it is installed. The bench's own .NET client
/// spends 140–200 µs of CPU a request on the two cores the API and MariaDB share — a cost the service's real clients,
/// phones, put on their own CPUs — while wrk spends 70–100 (counted: it is the bench's child). Its figures are printed
/// beside the .NET client's, not instead of them, and it takes one-second turns among the other scenarios like them.
/// </summary>
static partial class Wrk
{
    public static bool Installed => File.Exists("/usr/bin/wrk");

    /// <summary>Closed loop on one thread with <paramref name="connections"/> connections; latency percentiles from <c>--latency</c>.</summary>
    public static async Task<Stats> RunAsync(string url, string token, int connections, int seconds)
    {
        var start = new ProcessStartInfo("/usr/bin/wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-t1", $"-c{connections}", $"-d{seconds}s", "--latency", "-H", $"Authorization: Bearer {token}", url })
            start.ArgumentList.Add(arg);
        using var wrk = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start");
        var output = await wrk.StandardOutput.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        if (wrk.ExitCode != 0)
            throw new InvalidOperationException($"wrk failed: {await wrk.StandardError.ReadToEndAsync()}");
        double Number(Regex pattern) => double.Parse(pattern.Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var requests = (long)Number(RequestsPattern());
        var errors = NonSuccessPattern().Match(output) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var elapsed = Duration(RequestsPattern().Match(output));
        return new Stats(Number(RatePattern()), Milliseconds(output, "50%"), Milliseconds(output, "99%"), errors, requests, Seconds: elapsed);
    }

    /// <summary>The time wrk measured over ("1234 requests in 1.00s"), in seconds.</summary>
    private static double Duration(Match requestsLine)
    {
        var value = double.Parse(requestsLine.Groups[2].Value, CultureInfo.InvariantCulture);
        return requestsLine.Groups[3].Value switch { "ms" => value / 1000, "m" => value * 60, "us" => value / 1_000_000, _ => value };
    }

    /// <summary>A line of wrk's latency distribution ("     99%   12.34ms") in milliseconds.</summary>
    private static double Milliseconds(string output, string percentile)
    {
        var m = Regex.Match(output, $@"^\s+{Regex.Escape(percentile)}\s+([0-9.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return m.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RatePattern();

    [GeneratedRegex(@"^\s+([0-9]+) requests in ([0-9.]+)(us|ms|s|m),", RegexOptions.Multiline)]
    private static partial Regex RequestsPattern();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+([0-9]+)")]
    private static partial Regex NonSuccessPattern();
}
