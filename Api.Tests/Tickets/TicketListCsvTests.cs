using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Linli.Api.Tests.Csv;
using Linli.Domain.Identity;

namespace Linli.Api.Tests.Tickets;

/// <summary>The ticket list as a spreadsheet (issue 7): <c>GET /api/v1/tickets</c> with <c>Accept: text/csv</c>.</summary>
public class TicketListCsvTests
{
    private static async Task<(HttpResponseMessage Response, byte[] Bytes, List<List<string>> Table)> CsvAsync(HttpClient client, string query)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/tickets" + query);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var response = await client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.That(bytes.Take(3), Is.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }), "UTF-8 with a byte order mark, for Excel");
        // Strict decoding: a byte that is not UTF-8 fails the test instead of becoming U+FFFD.
        return (response, bytes, Rfc4180.Parse(new UTF8Encoding(false, true).GetString(bytes, 3, bytes.Length - 3)));
    }

    [Test]
    public async Task TheListDownloadsAsCsvThatRoundTripsChineseTextCommasQuotesAndLineBreaks()
    {
        var w = await TicketWorld.CreateAsync();
        const string tricky = "楼道灯坏了, 邻居说:\"找物业\"\n已两周";
        var first = await w.ReportAsync(description: tricky);
        var second = await w.ReportAsync(description: "=1+1 垃圾没人清");

        var (response, bytes, table) = await CsvAsync(w.Staff.Client, $"?communityId={w.CommunityId}");

        Assert.Multiple(() =>
        {
            Assert.That(response.Content.Headers.ContentType?.ToString(), Is.EqualTo("text/csv; charset=utf-8"));
            Assert.That(response.Content.Headers.ContentDisposition?.DispositionType, Is.EqualTo("attachment"));
            Assert.That(table[0], Is.EqualTo(new[] { "编号", "受理时间", "社区", "网格", "类别", "状态", "部门", "期限", "办结时间", "满意度", "重开次数", "诉求内容" }));
            Assert.That(table.Skip(1).Select(r => r[0]), Is.EqualTo(new[] { second.Number, first.Number }), "newest first, as the list");
            Assert.That(table[2][11], Is.EqualTo(tricky));
            Assert.That(table[2][2], Is.EqualTo(first.CommunityName));
            Assert.That(table[2][4], Is.EqualTo("设施维修"));
            Assert.That(table[2][5], Is.EqualTo("待派单"));
            Assert.That(table[1][11], Is.EqualTo("'=1+1 垃圾没人清"), "a formula is defused for spreadsheets");
            var text = Encoding.UTF8.GetString(bytes);
            Assert.That(text, Does.Not.Contain("13912345678").And.Not.Contain("****"), "no contact phone, not even masked");
        });
    }

    [Test]
    public async Task AResidentsDownloadHoldsOnlyTheirOwnTickets()
    {
        var w = await TicketWorld.CreateAsync();
        var mine = await w.ReportAsync(description: "我家门口的路灯坏了");
        var (_, neighbour) = await w.Data.SignedInAsync(Roles.Resident);
        await w.ReportAsync(neighbour, "邻居家门口漏水了");

        var (_, _, table) = await CsvAsync(w.Resident.Client, "");

        Assert.That(table.Skip(1).Select(r => (r[0], r[11])), Is.EqualTo(new[] { (mine.Number, "我家门口的路灯坏了") }));
    }

    [Test]
    public async Task TheDownloadKeepsTheListsFiltersButNotItsPaging()
    {
        var w = await TicketWorld.CreateAsync();
        var dispatched = await w.ReportAsync(description: "第一张：派给部门");
        await TicketWorld.ActOkAsync(w.Staff.Client, dispatched.Id, "dispatch", new { departmentId = w.DepartmentId });
        var waiting = await w.ReportAsync(description: "第二张：等待派单");
        var third = await w.ReportAsync(description: "第三张：等待派单");

        var (_, _, submitted) = await CsvAsync(w.Staff.Client, $"?communityId={w.CommunityId}&status=submitted&limit=1");
        var (_, _, all) = await CsvAsync(w.Staff.Client, $"?communityId={w.CommunityId}");

        Assert.Multiple(() =>
        {
            Assert.That(submitted.Skip(1).Select(r => r[0]), Is.EqualTo(new[] { third.Number, waiting.Number }));
            Assert.That(all.Skip(1).Select(r => r[0]), Is.EqualTo(new[] { third.Number, waiting.Number, dispatched.Number }));
            Assert.That(all[3][5], Is.EqualTo("已派单"));
        });
    }
}
