using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Linli.Api.Tests.PartyMembers;

/// <summary>Report-ins made through the API, for the features that show the 党员 badge (tickets, house cards).</summary>
public static class ReportIns
{
    public const string Organisation = "某某大学机关第三党支部";

    /// <summary>The member reports in; returns the report-in's id (asserts 201).</summary>
    public static async Task<long> ReportInAsync(HttpClient member, long communityId, string name, bool showBadge, long? gridId = null)
    {
        using var response = await member.PostAsJsonAsync("/api/v1/party-members/report-in", new
        {
            name,
            organisation = Organisation,
            isFloating = false,
            phone = "13812345678",
            communityId,
            gridId,
            skills = new[] { "mediation" },
            showBadge,
        });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    public static async Task ConfirmAsync(HttpClient staff, long reportInId)
    {
        using var response = await staff.PostAsync($"/api/v1/party-members/{reportInId}/confirm", null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    public static async Task SetBadgeAsync(HttpClient member, long reportInId, bool show)
    {
        using var response = await member.PutAsJsonAsync($"/api/v1/party-members/{reportInId}/badge", new { show });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }
}
