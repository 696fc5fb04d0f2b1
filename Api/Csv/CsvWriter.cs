using System.Globalization;
using System.Text;

namespace Linli.Api.Csv;

/// <summary>
/// Writes RFC 4180 CSV: fields separated by commas, records ended by CRLF; a field holding a comma,
/// a double quote, CR or LF is enclosed in double quotes and its quotes doubled.
/// The caller writes the UTF-8 byte order mark (see <see cref="CsvResult"/>): Excel needs it to read Chinese text.
/// </summary>
public sealed class CsvWriter(TextWriter writer)
{
    public async Task WriteRowAsync(IEnumerable<string?> fields, CancellationToken cancellationToken = default)
    {
        var line = new StringBuilder();
        var first = true;
        foreach (var field in fields)
        {
            if (!first)
                line.Append(',');
            first = false;
            AppendField(line, field);
        }
        line.Append("\r\n");
        await writer.WriteAsync(line, cancellationToken);
    }

    /// <summary>One field as it appears in the file; null is an empty field.</summary>
    public static string Escape(string? field)
    {
        var builder = new StringBuilder();
        AppendField(builder, field);
        return builder.ToString();
    }

    private static void AppendField(StringBuilder line, string? field)
    {
        if (string.IsNullOrEmpty(field))
            return;
        // A cell starting with = + - @ is run as a formula by spreadsheets: residents write the text
        // in tickets, staff open the export, so such text is defused with a leading apostrophe (OWASP "CSV injection").
        // Numbers such as -1.5 are left alone.
        if (field[0] is '=' or '+' or '-' or '@' or '\t' or '\r'
            && !double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            field = "'" + field;
        if (field.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            line.Append(field);
            return;
        }
        line.Append('"').Append(field.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }
}
