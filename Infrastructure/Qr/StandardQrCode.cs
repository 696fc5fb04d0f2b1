using QRCoder;

namespace Linli.Infrastructure.Qr;

/// <summary>An ordinary QR code as PNG, drawn locally: no WeChat call, readable by any scanner.</summary>
public static class StandardQrCode
{
    public static byte[] Png(string text, int pixelsPerModule = 10) =>
        // Level M survives a smudged or partly torn sticker on a door frame.
        PngByteQRCodeHelper.GetQRCode(text, QRCodeGenerator.ECCLevel.M, pixelsPerModule);
}
