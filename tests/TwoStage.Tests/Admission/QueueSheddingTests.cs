using CollabVlm.TwoStage.Admission;

namespace CollabVlm.TwoStage.Tests.Admission;

public sealed class QueueSheddingTests
{
    private static readonly DateTime Now = new(2026, 11, 30, 6, 0, 0, DateTimeKind.Utc);

    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    private static DateTime In(double seconds) => Now + S(seconds);

    [Fact]
    public void Jobs_that_the_queue_reaches_in_time_are_kept()
    {
        // One call running for 1 s of its 2 s; jobs finish at 3, 5, 7 s.
        var overdue = QueueShedding.Overdue([In(3), In(5), In(7)], [S(1)], maxRunning: 1, S(2), Now);
        Assert.Empty(overdue);
    }

    [Fact]
    public void A_job_behind_a_slower_queue_than_admission_predicted_is_shed_and_frees_its_place()
    {
        // Service time 2 s, nothing running: the first job ends at 2 s, the second would end at 4 s (deadline 3 s);
        // once it is shed the third ends at 4 s, within its 4.5 s.
        var overdue = QueueShedding.Overdue([In(10), In(3), In(4.5)], [], maxRunning: 1, S(2), Now);
        Assert.Equal([1], overdue);
    }

    [Fact]
    public void A_job_whose_own_pass_no_longer_fits_is_shed_even_at_the_head_of_the_queue()
    {
        Assert.Equal([0], QueueShedding.Overdue([In(1.5)], [], maxRunning: 1, S(2), Now));
        Assert.Equal([0], QueueShedding.Overdue([In(-1)], [], maxRunning: 1, S(2), Now));
    }

    [Fact]
    public void A_call_running_longer_than_the_service_time_counts_as_ending_now_not_as_negative_work()
    {
        Assert.Empty(QueueShedding.Overdue([In(2)], [S(9)], maxRunning: 1, S(2), Now));
        Assert.Equal([0], QueueShedding.Overdue([In(2)], [S(0)], maxRunning: 1, S(2), Now));
    }

    [Fact]
    public void Several_slots_share_the_work_ahead()
    {
        // Four slots, four calls just started: the next four jobs start at 2 s and end at 4 s, two more would end at 6 s.
        var deadlines = Enumerable.Repeat(In(4.5), 6).ToArray();
        Assert.Equal([4, 5], QueueShedding.Overdue(deadlines, [S(0), S(0), S(0), S(0)], maxRunning: 4, S(2), Now));
    }

    [Fact]
    public void A_job_must_fit_a_long_call_of_its_own_while_the_queue_ahead_moves_at_the_mean()
    {
        // Mean 2 s, a long call 4 s: the first job (deadline 5 s) fits a long pass from 0 s; the second starts at 2 s
        // (the first counted at the mean) and a long pass would end at 6 s, after its 5.5 s.
        var overdue = QueueShedding.Overdue([In(5), In(5.5), In(9)], [], maxRunning: 1, S(2), Now, ownPass: S(4));
        Assert.Equal([1], overdue);
        Assert.Empty(QueueShedding.Overdue([In(5), In(5.5)], [], maxRunning: 1, S(2), Now, ownPass: S(1))); // never shorter than the mean
    }

    [Fact]
    public void The_reason_says_how_much_time_was_left_or_that_none_was()
    {
        Assert.Contains("3.5 s left", QueueShedding.Reason(S(3.5), S(2)));
        Assert.Contains("another server", QueueShedding.Reason(S(3.5), S(2)));
        Assert.Contains("deadline passed", QueueShedding.Reason(TimeSpan.Zero, S(2)));
    }

    [Fact]
    public void Nonsense_settings_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => QueueShedding.Overdue([In(1)], [], maxRunning: 0, S(1), Now));
        Assert.Throws<ArgumentOutOfRangeException>(() => QueueShedding.Overdue([In(1)], [], maxRunning: 1, S(-1), Now));
    }
}
