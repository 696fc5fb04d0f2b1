using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Linli.Api.Tests.Support;
using Linli.Api.Tests.Uploads;
using Linli.Domain.Identity;
using Linli.Infrastructure.Storage;

namespace Linli.Api.Tests.Hosting;

/// <summary>
/// Signed-in callers are limited per user: every write, and tighter what costs WeChat quota or storage (reports, phone
/// binding, uploads); a refused request is a 429 problem with Retry-After, and one user's limit is not another's.
/// </summary>
public class UserLimitsTests
{
    private static LinliFactory Limited(string name, int permits) => new(new Dictionary<string, string?>
    {
        [$"RateLimits:{name}:PermitLimit"] = permits.ToString(CultureInfo.InvariantCulture),
        [$"RateLimits:{name}:WindowSeconds"] = "3600",
    });

    private static void AssertTooMany(HttpResponseMessage response)
    {
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(int.Parse(response.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture), Is.InRange(1, 86400));
    }

    [Test]
    public async Task EveryWriteOfOneUserCountsTowardsTheirOwnLimitAndReadsDoNot()
    {
        await using var factory = Limited("Writes", 3);
        var data = new TestData(factory);
        var (_, busy) = await data.SignedInAsync(Roles.Resident);
        var (_, other) = await data.SignedInAsync(Roles.Resident);

        var writes = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
            writes.Add((await busy.PutAsJsonAsync("/api/v1/me", new { nickname = $"忙碌的人{i}" })).StatusCode);
        var over = await busy.PutAsJsonAsync("/api/v1/me", new { nickname = "再一次" });
        var read = await busy.GetAsync("/api/v1/me");
        var othersWrite = await other.PutAsJsonAsync("/api/v1/me", new { nickname = "另一个人" });

        Assert.Multiple(() =>
        {
            Assert.That(writes, Is.All.EqualTo(HttpStatusCode.OK));
            AssertTooMany(over);
            Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(othersWrite.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    // The limit is checked before the body is read: the first requests may be refused for their content, the next for its number.
    [TestCase("Report", "/api/v1/tickets")]
    [TestCase("PhoneBinding", "/api/v1/me/phone")]
    [TestCase("Upload", "/api/v1/uploads")]
    public async Task WhatCostsWechatQuotaOrStorageHasATighterLimitPerUser(string limit, string path)
    {
        await using var factory = Limited(limit, 2);
        var data = new TestData(factory);
        var (_, busy) = await data.SignedInAsync(Roles.Resident);
        var (_, other) = await data.SignedInAsync(Roles.Resident);

        for (var i = 0; i < 2; i++)
            Assert.That((int)(await busy.PostAsJsonAsync(path, new { })).StatusCode, Is.Not.EqualTo(429), $"request {i + 1}");
        var over = await busy.PostAsJsonAsync(path, new { });
        var byOther = await other.PostAsJsonAsync(path, new { });

        Assert.Multiple(() =>
        {
            AssertTooMany(over);
            Assert.That((int)byOther.StatusCode, Is.Not.EqualTo(429));
        });
    }

    [Test]
    public async Task UploadsOverTheDailyStorageQuotaAreRefusedUntilTheOldestLeavesTheDay()
    {
        var photo = UploadsTests.Photo(64, 64);
        // What the server stores of it (metadata stripped) is what counts.
        var stored = PhotoScrubber.Scrub(new MemoryStream(photo), "image/png")!.Length;
        await using var factory = new LinliFactory(new Dictionary<string, string?>
        {
            ["RateLimits:UploadBytesPerDay"] = (stored * 2 + stored / 2).ToString(CultureInfo.InvariantCulture),
        });
        var data = new TestData(factory);
        var (busyId, busy) = await data.SignedInAsync(Roles.Resident);

        var (first, _) = await UploadsTests.UploadAsync(busy, photo);
        var (second, _) = await UploadsTests.UploadAsync(busy, photo);
        var third = await UploadsTests.PostUploadAsync(busy, photo);
        factory.Clock.Advance(TimeSpan.FromHours(25));
        // A day on, the morning's access token has expired: a fresh one.
        var (nextDay, _) = await UploadsTests.UploadAsync(factory.ClientFor(busyId, Roles.Resident), photo);

        Assert.Multiple(() =>
        {
            Assert.That(new[] { first, second }, Is.All.EqualTo(HttpStatusCode.Created));
            AssertTooMany(third);
            Assert.That(nextDay, Is.EqualTo(HttpStatusCode.Created));
        });
    }
}
