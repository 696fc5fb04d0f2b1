using System.Net.Http.Headers;
using System.Net.Http.Json;
using Linli.Api.Auth;
using Linli.Api.Tests.Support;

namespace Linli.Api.Tests.Auth;

/// <summary>Signing in through the real endpoint (Simulated WeChat: <c>sim:&lt;name&gt;</c> is openid <c>sim-&lt;name&gt;</c>).</summary>
public static class SignIn
{
    public static async Task<SessionDto> AsAsync(LinliFactory factory, string name)
    {
        using var client = factory.CreateClient();
        var response = await client.PostAsJsonAsync("/api/v1/auth/wechat-login", new { code = "sim:" + name });
        Assert.That(response.IsSuccessStatusCode, Is.True, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<SessionDto>())!;
    }

    public static HttpClient Bearer(LinliFactory factory, string accessToken)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    public static async Task<HttpResponseMessage> RefreshAsync(LinliFactory factory, string refreshToken)
    {
        using var client = factory.CreateClient();
        return await client.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken });
    }
}
