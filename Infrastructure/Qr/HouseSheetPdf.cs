using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using QRCoder;

namespace Linli.Infrastructure.Qr;

/// <summary>
/// One house on a printable sheet: the address, the code in text, and either the link a standard QR code
/// encodes (drawn as vector squares: sharp at any print size) or WeChat's mini-program code as a PNG.
/// </summary>
public sealed record HouseSheetEntry(string Code, string Address, string? QrLink, byte[]? Png);

/// <summary>
/// Printable A4 sheets of house codes for a grid worker to stick on doors: 3 × 4 cells per page,
/// each with the QR image, the address and the code in text (so a torn sticker can still be typed in).
/// </summary>
public static class HouseSheetPdf
{
    private const int Columns = 3;
    private const int Rows = 4;
    private const double Margin = 28; // points: 1 cm
    private const double HeaderHeight = 30;

    public static byte[] Render(string title, IReadOnlyList<HouseSheetEntry> entries, QrOptions options)
    {
        SheetFontResolver.Install(options.FontPath, options.LatinFontPath);
        using var document = new PdfDocument();
        document.Info.Title = title;
        var titleFont = new SheetFont(12);
        var addressFont = new SheetFont(9);
        var codeFont = new SheetFont(14);

        var perPage = Columns * Rows;
        var pages = Math.Max(1, (entries.Count + perPage - 1) / perPage);
        for (var p = 0; p < pages; p++)
        {
            var page = document.AddPage();
            page.Size = PageSize.A4;
            using var gfx = XGraphics.FromPdfPage(page);
            var width = page.Width.Point;
            var height = page.Height.Point;
            titleFont.Draw(gfx, $"{title}  ({p + 1}/{pages})", Margin, Margin, width - 2 * Margin, centred: false);

            var cellWidth = (width - 2 * Margin) / Columns;
            var cellHeight = (height - 2 * Margin - HeaderHeight) / Rows;
            foreach (var (entry, i) in entries.Skip(p * perPage).Take(perPage).Select((e, i) => (e, i)))
            {
                var x = Margin + (i % Columns) * cellWidth;
                var y = Margin + HeaderHeight + (i / Columns) * cellHeight;
                gfx.DrawRectangle(XPens.LightGray, x, y, cellWidth, cellHeight);
                var side = Math.Min(cellWidth, cellHeight - 48) - 16;
                DrawCode(gfx, entry, x + (cellWidth - side) / 2, y + 8, side);
                var textTop = y + 8 + side + 6;
                codeFont.Draw(gfx, entry.Code, x, textTop, cellWidth, centred: true);
                addressFont.Draw(gfx, addressFont.Fit(gfx, entry.Address, cellWidth - 8), x + 4, textTop + 18, cellWidth - 8, centred: true);
            }
        }
        using var output = new MemoryStream();
        document.Save(output);
        return output.ToArray();
    }

    private static void DrawCode(XGraphics gfx, HouseSheetEntry entry, double x, double y, double side)
    {
        if (entry.Png is not null)
        {
            using var image = XImage.FromStream(new MemoryStream(entry.Png));
            gfx.DrawImage(image, x, y, side, side);
            return;
        }
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(entry.QrLink ?? entry.Code, QRCodeGenerator.ECCLevel.M);
        var modules = data.ModuleMatrix;
        var size = modules.Count;
        var module = side / size;
        for (var row = 0; row < size; row++)
        {
            for (var column = 0; column < size; column++)
            {
                if (modules[row][column])
                    gfx.DrawRectangle(XBrushes.Black, x + column * module, y + row * module, module, module);
            }
        }
    }
}

/// <summary>
/// Text in two fonts of one size: runs of CJK characters in the CJK font, everything else in the Latin one,
/// laid out left to right. Addresses mix both ("船房村3号楼2单元"), codes are Latin.
/// </summary>
internal sealed class SheetFont(double size)
{
    private static readonly XPdfFontOptions Unicode = new(PdfFontEncoding.Unicode);
    private readonly XFont _cjk = new(SheetFontResolver.Cjk, size, XFontStyleEx.Regular, Unicode);
    private readonly XFont _latin = new(SheetFontResolver.Latin, size, XFontStyleEx.Regular, Unicode);

    public void Draw(XGraphics gfx, string text, double x, double y, double width, bool centred)
    {
        var runs = Runs(text).ToList();
        var total = runs.Sum(r => gfx.MeasureString(r.Text, r.Font).Width);
        var left = centred ? x + Math.Max(0, (width - total) / 2) : x;
        foreach (var (run, font) in runs)
        {
            gfx.DrawString(run, font, XBrushes.Black, new XPoint(left, y), XStringFormats.TopLeft);
            left += gfx.MeasureString(run, font).Width;
        }
    }

    /// <summary>Shortens text that would overflow its cell, keeping its end (building and door matter most).</summary>
    public string Fit(XGraphics gfx, string text, double width)
    {
        if (Width(gfx, text) <= width)
            return text;
        var kept = text;
        while (kept.Length > 1 && Width(gfx, "…" + kept) > width)
            kept = kept[1..];
        return "…" + kept;
    }

    private double Width(XGraphics gfx, string text) => Runs(text).Sum(r => gfx.MeasureString(r.Text, r.Font).Width);

    private IEnumerable<(string Text, XFont Font)> Runs(string text)
    {
        var start = 0;
        for (var i = 1; i <= text.Length; i++)
        {
            if (i == text.Length || IsCjk(text[i]) != IsCjk(text[start]))
            {
                yield return (text[start..i], IsCjk(text[start]) ? _cjk : _latin);
                start = i;
            }
        }
    }

    // CJK radicals onwards (U+2E80…) and full-width forms: what Droid Sans Fallback draws and DejaVu Sans lacks.
    private static bool IsCjk(char c) => c >= '\u2E80';
}
