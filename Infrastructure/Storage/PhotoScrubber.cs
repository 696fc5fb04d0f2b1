using ImageMagick;

namespace Linli.Infrastructure.Storage;

/// <summary>
/// Photos are decoded and written anew before they are stored, so nothing of the original file but its pixels
/// survives: no EXIF (GPS position, camera serial, time), XMP, IPTC or comments, which in a resident's photo of their
/// own door give away where they live. The EXIF orientation is applied to the pixels first, so the photo still shows
/// the right way up without it.
/// </summary>
/// <remarks>
/// ImageMagick (Magick.NET) rather than a hand-written segment filter: metadata hides in many places (JPEG APPn
/// segments, PNG eXIf/tEXt/zTXt/iTXt chunks, WebP EXIF/XMP chunks), and applying the orientation needs the pixels
/// anyway. The format is fixed from the sniffed bytes (never guessed by ImageMagick's coders), and the size limits
/// below refuse decompression bombs before their pixels are allocated.
/// </remarks>
public static class PhotoScrubber
{
    static PhotoScrubber()
    {
        // A 10 MB upload may claim any dimensions; a phone photo is at most about 50 megapixels.
        ResourceLimits.Width = 16_384;
        ResourceLimits.Height = 16_384;
        ResourceLimits.Area = 100_000_000;
    }

    /// <summary>The photo without metadata, the right way up, in its own format; null when it cannot be decoded as that format.</summary>
    public static byte[]? Scrub(Stream photo, string contentType)
    {
        var format = contentType switch
        {
            "image/jpeg" => MagickFormat.Jpeg,
            "image/png" => MagickFormat.Png,
            "image/webp" => MagickFormat.WebP,
            _ => throw new ArgumentException($"Not an accepted photo type: {contentType}.", nameof(contentType)),
        };
        try
        {
            using var image = new MagickImage(photo, new MagickReadSettings { Format = format });
            image.AutoOrient();
            image.Strip();
            return image.ToByteArray(format);
        }
        catch (MagickException)
        {
            // Truncated, corrupt, or over the limits: not a photo we can store.
            return null;
        }
    }
}
