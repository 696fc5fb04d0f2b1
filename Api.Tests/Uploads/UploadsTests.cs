using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using ImageMagick;
using Linli.Api.Tests.Tickets;
using Linli.Api.Tickets;
using Linli.Api.Uploads;
using Linli.Domain.Identity;
using Linli.Infrastructure.Storage;

namespace Linli.Api.Tests.Uploads;

public class UploadsTests
{
    private static readonly byte[] Png = Photo(32, 24);

    /// <summary>A real PNG of the given size (a photo must decode to be stored).</summary>
    internal static byte[] Photo(int width, int height, MagickFormat format = MagickFormat.Png)
    {
        using var image = new MagickImage(MagickColors.SteelBlue, (uint)width, (uint)height);
        return image.ToByteArray(format);
    }

    internal static async Task<HttpResponseMessage> PostUploadAsync(HttpClient client, byte[] bytes, string fileName = "photo.png", string contentType = "image/png")
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(file, "file", fileName);
        return await client.PostAsync("/api/v1/uploads", form);
    }

    internal static async Task<(HttpStatusCode Status, long Id)> UploadAsync(HttpClient client, byte[] bytes, string fileName = "photo.png", string contentType = "image/png")
    {
        using var response = await PostUploadAsync(client, bytes, fileName, contentType);
        if (!response.IsSuccessStatusCode)
            return (response.StatusCode, 0);
        var dto = await response.Content.ReadFromJsonAsync<UploadsApi.UploadDto>(TicketsApp.Json);
        return (response.StatusCode, dto!.Id);
    }

    [TestCase(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 0x4A, 0x46, 0x49, 0x46, 0, 1 }, "image/jpeg")]
    [TestCase(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0 }, "image/png")]
    [TestCase(new byte[] { 0x52, 0x49, 0x46, 0x46, 0x24, 0, 0, 0, 0x57, 0x45, 0x42, 0x50 }, "image/webp")]
    [TestCase(new byte[] { 0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0, 0, 0, 0, 0, 0 }, null)]
    [TestCase(new byte[] { 0x52, 0x49, 0x46, 0x46, 0x24, 0, 0, 0, 0x57, 0x41, 0x56, 0x45 }, null)]
    public void ImagesAreRecognisedByTheirBytes(byte[] head, string? expected) =>
        Assert.That(ImageSniffer.Detect(head)?.ContentType, Is.EqualTo(expected));

    [Test]
    public async Task APhotoIsReadableByItsUploaderThenByWhoeverSeesItsTicket()
    {
        var w = await TicketWorld.CreateAsync();
        var (status, photoId) = await UploadAsync(w.Resident.Client, Png);
        Assert.That(status, Is.EqualTo(HttpStatusCode.Created));

        using (var own = await w.Resident.Client.GetAsync($"/api/v1/uploads/{photoId}"))
        using (var staffBefore = await w.Staff.Client.GetAsync($"/api/v1/uploads/{photoId}"))
        {
            Assert.That(own.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(own.Content.Headers.ContentType!.MediaType, Is.EqualTo("image/png"));
            using var served = new MagickImage(await own.Content.ReadAsByteArrayAsync());
            Assert.That((served.Width, served.Height), Is.EqualTo((32u, 24u)));
            Assert.That(staffBefore.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "not attached yet: only the uploader");
        }

        using var report = await w.PostReportAsync(w.Resident.Client,
            new { categoryId = await w.CategoryIdAsync(), description = "墙面脱落，见照片", gridId = w.GridId, photoIds = new[] { photoId } });
        var ticket = await report.Content.ReadFromJsonAsync<TicketDto>(TicketsApp.Json);
        Assert.That(ticket!.Photos.Select(p => p.Id), Is.EqualTo(new[] { photoId }));
        var (_, stranger) = await w.Data.SignedInAsync(Roles.Resident);

        using var staffAfter = await w.Staff.Client.GetAsync($"/api/v1/uploads/{photoId}");
        using var strangerAfter = await stranger.GetAsync($"/api/v1/uploads/{photoId}");
        Assert.That(staffAfter.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(strangerAfter.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task SomeoneElsesUploadCannotBeAttached()
    {
        var w = await TicketWorld.CreateAsync();
        var (_, photoId) = await UploadAsync(w.Staff.Client, Png);

        using var report = await w.PostReportAsync(w.Resident.Client,
            new { categoryId = await w.CategoryIdAsync(), description = "借用别人的照片", gridId = w.GridId, photoIds = new[] { photoId } });

        Assert.That(report.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task HandlerAddsPhotosWhenResolving()
    {
        var w = await TicketWorld.CreateAsync();
        var ticket = await w.ReportAsync();
        await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "take");
        var (_, photoId) = await UploadAsync(w.Staff.Client, Png);

        var resolved = await TicketWorld.ActOkAsync(w.Staff.Client, ticket.Id, "resolve", new { result = "已修复，见照片", photoIds = new[] { photoId } });

        Assert.That(resolved.Timeline.Single(e => e.Action == "resolve").Photos.Select(p => p.Id), Is.EqualTo(new[] { photoId }));
        using var byResident = await w.Resident.Client.GetAsync($"/api/v1/uploads/{photoId}");
        Assert.That(byResident.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task APhotosLocationAndOtherMetadataAreRemovedAndItsOrientationApplied()
    {
        var w = await TicketWorld.CreateAsync();
        // A 64×48 camera JPEG, to be shown rotated 90° clockwise, taken at 25°2'3"N 102°42'0"E by a phone with a serial.
        byte[] jpeg;
        using (var camera = new MagickImage(MagickColors.SteelBlue, 64, 48))
        {
            var exif = new ExifProfile();
            exif.SetValue(ExifTag.GPSLatitudeRef, "N");
            exif.SetValue(ExifTag.GPSLatitude, [new Rational(25, 1), new Rational(2, 1), new Rational(3, 1)]);
            exif.SetValue(ExifTag.GPSLongitudeRef, "E");
            exif.SetValue(ExifTag.GPSLongitude, [new Rational(102, 1), new Rational(42, 1), new Rational(0, 1)]);
            exif.SetValue(ExifTag.Model, "SERIAL-0042");
            exif.SetValue(ExifTag.Orientation, (ushort)6);
            camera.SetProfile(exif);
            // ImageMagick writes the orientation it holds into the EXIF block, so it is set on the image too.
            camera.Orientation = Orientation.RightTop;
            camera.SetAttribute("comment", "家门口");
            jpeg = camera.ToByteArray(MagickFormat.Jpeg);
        }
        using (var sent = new MagickImage(jpeg))
        {
            Assert.That(sent.GetExifProfile()?.GetValue(ExifTag.GPSLatitude), Is.Not.Null, "the test photo carries its position");
            Assert.That(sent.Orientation, Is.EqualTo(Orientation.RightTop));
        }

        var (status, id) = await UploadAsync(w.Resident.Client, jpeg, "photo.jpg", "image/jpeg");
        using var response = await w.Resident.Client.GetAsync($"/api/v1/uploads/{id}");
        var served = await response.Content.ReadAsByteArrayAsync();
        using var image = new MagickImage(served);

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/jpeg"));
            Assert.That(IndexOf(served, "Exif\0\0"u8), Is.EqualTo(-1), "no EXIF segment at all");
            Assert.That(IndexOf(served, "SERIAL-0042"u8), Is.EqualTo(-1));
            Assert.That(image.GetExifProfile(), Is.Null);
            Assert.That((image.Width, image.Height), Is.EqualTo((48u, 64u)), "turned the right way up, so no orientation tag is needed");
        });
    }

    private static int IndexOf(byte[] haystack, ReadOnlySpan<byte> needle) => haystack.AsSpan().IndexOf(needle);

    [Test]
    public async Task NotAnImageIsRefusedWhateverItsName()
    {
        var w = await TicketWorld.CreateAsync();

        var (status, _) = await UploadAsync(w.Resident.Client, "<html>not a photo</html>"u8.ToArray(), "photo.jpg", "image/jpeg");

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task APhotoOverTenMegabytesIsRefused()
    {
        var w = await TicketWorld.CreateAsync();
        var big = new byte[10 * 1024 * 1024 + 1];
        Png.CopyTo(big, 0);

        var (status, _) = await UploadAsync(w.Resident.Client, big);

        Assert.That(status, Is.AnyOf(HttpStatusCode.BadRequest, HttpStatusCode.RequestEntityTooLarge));
    }

    [Test]
    public async Task UnattachedUploadsAreRemovedAfterADay()
    {
        var w = await TicketWorld.CreateAsync();
        var (_, orphan) = await UploadAsync(w.Resident.Client, Png);
        var (_, kept) = await UploadAsync(w.Resident.Client, Png);
        using (var report = await w.PostReportAsync(w.Resident.Client,
            new { categoryId = await w.CategoryIdAsync(), description = "下水道堵塞，见照片", gridId = w.GridId, photoIds = new[] { kept } }))
            Assert.That(report.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var worker = w.Service<UploadCleanupWorker>();

        w.Factory.Clock.Advance(TimeSpan.FromHours(23));
        await worker.RunOnceAsync(CancellationToken.None);
        using (var stillThere = await w.Resident.Client.GetAsync($"/api/v1/uploads/{orphan}"))
            Assert.That(stillThere.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        w.Factory.Clock.Advance(TimeSpan.FromHours(2));
        await worker.RunOnceAsync(CancellationToken.None);

        using var gone = await w.Resident.Client.GetAsync($"/api/v1/uploads/{orphan}");
        using var attached = await w.Resident.Client.GetAsync($"/api/v1/uploads/{kept}");
        Assert.That(gone.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(attached.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Directory.GetFiles(TicketsApp.UploadsPath).Length, Is.GreaterThan(0));
    }
}
