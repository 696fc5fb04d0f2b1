using Linli.Domain.Tickets;

namespace Linli.Api.Tests.Domain.Tickets;

public class TicketRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Issue 5's table, one line per (from, action, who) that is allowed. "=" keeps the state.</summary>
    private const string Table = """
        submitted      dispatch   staff      dispatched
        submitted      publish    staff      open_for_claim
        submitted      take       staff      in_progress
        submitted      reject     staff      rejected
        dispatched     accept     department in_progress
        dispatched     return     department submitted
        dispatched     recall     staff      submitted
        open_for_claim claim      party      in_progress
        open_for_claim withdraw   staff      submitted
        in_progress    progress   handler    =
        in_progress    resolve    handler    resolved
        in_progress    return     handler    submitted
        resolved       evaluate   submitter  closed
        resolved       reopen     submitter  in_progress
        resolved       auto_close system     closed
        submitted      cancel     submitter  cancelled
        dispatched     cancel     submitter  cancelled
        open_for_claim cancel     submitter  cancelled
        submitted      note       staff      =
        dispatched     note       staff      =
        open_for_claim note       staff      =
        in_progress    note       staff      =
        resolved       note       staff      =
        submitted      note       department =
        dispatched     note       department =
        open_for_claim note       department =
        in_progress    note       department =
        resolved       note       department =
        submitted      note       handler    =
        dispatched     note       handler    =
        open_for_claim note       handler    =
        in_progress    note       handler    =
        resolved       note       handler    =
        dispatched     urge       submitter  =
        open_for_claim urge       submitter  =
        in_progress    urge       submitter  =
        submitted      recategorize staff    =
        dispatched     recategorize staff    =
        open_for_claim recategorize staff    =
        in_progress    recategorize staff    =
        submitted      whistle    staff      dispatched
        submitted      note       summoned   =
        dispatched     note       summoned   =
        open_for_claim note       summoned   =
        in_progress    note       summoned   =
        resolved       note       summoned   =
        submitted      merge      staff      merged
        dispatched     merge      staff      merged
        open_for_claim merge      staff      merged
        in_progress    merge      staff      merged
        return_visit   return_visit staff    closed
        return_visit   reopen     staff      in_progress
        return_visit   note       staff      =
        return_visit   note       department =
        return_visit   note       handler    =
        return_visit   note       summoned   =
        """;

    private static readonly Dictionary<string, TicketCaller> Callers = new()
    {
        ["submitter"] = new(IsSubmitter: true),
        ["staff"] = new(IsCommunityStaff: true),
        ["department"] = new(IsDepartmentStaff: true),
        ["party"] = new(IsPartyMember: true),
        ["handler"] = new(IsCurrentHandler: true),
        ["summoned"] = new(IsSummonedStaff: true),
        ["system"] = TicketCaller.System,
        ["stranger"] = new(),
    };

    private static readonly List<(string From, string Action, string Who, string To)> Allowed =
        Table.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(p => (p[0], p[1], p[2], p[3] == "=" ? p[0] : p[3]))
            .ToList();

    public static IEnumerable<TestCaseData> EveryStateActionAndCaller()
    {
        foreach (var state in Enum.GetValues<TicketState>())
        foreach (var action in Enum.GetValues<TicketAction>())
        foreach (var who in Callers.Keys)
        {
            var from = state.ToCode();
            var code = action.ToCode();
            var row = Allowed.FirstOrDefault(r => r.From == from && r.Action == code && r.Who == who);
            string expected;
            if (row.To is not null)
                expected = row.To;
            else if (Allowed.Any(r => r.Action == code && r.Who == who))
                expected = "409";
            else
                expected = "403";
            yield return new TestCaseData(state, action, who, expected).SetName($"{from} {code} by {who} → {expected}");
        }
    }

    [TestCaseSource(nameof(EveryStateActionAndCaller))]
    public void TransitionTableHolds(TicketState state, TicketAction action, string who, string expected)
    {
        var decision = TicketRules.Decide(new TicketFacts(state), action, Callers[who], Now);

        var actual = decision.Verdict switch
        {
            TicketVerdict.Allowed => decision.To!.Value.ToCode(),
            TicketVerdict.Forbidden => "403",
            TicketVerdict.WrongState => "409",
            _ => decision.Verdict.ToString(),
        };
        Assert.That(actual, Is.EqualTo(expected), decision.Reason);
    }

    [Test]
    public void EveryRowOfTheTableIsCoveredByAKnownStateActionAndCaller()
    {
        foreach (var (from, action, who, to) in Allowed)
        {
            Assert.That(TicketStates.TryParse(from, out _), Is.True, from);
            Assert.That(TicketActions.TryParse(action, out _), Is.True, action);
            Assert.That(Callers, Does.ContainKey(who));
            Assert.That(TicketStates.TryParse(to, out _), Is.True, to);
        }
    }

    [Test]
    public void SubmitterCanReopenTwiceButNotAThirdTime()
    {
        var submitter = new TicketCaller(IsSubmitter: true);
        Assert.Multiple(() =>
        {
            Assert.That(TicketRules.Decide(new TicketFacts(TicketState.Resolved, ReopenCount: 1), TicketAction.Reopen, submitter, Now).IsAllowed, Is.True);
            var third = TicketRules.Decide(new TicketFacts(TicketState.Resolved, ReopenCount: 2), TicketAction.Reopen, submitter, Now);
            Assert.That(third.Verdict, Is.EqualTo(TicketVerdict.LimitReached));
            Assert.That(third.Reason, Does.Contain("at most 2"));
        });
    }

    [TestCase(1, "return_visit")]
    [TestCase(2, "return_visit")]
    [TestCase(3, "closed")]
    [TestCase(5, "closed")]
    public void AnEvaluationOfOneOrTwoStarsGoesToAReturnVisitInsteadOfClosing(int stars, string expected)
    {
        var decision = TicketRules.Decide(new TicketFacts(TicketState.Resolved), TicketAction.Evaluate, new TicketCaller(IsSubmitter: true), Now);

        var to = TicketActionTable.Of(TicketAction.Evaluate).To(decision.To!.Value, new TicketActionInput(Satisfaction: stars));

        Assert.That(to.ToCode(), Is.EqualTo(expected));
    }

    [Test]
    public void StaffCannotReopenAfterAReturnVisitOnceTheTicketWasReopenedTwice()
    {
        var decision = TicketRules.Decide(new TicketFacts(TicketState.ReturnVisit, ReopenCount: 2), TicketAction.Reopen,
            new TicketCaller(IsCommunityStaff: true), Now);

        Assert.That(decision.Verdict, Is.EqualTo(TicketVerdict.LimitReached));
    }

    [Test]
    public void UrgingIsAllowedOncePer24Hours()
    {
        var submitter = new TicketCaller(IsSubmitter: true);
        var urgedAt = Now.AddHours(-23).AddMinutes(-59);
        Assert.Multiple(() =>
        {
            Assert.That(TicketRules.Decide(new TicketFacts(TicketState.InProgress, LastUrgedAt: urgedAt), TicketAction.Urge, submitter, Now).Verdict,
                Is.EqualTo(TicketVerdict.LimitReached));
            Assert.That(TicketRules.Decide(new TicketFacts(TicketState.InProgress, LastUrgedAt: Now.AddHours(-24)), TicketAction.Urge, submitter, Now).IsAllowed,
                Is.True);
        });
    }

    [Test]
    public void ARoleHolderWithSeveralRolesGetsTheUnionOfTheirActions()
    {
        var staffAndPartyMember = new TicketCaller(IsCommunityStaff: true, IsPartyMember: true);

        var actions = TicketRules.AllowedActions(new TicketFacts(TicketState.OpenForClaim), staffAndPartyMember, Now);

        Assert.That(actions, Is.EquivalentTo(new[] { TicketAction.Claim, TicketAction.Withdraw, TicketAction.Note, TicketAction.Recategorize, TicketAction.Merge }));
    }

    [Test]
    public void WrongStateNamesTheCurrentState()
    {
        var decision = TicketRules.Decide(new TicketFacts(TicketState.Closed), TicketAction.Dispatch, new TicketCaller(IsCommunityStaff: true), Now);

        Assert.That(decision.Verdict, Is.EqualTo(TicketVerdict.WrongState));
        Assert.That(decision.Reason, Does.Contain("closed"));
    }

    [Test]
    public void NobodyActsOnAClosedTicket()
    {
        var everyone = new TicketCaller(true, true, true, true, true, true);

        Assert.That(TicketRules.AllowedActions(new TicketFacts(TicketState.Closed), everyone, Now), Is.Empty);
    }
}
