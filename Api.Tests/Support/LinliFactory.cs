using Linli.Api.Auth;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Linli.Api.Tests.Support;

/// <summary>
/// The API in-process against the real test database. <see cref="Clock"/> is a controllable clock
/// every service sees as its <see cref="TimeProvider"/>. Extra settings can be passed per factory.
/// </summary>
public class LinliFactory(IDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    public const string TestSigningKey = "test-only-signing-key-0123456789-abcdefghijklmnop";

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Main", TestDatabase.ConnectionString);
        builder.UseSetting("Jwt:SigningKey", TestSigningKey);
        builder.UseSetting("FieldProtection:CurrentKeyId", "t1");
        builder.UseSetting("FieldProtection:Keys:t1", Convert.ToBase64String("test-only-field-key-32-bytes-ok!"u8.ToArray()));
        // Testing serves the document only because it asks, as a deployment would: openapi.yaml is compared with it.
        builder.UseSetting("OpenApi:Serve", "true");
        builder.UseSetting("FieldProtection:HashKey", Convert.ToBase64String("test-only-hash-key-32-bytes-ok!!"u8.ToArray()));
        // Every test client shares one address and tests reuse users; tests that check limits set their own, lower ones.
        foreach (var limit in new[] { "Anonymous", "SignIn", "Writes", "Report", "PhoneBinding", "Upload", "Lookup", "Code2Session", "SignInPerOpenId" })
            builder.UseSetting($"RateLimits:{limit}:PermitLimit", "1000000");
        builder.UseSetting("RateLimits:UploadBytesPerDay", "100000000000");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            builder.UseSetting(key, value);
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
        });
    }

    /// <summary>A client carrying a real access token for this user and roles (signed with the test key).</summary>
    public HttpClient ClientFor(long userId, params string[] roles)
    {
        var client = CreateClient();
        var (token, _) = Services.GetRequiredService<AccessTokenIssuer>().Issue(userId, roles);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}

/// <summary>One factory shared by the tests that need no special settings: starting the app once keeps the suite fast.</summary>
public static class SharedApp
{
    private static readonly Lazy<LinliFactory> Instance = new(() =>
    {
        var factory = new LinliFactory();
        _ = factory.Server; // start now: migrations run here, once
        return factory;
    });

    public static LinliFactory Factory => Instance.Value;
}
