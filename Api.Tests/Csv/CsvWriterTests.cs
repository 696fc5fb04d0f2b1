using System.Text;
using Linli.Api.Csv;
using Microsoft.AspNetCore.Http;

namespace Linli.Api.Tests.Csv;

public class CsvWriterTests
{
    private static readonly string[][] Tricky =
    [
        ["社区", "诉求", "满意度"],
        ["禹王台区新门关街道", "楼道灯坏了, 请尽快修", "5"],
        ["六十栋社区", "他说:\"物业不管\"", "4.5"],
        ["多行", "第一行\r\n第二行\n第三行", ""],
        ["逗号,引号\"和换行\r", " 前后空格 ", "0"],
    ];

    private static async Task<string> WriteAsync(IEnumerable<IEnumerable<string?>> rows)
    {
        var text = new StringWriter();
        var csv = new CsvWriter(text);
        foreach (var row in rows)
            await csv.WriteRowAsync(row);
        return text.ToString();
    }

    [Test]
    public async Task ChineseTextCommasQuotesAndLineBreaksRoundTrip()
    {
        var written = await WriteAsync(Tricky);

        Assert.That(Rfc4180.Parse(written), Is.EqualTo(Tricky));
    }

    [Test]
    public void OnlyFieldsThatNeedItAreQuoted()
    {
        Assert.Multiple(() =>
        {
            Assert.That(CsvWriter.Escape("普通文本"), Is.EqualTo("普通文本"));
            Assert.That(CsvWriter.Escape("a,b"), Is.EqualTo("\"a,b\""));
            Assert.That(CsvWriter.Escape("说\"好\""), Is.EqualTo("\"说\"\"好\"\"\""));
            Assert.That(CsvWriter.Escape("a\nb"), Is.EqualTo("\"a\nb\""));
            Assert.That(CsvWriter.Escape(null), Is.EqualTo(""));
        });
    }

    [Test]
    public void TextThatASpreadsheetWouldRunAsAFormulaIsDefused()
    {
        Assert.Multiple(() =>
        {
            Assert.That(CsvWriter.Escape("=HYPERLINK(\"http://x\")"), Is.EqualTo("\"'=HYPERLINK(\"\"http://x\"\")\""));
            Assert.That(CsvWriter.Escape("@SUM(A1)"), Is.EqualTo("'@SUM(A1)"));
            Assert.That(CsvWriter.Escape("-1.5"), Is.EqualTo("-1.5"));
            Assert.That(CsvWriter.Escape("+86 138"), Is.EqualTo("'+86 138"));
        });
    }

    [Test]
    public async Task TheDownloadIsUtf8WithAByteOrderMarkAndRoundTrips()
    {
        var context = new DefaultHttpContext();
        var body = new MemoryStream();
        context.Response.Body = body;
        var result = new CsvResult("统计.csv", Tricky[0], Tricky.Skip(1));

        await result.ExecuteAsync(context);

        var bytes = body.ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(bytes.Take(3), Is.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }));
            Assert.That(context.Response.ContentType, Is.EqualTo("text/csv; charset=utf-8"));
            Assert.That(context.Response.Headers.ContentDisposition.ToString(), Does.StartWith("attachment"));
            Assert.That(Rfc4180.Parse(new UTF8Encoding(false, true).GetString(bytes, 3, bytes.Length - 3)), Is.EqualTo(Tricky));
        });
    }

    [TestCase("text/csv", true)]
    [TestCase("application/json, text/csv;q=0.5", true)]
    [TestCase("text/csv;q=0", false)]
    [TestCase("application/json", false)]
    [TestCase("", false)]
    public void CsvIsChosenByTheAcceptHeader(string accept, bool expected)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Accept = accept;
        Assert.That(CsvResult.Accepts(context.Request), Is.EqualTo(expected));
    }

    [Test]
    public void TheTestParserRejectsMalformedCsv()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => Rfc4180.Parse("a,\"b\r\n"), Throws.TypeOf<FormatException>());
            Assert.That(() => Rfc4180.Parse("a\"b\r\n"), Throws.TypeOf<FormatException>());
            Assert.That(() => Rfc4180.Parse("a,b"), Throws.TypeOf<FormatException>());
        });
    }
}
