using Linli.Infrastructure.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Linli.Api.Tests.Hosting;

public class PeriodicRoundsTests
{
    [Test]
    public async Task AFailedRoundIsFollowedByTheNextAndShutdownEndsTheLoop()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var rounds = 0;
        var secondRound = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();
        Task Round(CancellationToken _)
        {
            rounds++;
            if (rounds == 1)
                throw new InvalidOperationException("a bad row");
            secondRound.TrySetResult();
            return Task.CompletedTask;
        }

        var loop = PeriodicRounds.RunAsync("test", Round, TimeSpan.FromMinutes(1), clock, NullLogger.Instance, stop.Token);
        // The first round failed; the loop now waits a minute on the controlled clock, not on the wall clock.
        while (rounds < 1)
            await Task.Delay(10);
        Assert.That(rounds, Is.EqualTo(1));
        while (!secondRound.Task.IsCompleted)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            await Task.WhenAny(secondRound.Task, Task.Delay(10));
        }
        await stop.CancelAsync();

        Assert.That(async () => await loop.WaitAsync(TimeSpan.FromSeconds(30)), Throws.Nothing);
        Assert.That(rounds, Is.GreaterThanOrEqualTo(2));
    }
}
