using System.Globalization;
using Linli.Api.Csv;

namespace Linli.Api.Stats;

/// <summary>The ticket figures as spreadsheet columns, headed in Chinese for the staff who open them in Excel.</summary>
public static class StatsCsv
{
    public static readonly IReadOnlyList<string> FigureHeader =
    [
        "受理数", "派单数", "党员领单数", "办结数", "已关闭数", "已撤销数", "已驳回数", "办结率", "按时办结率",
        "派单时长中位数(秒)", "派单时长P90(秒)", "接单时长中位数(秒)", "接单时长P90(秒)", "办结时长中位数(秒)", "办结时长P90(秒)",
        "评价数", "满意率", "平均满意度", "重开率", "当前超期数",
    ];

    public static IEnumerable<string?> Cells(TicketFiguresDto f) =>
    [
        Number(f.Received), Number(f.Dispatched), Number(f.Claimed), Number(f.Resolved), Number(f.Closed),
        Number(f.Cancelled), Number(f.Rejected), Number(f.ResolutionRate), Number(f.OnTimeRate),
        Number(f.TimeToDispatch.MedianSeconds), Number(f.TimeToDispatch.P90Seconds),
        Number(f.TimeToAccept.MedianSeconds), Number(f.TimeToAccept.P90Seconds),
        Number(f.TimeToResolve.MedianSeconds), Number(f.TimeToResolve.P90Seconds),
        Number(f.Rated), Number(f.SatisfactionRate), Number(f.AverageSatisfaction), Number(f.ReopenRate), Number(f.Overdue),
    ];

    public static CsvResult ForTime(TicketStatsDto stats)
    {
        var rows = stats.Buckets
            .Select(b => (IReadOnlyList<string?>)[b.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), .. Cells(b.Figures)])
            .Append([Total, .. Cells(stats.Totals)]);
        return new CsvResult($"工单统计_{stats.From:yyyyMMdd}-{stats.To:yyyyMMdd}.csv", ["时段", .. FigureHeader], rows.ToList());
    }

    public static CsvResult ForBreakdown(TicketBreakdownDto stats)
    {
        var rows = stats.Rows
            .Select(r => (IReadOnlyList<string?>)[Number(r.Id), r.Name, .. Cells(r.Figures)])
            .Append([null, Total, .. Cells(stats.Totals)]);
        return new CsvResult($"工单统计_{stats.By}_{stats.From:yyyyMMdd}-{stats.To:yyyyMMdd}.csv", ["编号", "名称", .. FigureHeader], rows.ToList());
    }

    private const string Total = "合计";

    private static string? Number(long? value) => value?.ToString(CultureInfo.InvariantCulture);
    private static string? Number(double? value) => value?.ToString("0.####", CultureInfo.InvariantCulture);
}
