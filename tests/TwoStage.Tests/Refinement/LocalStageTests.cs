using CollabVlm.Inference;
using CollabVlm.Primitives;
using CollabVlm.TwoStage.Refinement;

namespace CollabVlm.TwoStage.Tests.Refinement;

/// <summary>The local stage's decisions, step by step, without actors or timers.</summary>
public sealed class LocalStageTests
{
    private const double Eta = 0.5;

    private static ModelOutput Output(string answer) => new(answer, [], RelevanceMap.Uniform(2, 2), 10, TimeSpan.Zero);

    [Fact]
    public void Refine_on_last_waits_for_the_end_of_the_stream_then_refines_once_on_every_layer()
    {
        var stage = new LocalStage(Eta, RefineOn.Last);
        Assert.IsType<LocalStageStep.Wait>(stage.LayerArrived(1));
        Assert.IsType<LocalStageStep.Wait>(stage.LayerArrived(2));
        Assert.Equal(new LocalStageStep.Refine(2), stage.StreamEnded(null));
        var answer = Assert.IsType<LocalStageStep.Answer>(stage.Refined(Output("GATE 7"), 2.0));
        Assert.Equal(("GATE 7", 2), (answer.Pass.Output.Answer, answer.Pass.Layers));
    }

    [Fact]
    public void Each_layer_refines_one_pass_at_a_time_and_picks_up_layers_that_arrived_meanwhile()
    {
        var stage = new LocalStage(Eta, RefineOn.EachLayer);
        Assert.Equal(new LocalStageStep.Refine(1), stage.LayerArrived(1));
        Assert.IsType<LocalStageStep.Wait>(stage.LayerArrived(2)); // a pass is running
        Assert.IsType<LocalStageStep.Wait>(stage.LayerArrived(3));
        Assert.Equal(new LocalStageStep.Refine(3), stage.Refined(Output("GATF"), 3.0)); // unsure: go on with what arrived
    }

    [Fact]
    public void A_sure_pass_on_a_prefix_stops_the_stream_and_answers_once_it_ended()
    {
        var stage = new LocalStage(Eta, RefineOn.EachLayer);
        stage.LayerArrived(1);
        Assert.IsType<LocalStageStep.StopStream>(stage.Refined(Output("GATE 7"), 0.1));
        var answer = Assert.IsType<LocalStageStep.Answer>(stage.StreamEnded(null));
        Assert.Equal(1, answer.Pass.Layers);
    }

    [Fact]
    public void Layers_no_pass_has_seen_get_one_more_pass_after_the_stream_ends()
    {
        var stage = new LocalStage(Eta, RefineOn.EachLayer);
        stage.LayerArrived(1);
        stage.LayerArrived(2);
        Assert.IsType<LocalStageStep.Wait>(stage.StreamEnded(null)); // the pass on layer 1 still runs
        Assert.Equal(new LocalStageStep.Refine(2), stage.Refined(Output("GATF"), 3.0));
        Assert.Equal(2, Assert.IsType<LocalStageStep.Answer>(stage.Refined(Output("GATE 7"), 0.9)).Pass.Layers);
    }

    [Fact]
    public void A_stream_that_ends_without_a_complete_layer_degrades_with_its_problem()
    {
        var stage = new LocalStage(Eta, RefineOn.Last);
        var problem = stage.CutAtDeadline("local image");
        Assert.NotNull(problem);
        Assert.Equal(new LocalStageStep.Degrade(problem), stage.StreamEnded(problem));
        Assert.IsType<LocalStageStep.Wait>(stage.StreamEnded("again")); // ends once
    }

    [Fact]
    public void A_stream_cut_at_its_deadline_after_some_layers_is_no_fault()
    {
        var stage = new LocalStage(Eta, RefineOn.Last);
        stage.LayerArrived(2);
        Assert.Null(stage.CutAtDeadline("local image"));
        Assert.Equal(new LocalStageStep.Refine(2), stage.StreamEnded(null));
    }

    [Fact]
    public void A_failed_pass_falls_back_to_an_earlier_refined_answer_or_degrades_naming_the_failure()
    {
        var stage = new LocalStage(Eta, RefineOn.Last);
        stage.LayerArrived(1);
        stage.StreamEnded(null);
        var degrade = Assert.IsType<LocalStageStep.Degrade>(stage.RefineFailed("model crashed"));
        Assert.Contains("model crashed", degrade.Reason);

        var earlier = new LocalStage(Eta, RefineOn.EachLayer);
        earlier.LayerArrived(1);
        earlier.Refined(Output("GATF"), 3.0);
        earlier.LayerArrived(2);
        earlier.StreamEnded(null);
        Assert.Equal("GATF", Assert.IsType<LocalStageStep.Answer>(earlier.RefineFailed("model crashed")).Pass.Output.Answer);
    }

    [Fact]
    public void A_decline_degrades_only_before_any_layer_arrived()
    {
        var stage = new LocalStage(Eta, RefineOn.Last);
        Assert.Contains("no frame", Assert.IsType<LocalStageStep.Degrade>(stage.Declined("no frame")).Reason);
        stage.LayerArrived(1);
        Assert.IsType<LocalStageStep.Wait>(stage.Declined("no frame"));
    }

    [Fact]
    public void A_refined_pass_that_outlives_its_timeout_answers_with_what_there_is()
    {
        var stage = new LocalStage(Eta, RefineOn.Last);
        stage.LayerArrived(1);
        stage.StreamEnded(null);
        Assert.Contains("refined inference", Assert.IsType<LocalStageStep.Degrade>(stage.TimedOut("refined inference")).Reason);
    }

    [Fact]
    public void Layers_after_the_stream_ended_are_not_used()
    {
        var stage = new LocalStage(Eta, RefineOn.EachLayer);
        stage.StreamEnded("broken");
        Assert.IsType<LocalStageStep.Wait>(stage.LayerArrived(1));
        Assert.Equal(0, stage.LayersArrived);
    }
}
