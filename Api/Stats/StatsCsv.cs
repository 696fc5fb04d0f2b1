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
        "升级数", "转回访数", "待回访数", "已回访数", "回访后满意数", "回访后重开数",
    ];

    /// <summary>The header of the figures: the fixed columns, then one per escalation level (升级至N级).</summary>
    public static IReadOnlyList<string> Header(TicketFiguresDto sample) =>
        [.. FigureHeader, .. sample.EscalatedByLevel.Select(l => $"升级至{l.Level}级")];

    public static IEnumerable<string?> Cells(TicketFiguresDto f) =>
    [
        Number(f.Received), Number(f.Dispatched), Number(f.Claimed), Number(f.Resolved), Number(f.Closed),
        Number(f.Cancelled), Number(f.Rejected), Number(f.ResolutionRate), Number(f.OnTimeRate),
        Number(f.TimeToDispatch.MedianSeconds), Number(f.TimeToDispatch.P90Seconds),
        Number(f.TimeToAccept.MedianSeconds), Number(f.TimeToAccept.P90Seconds),
        Number(f.TimeToResolve.MedianSeconds), Number(f.TimeToResolve.P90Seconds),
        Number(f.Rated), Number(f.SatisfactionRate), Number(f.AverageSatisfaction), Number(f.ReopenRate), Number(f.Overdue),
        Number(f.Escalated), Number(f.ReturnVisits.Total), Number(f.ReturnVisits.Pending), Number(f.ReturnVisits.Visited),
        Number(f.ReturnVisits.SatisfiedAfterVisit), Number(f.ReturnVisits.Reopened),
        .. f.EscalatedByLevel.Select(l => Number(l.Tickets)),
    ];

    public static CsvResult ForTime(TicketStatsDto stats)
    {
        var rows = stats.Buckets
            .Select(b => (IReadOnlyList<string?>)[b.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), .. Cells(b.Figures)])
            .Append([Total, .. Cells(stats.Totals)]);
        return new CsvResult($"工单统计_{stats.From:yyyyMMdd}-{stats.To:yyyyMMdd}.csv", ["时段", .. Header(stats.Totals)], rows.ToList());
    }

    public static CsvResult ForBreakdown(TicketBreakdownDto stats)
    {
        var rows = stats.Rows
            .Select(r => (IReadOnlyList<string?>)[Number(r.Id), r.Name, .. Cells(r.Figures)])
            .Append([null, Total, .. Cells(stats.Totals)]);
        return new CsvResult($"工单统计_{stats.By}_{stats.From:yyyyMMdd}-{stats.To:yyyyMMdd}.csv", ["编号", "名称", .. Header(stats.Totals)], rows.ToList());
    }

    public static CsvResult ForSummonses(SummonsStatsDto stats)
    {
        static IEnumerable<string?> Cells(SummonsFiguresDto f) =>
        [
            Number(f.Summoned), Number(f.Reported), Number(f.Declined), Number(f.Unanswered), Number(f.ReportedOnTime),
            Number(f.OnTimeRate), Number(f.Escalated), Number(f.TimeToReport.MedianSeconds), Number(f.TimeToReport.P90Seconds),
        ];
        var rows = stats.Rows
            .Select(r => (IReadOnlyList<string?>)[Number(r.Id), r.Name, .. Cells(r.Figures)])
            .Append([null, Total, .. Cells(stats.Totals)]);
        return new CsvResult($"吹哨报到统计_{stats.From:yyyyMMdd}-{stats.To:yyyyMMdd}.csv",
            ["编号", "部门", "吹哨数", "报到数", "拒绝数", "未答复数", "按时报到数", "按时报到率", "超时升级数", "报到时长中位数(秒)", "报到时长P90(秒)"],
            rows.ToList());
    }

    private const string Total = "合计";

    private static string? Number(long? value) => value?.ToString(CultureInfo.InvariantCulture);
    private static string? Number(double? value) => value?.ToString("0.####", CultureInfo.InvariantCulture);
}
