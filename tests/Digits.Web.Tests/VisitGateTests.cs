namespace Digits.Web.Tests;

/// <summary>Which page loads count as visits: once per address per window, with a bounded memory of addresses.</summary>
public sealed class VisitGateTests
{
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void IsNewVisit_SameAddressWithinTheWindow_CountsOnceThenAgainAfterIt()
    {
        var clock = new ManualClock();
        var gate = new VisitGate(clock);

        bool first = gate.IsNewVisit("10.0.0.1");
        bool reload = gate.IsNewVisit("10.0.0.1");
        bool other = gate.IsNewVisit("10.0.0.2");
        clock.Now += VisitGate.Window - TimeSpan.FromSeconds(1);
        bool justInside = gate.IsNewVisit("10.0.0.1");
        clock.Now += TimeSpan.FromSeconds(1);
        bool after = gate.IsNewVisit("10.0.0.1");

        Assert.Equal([true, false, true, false, true], [first, reload, other, justInside, after]);
    }

    [Fact]
    public void IsNewVisit_PastTheMostAddresses_ForgetsThoseOutsideTheWindowAndKeepsTheRecentOnes()
    {
        var clock = new ManualClock();
        var gate = new VisitGate(clock);
        for (int i = 0; i < VisitGate.MaxAddresses - 1; i++)
        {
            gate.IsNewVisit($"old-{i}");
        }
        clock.Now += VisitGate.Window;
        gate.IsNewVisit("recent");

        bool newcomer = gate.IsNewVisit("newcomer");
        bool recentAgain = gate.IsNewVisit("recent");
        bool oldAgain = gate.IsNewVisit("old-0");

        // The full memory dropped the stale addresses, not the one seen within the window.
        Assert.Equal([true, false, true], [newcomer, recentAgain, oldAgain]);
    }
}
