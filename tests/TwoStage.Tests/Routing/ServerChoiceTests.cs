using CollabVlm.TwoStage.Routing;

namespace CollabVlm.TwoStage.Tests.Routing;

public sealed class ServerChoiceTests
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    private static string Choose(ServerChoice<string> choice, int seed = 1) =>
        choice.TryChoose(new Random(seed), out var server) ? server : throw new InvalidOperationException("no server");

    [Fact]
    public void No_server_known_means_no_choice()
    {
        var choice = new ServerChoice<string>();
        Assert.False(choice.TryChoose(new Random(1), out _));
    }

    [Fact]
    public void The_server_with_the_shortest_reported_wait_is_chosen()
    {
        var choice = new ServerChoice<string>();
        choice.Report("a", S(12), S(1), accepting: true);
        choice.Report("b", S(3), S(1), accepting: true);
        choice.Report("c", S(7), S(1), accepting: true);
        Assert.Equal("b", Choose(choice));
    }

    [Fact]
    public void Queries_sent_since_a_report_count_so_that_one_idle_server_does_not_get_everything()
    {
        var choice = new ServerChoice<string>();
        choice.Report("a", S(0), S(2), accepting: true);
        choice.Report("b", S(3), S(1), accepting: true);
        var sent = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var server = Choose(choice, seed: i);
            sent.Add(server);
            choice.Sent(server);
        }
        // a: 0 → 2 → 4 s as this edge sends to it; b (3 s) gets the third query.
        Assert.Equal(["a", "a", "b"], sent);
        Assert.Equal((S(4), S(4)), (choice.PredictedWait("a"), choice.PredictedWait("b")));
        // A fresh report replaces the edge's own count.
        choice.Report("a", S(1), S(2), accepting: true);
        Assert.Equal(S(1), choice.PredictedWait("a"));
    }

    [Fact]
    public void A_server_that_is_shutting_down_is_chosen_only_when_it_is_the_only_one()
    {
        var choice = new ServerChoice<string>();
        choice.Report("leaving", S(0), S(1), accepting: false);
        Assert.Equal("leaving", Choose(choice));
        choice.Report("busy", S(20), S(1), accepting: true);
        Assert.Equal("busy", Choose(choice));
        choice.Remove("busy");
        Assert.Equal("leaving", Choose(choice));
    }

    [Fact]
    public void Servers_not_yet_reported_are_used_only_while_none_has_reported_and_ties_are_spread()
    {
        var choice = new ServerChoice<string>();
        choice.Add("a");
        choice.Add("b");
        choice.Add("a"); // adding again keeps what is known
        var chosen = Enumerable.Range(0, 40).Select(seed => Choose(choice, seed)).ToHashSet();
        Assert.Equal(["a", "b"], chosen.Order());
        // A reported server, even a loaded one, comes before one that may still be loading its model.
        choice.Report("a", S(5), S(1), accepting: true);
        choice.Add("a");
        Assert.Equal(S(5), choice.PredictedWait("a"));
        Assert.Equal("a", Choose(choice));
        choice.Report("a", S(5), S(1), accepting: false);
        Assert.Equal("b", Choose(choice));
    }
}
