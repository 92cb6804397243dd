using Akka.TestKit.Xunit2;
using CollabVlm.Actors.Server;
using CollabVlm.Actors.Tests.Support;
using CollabVlm.Inference;
using CollabVlm.Messages;
using Xunit;
using static CollabVlm.Actors.Server.InferenceProtocol;

namespace CollabVlm.Actors.Tests.Server;

/// <summary>The scheduler runs as many model calls at once as the model declares, and no more.</summary>
public sealed class InferenceSchedulerConcurrencySpecs : TestKit
{
    private static Run Job() => new(QueryId.New(), new ModelInput("q", TestData.Jpeg()), DateTime.UtcNow.AddMinutes(1));

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Calls_start_up_to_the_models_bound_and_the_next_starts_when_one_finishes(int bound)
    {
        var model = new GatedModel(bound);
        var scheduler = Sys.ActorOf(InferenceScheduler.Props(model, capacity: 10));
        for (var i = 0; i < bound + 2; i++) scheduler.Tell(Job(), TestActor);

        AwaitCondition(() => model.Started.Count == bound, TimeSpan.FromSeconds(10));
        scheduler.Tell(GetDepth.Instance, TestActor);
        Assert.Equal(new Depth(2, true), ExpectMsg<Depth>());

        model.Started.TryDequeue(out var first);
        first!.SetResult(TestData.Output("A", 0.9));
        ExpectMsg<Completed>();
        AwaitCondition(() => model.Started.Count == bound, TimeSpan.FromSeconds(10));
        scheduler.Tell(GetDepth.Instance, TestActor);
        Assert.Equal(new Depth(1, true), ExpectMsg<Depth>());
    }
}
