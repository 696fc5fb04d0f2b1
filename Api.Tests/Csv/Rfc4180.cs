using System.Text;

namespace Linli.Api.Tests.Csv;

/// <summary>
/// An independent RFC 4180 reader for tests: a record per CRLF outside quotes, fields split at commas
/// outside quotes, "" inside a quoted field is one quote. Strict: a stray quote is an error, not a guess.
/// </summary>
public static class Rfc4180
{
    public static List<List<string>> Parse(string text)
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        var fieldStarted = false;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '"' && field.Length == 0 && !fieldStarted)
            {
                fieldStarted = true;
                i++;
                while (true)
                {
                    if (i >= text.Length)
                        throw new FormatException("Unterminated quoted field.");
                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                        i++;
                        break;
                    }
                    field.Append(text[i++]);
                }
                if (i < text.Length && text[i] != ',' && text[i] != '\r')
                    throw new FormatException($"Text after a closing quote at {i}.");
                continue;
            }
            if (c == '"')
                throw new FormatException($"A quote inside an unquoted field at {i}.");
            if (c == ',')
            {
                record.Add(field.ToString()); field.Clear(); fieldStarted = false; i++;
                continue;
            }
            if (c == '\r')
            {
                if (i + 1 >= text.Length || text[i + 1] != '\n')
                    throw new FormatException($"CR without LF at {i}.");
                record.Add(field.ToString()); field.Clear(); fieldStarted = false;
                records.Add(record); record = [];
                i += 2;
                continue;
            }
            if (c == '\n')
                throw new FormatException($"LF without CR at {i}.");
            field.Append(c);
            fieldStarted = true;
            i++;
        }
        if (fieldStarted || record.Count > 0)
            throw new FormatException("The last record does not end with CRLF.");
        return records;
    }
}
