using PdfSharp.Fonts;

namespace Linli.Infrastructure.Qr;

/// <summary>
/// PDFsharp on Linux finds no fonts by itself. Two families are known: <see cref="Cjk"/> (Chinese; Debian's
/// Droid Sans Fallback has no Latin letters or digits) and <see cref="Latin"/> for everything else.
/// Both are embedded (as subsets) in each sheet.
/// </summary>
internal sealed class SheetFontResolver(string cjkFontPath, string latinFontPath) : IFontResolver
{
    public const string Cjk = "linli-cjk";
    public const string Latin = "linli-latin";

    private readonly Lazy<byte[]> _cjk = new(() => File.ReadAllBytes(cjkFontPath));
    private readonly Lazy<byte[]> _latin = new(() => File.ReadAllBytes(latinFontPath));

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(string.Equals(familyName, Cjk, StringComparison.Ordinal) ? Cjk : Latin);

    public byte[]? GetFont(string faceName) => string.Equals(faceName, Cjk, StringComparison.Ordinal) ? _cjk.Value : _latin.Value;

    private static readonly Lock Gate = new();
    private static string? _installedPath;

    /// <summary>
    /// PDFsharp keeps one resolver per process and allows setting it once, so the first configured font wins;
    /// a later different path is a configuration error worth failing loudly on.
    /// </summary>
    public static void Install(string fontPath, string latinFontPath)
    {
        lock (Gate)
        {
            var paths = fontPath + "|" + latinFontPath;
            if (_installedPath is not null)
            {
                if (!string.Equals(_installedPath, paths, StringComparison.Ordinal))
                    throw new InvalidOperationException($"The sheet fonts are already {_installedPath}; a process uses one pair of font files.");
                return;
            }
            if (!File.Exists(fontPath))
                throw new FileNotFoundException(
                    "The CJK font for printable QR sheets is missing: install fonts-droid-fallback (scripts/app-deps.sh) or set Qr:FontPath.", fontPath);
            if (!File.Exists(latinFontPath))
                throw new FileNotFoundException(
                    "The Latin font for printable QR sheets is missing: install fonts-dejavu-core (scripts/app-deps.sh) or set Qr:LatinFontPath.", latinFontPath);
            GlobalFontSettings.FontResolver = new SheetFontResolver(fontPath, latinFontPath);
            _installedPath = paths;
        }
    }
}
