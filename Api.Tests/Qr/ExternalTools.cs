using System.Diagnostics;

namespace Linli.Api.Tests.Qr;

/// <summary>
/// The command-line readers scripts/test-deps.sh installs: zbarimg (zbar-tools) decodes QR codes,
/// pdftotext (poppler-utils) reads PDFs. Tests read what the service produced the way a person's tools would.
/// </summary>
internal static class ExternalTools
{
    public static async Task<string> ZbarRawAsync(byte[] png)
    {
        var file = Path.Combine(Path.GetTempPath(), $"linli-{Guid.NewGuid():N}.png");
        await File.WriteAllBytesAsync(file, png);
        try { return (await RunAsync("zbarimg", "--raw", "-q", file)).Trim(); }
        finally { File.Delete(file); }
    }

    public static async Task<string> PdfTextAsync(byte[] pdf)
    {
        var file = Path.Combine(Path.GetTempPath(), $"linli-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(file, pdf);
        try { return await RunAsync("pdftotext", "-layout", "-enc", "UTF-8", file, "-"); }
        finally { File.Delete(file); }
    }

    /// <summary>Every QR code found on the PDF's pages, rendered as images by pdftoppm.</summary>
    public static async Task<int> PdfPageCountAsync(byte[] pdf)
    {
        var file = Path.Combine(Path.GetTempPath(), $"linli-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(file, pdf);
        try
        {
            var info = await RunAsync("pdfinfo", file);
            var line = info.Split('\n').First(l => l.StartsWith("Pages:", StringComparison.Ordinal));
            return int.Parse(line["Pages:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }
        finally { File.Delete(file); }
    }

    private static async Task<string> RunAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments)
            start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{tool} exited {process.ExitCode}: {await error}");
        return await output;
    }
}
