using System.Diagnostics.Metrics;

namespace Linli.Infrastructure.Notifications;

/// <summary>
/// The <c>Linli.Notifications</c> meter: <c>linli.notifications.undeliverable</c> counts subscribe messages that will
/// never reach WeChat, tagged with their kind and WeChat's errcode (none when retries ran out), so a template
/// configured wrongly (40037, 47003) or a bad page (41030) shows up the day it happens.
/// </summary>
public sealed class NotificationMetrics
{
    public const string MeterName = "Linli.Notifications";
    private readonly Counter<long> _undeliverable;

    public NotificationMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _undeliverable = meter.CreateCounter<long>("linli.notifications.undeliverable", unit: "{message}",
            description: "Subscribe messages given up for good, by notification kind and WeChat errcode.");
    }

    public void Undeliverable(string kind, int? errCode) =>
        _undeliverable.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("errcode", errCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "retries_exhausted"));
}
