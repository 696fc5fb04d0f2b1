using System.Security.Cryptography;

namespace Linli.Infrastructure.Storage;

/// <summary>Settings under <c>Storage</c>.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";
    /// <summary>The uploads folder, relative to the content root unless absolute.</summary>
    public string UploadsPath { get; set; } = ".data/uploads";
}

/// <summary>Image types accepted for upload, recognised by their first bytes, never by the name or header the client sends.</summary>
public static class ImageSniffer
{
    /// <summary>The content type and extension for JPEG, PNG or WebP bytes; null for anything else.</summary>
    public static (string ContentType, string Extension)? Detect(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF)
            return ("image/jpeg", ".jpg");
        if (head.Length >= 8 && head[..8].SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }))
            return ("image/png", ".png");
        if (head.Length >= 12 && head[..4].SequenceEqual("RIFF"u8) && head.Slice(8, 4).SequenceEqual("WEBP"u8))
            return ("image/webp", ".webp");
        return null;
    }
}

/// <summary>Upload files on local disk under names the server chooses (random, so they can't be guessed or collide).</summary>
public sealed class UploadStorage(string root)
{
    public string Root { get; } = Directory.CreateDirectory(root).FullName;

    public async Task<string> SaveAsync(Stream content, string extension, CancellationToken ct)
    {
        var name = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) + extension;
        var path = PathOf(name);
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            await content.CopyToAsync(file, ct);
        return name;
    }

    public string PathOf(string storedName)
    {
        // Stored names are ours (hex + extension); refuse anything that could leave the folder.
        if (storedName.Contains('/', StringComparison.Ordinal) || storedName.Contains('\\', StringComparison.Ordinal) || storedName.Contains("..", StringComparison.Ordinal))
            throw new ArgumentException("Not a stored upload name.", nameof(storedName));
        return Path.Combine(Root, storedName);
    }

    public void Delete(string storedName)
    {
        var path = PathOf(storedName);
        if (File.Exists(path))
            File.Delete(path);
    }
}
