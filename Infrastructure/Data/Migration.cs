using System.Security.Cryptography;
using System.Text;

namespace Linli.Infrastructure.Data;

/// <summary>One numbered SQL script embedded in this assembly (<c>Data/Migrations/NNNN_name.sql</c>).</summary>
public sealed record Migration(int Version, string Name, string Sql)
{
    /// <summary>SHA-256 of the script with line endings normalised, so a checkout on Windows does not count as a change.
    /// Computed from <see cref="Sql"/> on each read, so a copy made with <c>with { Sql = … }</c> has its own checksum.</summary>
    public string Checksum =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.Replace("\r\n", "\n", StringComparison.Ordinal))));

    /// <summary>
    /// Statements are separated by a semicolon at the end of a line. Our scripts are written
    /// that way, so each statement runs (and fails) on its own with a clear message.
    /// </summary>
    public IEnumerable<string> Statements()
    {
        var current = new StringBuilder();
        foreach (var raw in Sql.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var line = raw.TrimEnd();
            if (current.Length == 0 && (line.Length == 0 || line.TrimStart().StartsWith("--", StringComparison.Ordinal)))
                continue;
            current.Append(line).Append('\n');
            if (line.EndsWith(';'))
            {
                yield return current.ToString().TrimEnd().TrimEnd(';');
                current.Clear();
            }
        }
        if (current.ToString().Trim().Length > 0)
            yield return current.ToString().Trim();
    }

    public static IReadOnlyList<Migration> LoadEmbedded()
    {
        var assembly = typeof(Migration).Assembly;
        var list = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith("Migrations.", StringComparison.Ordinal) || !resource.EndsWith(".sql", StringComparison.Ordinal))
                continue;
            var file = resource["Migrations.".Length..^".sql".Length];
            var underscore = file.IndexOf('_', StringComparison.Ordinal);
            if (underscore <= 0 || !int.TryParse(file[..underscore], out var version))
                throw new InvalidOperationException($"Migration '{resource}' must be named NNNN_description.sql.");
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            list.Add(new Migration(version, file[(underscore + 1)..], reader.ReadToEnd()));
        }
        var duplicate = list.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidOperationException($"Two migrations share version {duplicate.Key}.");
        return list.OrderBy(m => m.Version).ToList();
    }
}
