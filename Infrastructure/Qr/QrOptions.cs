namespace Linli.Infrastructure.Qr;

/// <summary>Settings under <c>Qr</c>: how a house's QR code is made and printed.</summary>
public sealed class QrOptions
{
    public const string Section = "Qr";

    /// <summary>
    /// Host of the ordinary-link QR codes: <c>https://{Host}/h/{code}</c>. WeChat opens such a link in the
    /// mini-program once the prefix is registered as an "ordinary link QR code" rule.
    /// </summary>
    public string Host { get; set; } = "linli.example.cn";

    /// <summary>The mini-program page a WeChat mini-program code opens (scene = house code).</summary>
    public string Page { get; set; } = "pages/house/index";

    /// <summary>Draw standard QR codes even when WeChat is Live (e.g. before the mini-program is published).</summary>
    public bool UseStandardQr { get; set; }

    /// <summary>
    /// A TrueType font with CJK glyphs for the printable sheets (addresses are Chinese). Debian's
    /// fonts-droid-fallback installs the default; scripts/app-deps.sh installs it.
    /// </summary>
    public string FontPath { get; set; } = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf";

    /// <summary>A TrueType font for Latin letters and digits (house codes), which the CJK font lacks: Debian's fonts-dejavu-core.</summary>
    public string LatinFontPath { get; set; } = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

    public string LinkFor(string code) => $"https://{Host}/h/{code}";
}
