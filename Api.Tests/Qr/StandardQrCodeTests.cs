using Linli.Infrastructure.Qr;

namespace Linli.Api.Tests.Qr;

public class StandardQrCodeTests
{
    [Test]
    public async Task ThePngDecodesToTheHouseLink()
    {
        var options = new QrOptions { Host = "qr.linli.test" };
        var png = StandardQrCode.Png(options.LinkFor("AB23CD45EF"));

        Assert.That(await ExternalTools.ZbarRawAsync(png), Is.EqualTo("https://qr.linli.test/h/AB23CD45EF"));
    }
}

public class HouseSheetPdfTests
{
    [Test]
    public async Task EveryHouseAppearsOnceWithItsCodeAndChineseAddress()
    {
        var options = new QrOptions();
        var entries = Enumerable.Range(1, 14)
            .Select(i => new HouseSheetEntry($"TESTC{i:00}XYZ"[..10], $"船房村{i}号楼 {i}单元", options.LinkFor($"TESTC{i:00}XYZ"), null))
            .ToList();

        var pdf = HouseSheetPdf.Render("船房社区 第一网格", entries, options);
        var text = await ExternalTools.PdfTextAsync(pdf);

        Assert.Multiple(async () =>
        {
            foreach (var e in entries)
            {
                Assert.That(Occurrences(text, e.Code), Is.EqualTo(1), e.Code);
                Assert.That(text, Does.Contain(e.Address.Split(' ')[0]), e.Address);
            }
            Assert.That(text, Does.Contain("船房社区"));
            Assert.That(await ExternalTools.PdfPageCountAsync(pdf), Is.EqualTo(2), "12 houses fit on an A4 page");
        });
    }

    private static int Occurrences(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + 1, StringComparison.Ordinal))
            count++;
        return count;
    }
}
