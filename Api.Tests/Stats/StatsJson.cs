using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Linli.Api.Tests.Stats;

/// <summary>Reading figures in the stats tests: a GET asserted 200, and numbers that may be null.</summary>
internal static class StatsJson
{
    public static async Task<JsonElement> GetJsonAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static long L(JsonElement e, string name) => e.GetProperty(name).GetInt64();

    public static double? D(JsonElement e, string name) =>
        e.GetProperty(name).ValueKind == JsonValueKind.Null ? null : e.GetProperty(name).GetDouble();
}
