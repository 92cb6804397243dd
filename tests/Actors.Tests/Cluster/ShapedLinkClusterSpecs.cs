using Akka.Actor;
using CollabVlm.Actors.Edge;
using CollabVlm.Actors.Edge.Link;
using CollabVlm.Actors.Server;
using CollabVlm.Imaging;
using CollabVlm.Inference.Reader;
using CollabVlm.Messages;
using CollabVlm.Primitives;
using CollabVlm.Simulation.Evaluation;
using CollabVlm.Simulation.Frames;
using CollabVlm.Simulation.Hosting;
using CollabVlm.Simulation.Uplink;
using CollabVlm.TwoStage;
using CollabVlm.TwoStage.GlobalImage;
using Xunit;

namespace CollabVlm.Actors.Tests.Cluster;

/// <summary>
/// The two-stage loop over an emulated slow uplink (the edge nodes' token-bucket shaper) with the
/// real reader: progressive layers, early stop on a sure prefix, and the link estimate that sizes
/// both the layers and the global image.
/// </summary>
public sealed class ShapedLinkClusterSpecs
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    /// <summary>Three windows' worth of uploads: enough for noisy samples to leave the window, bounded for a broken estimator.</summary>
    private const int MaxAsksToLearn = 24;

    private static byte[] Frame(string text, int textHeight, int seed)
    {
        using var frame = SceneTextRenderer.Render(new SceneTextRequest(4000, 3000, text, textHeight, seed));
        return JpegEncoder.Encode(frame.Bitmap, 92).Bytes;
    }

    private static Task<LoopbackCluster> Start(long bitsPerSecond, EdgeSettings? edge = null) =>
        LoopbackCluster.StartAsync(
            // A slow link needs time: the whole local image may take several seconds.
            new ServerSettings { LocalStageTimeout = TimeSpan.FromSeconds(30) },
            _ => new PpOcrReader(new ReaderOptions()), edge ?? new EdgeSettings(), edgeNodes: 1,
            // A burst of one packet: a bigger bucket would let small uploads through faster than the rate.
            uplink: new UplinkSettings { Enabled = true, BitsPerSecond = bitsPerSecond, BurstBytes = 1500, OneWayDelay = TimeSpan.FromMilliseconds(25) });

    private static async Task<Answer> Ask(LoopbackCluster cluster, byte[] frame, QueryOptions options)
    {
        var outcome = await cluster.Devices[0].Ask<QueryOutcome>(new AskQuestion(frame, "What does the sign say?", Options: options), Patience);
        return outcome.Answered?.Answer ?? throw new Xunit.Sdk.XunitException($"failed: {outcome.Failed}");
    }

    [Fact]
    public async Task On_a_32_kbps_link_layers_stream_and_each_layer_refinement_stops_early()
    {
        // Slow enough that the later layers take about ten seconds, far longer than a refined pass on a prefix even on a
        // stalled 2-core CPU (at 64 kbit/s a refined pass slowed by other processes sometimes lost that race).
        await using var cluster = await Start(32_000);
        var frame = Frame("NO PARKING", 14, seed: 3);

        var last = await Ask(cluster, frame, new QueryOptions(TimeSpan.FromSeconds(60), RetransmitPolicy.Always, RefineOn: RefineOn.Last));
        Assert.Equal(AnswerStage.Refined, last.Stage);
        Assert.True(AnswerScoring.ExactMatch(last.Text, ["NO PARKING"]), $"read '{last.Text}'");
        Assert.True(last.LayersPlanned > 1, $"{last.LayersPlanned} layer(s) planned");
        Assert.Equal((last.LayersPlanned, last.BytesLocalPlanned, 0L), (last.LayersUsed, last.BytesLocal, last.BytesLocalSaved));

        var each = await Ask(cluster, frame, new QueryOptions(TimeSpan.FromSeconds(60), RetransmitPolicy.Always, RefineOn: RefineOn.EachLayer));
        Assert.Equal(AnswerStage.Refined, each.Stage);
        Assert.True(AnswerScoring.ExactMatch(each.Text, ["NO PARKING"]), $"read '{each.Text}'");
        // The first layers already read the sign surely: the rest was never sent.
        Assert.True(each.LayersUsed < each.LayersPlanned, $"used {each.LayersUsed} of {each.LayersPlanned} layers: {each}");
        Assert.True(each.BytesLocalSaved > 0, $"saved {each.BytesLocalSaved} of {each.BytesLocalPlanned} bytes");
        Assert.True(each.Uncertainty <= each.Threshold);
    }

    [Fact]
    public async Task On_a_250_kbps_link_the_edge_learns_the_rate_and_lowers_the_global_quality()
    {
        // A global image of ~9 KB needs ~0.3 s at 250 kbit/s; a target of 0.15 s makes the edge shrink it.
        var edge = new EdgeSettings { GlobalTargetUploadTime = TimeSpan.FromSeconds(0.15), MinGlobalBytes = 2_000 };
        await using var cluster = await Start(250_000, edge);
        var frame = Frame("EXIT 24", 48, seed: 1);
        var globalOnly = new QueryOptions(TimeSpan.FromSeconds(30), RetransmitPolicy.Never);

        var first = await Ask(cluster, frame, globalOnly);
        Assert.Equal(new EdgeSettings().GlobalJpegQuality, first.GlobalQuality); // nothing known yet: full quality
        // Six more (the first upload on a fresh connection is 2–3× slow), then on until the estimate is sure enough to act
        // on. A quiet machine gets there within those six; on a busy CI machine a stalled CPU adds time to some uploads,
        // and their spread holds the confidence down (seen at 0.24 after seven) until the window of eight has moved past
        // them. The bound keeps a broken estimator from looping forever.
        var edgeSystem = (ActorSystem)cluster.Edges[0].Services.GetService(typeof(ActorSystem))!;
        var link = LinkView.Unknown;
        for (var asked = 1; asked < MaxAsksToLearn && (asked < 7 || link.Confidence <= GlobalImageBudget.MinConfidence); asked++)
        {
            await Ask(cluster, frame, globalOnly);
            link = await edgeSystem.ActorSelection("/user/device-0").Ask<LinkView>(GetLinkView.Instance, TimeSpan.FromSeconds(5));
        }
        // The shape of the learning, not an absolute: the estimate left "unknown" behind with confidence, and it is never
        // faster than the shaper lets bytes through. A lower bound would read a stalled CPU (accept delays on a busy
        // machine) as link time: seen as 64 kbit/s read at 250 kbit/s. The estimator's accuracy is measured by
        // LinkSampleWindowSpecs on exact samples and by `collabvlm-bench estimator`, not here.
        Assert.True(link.BytesPerSecond is > 0 and < 250_000 / 8 * 1.4, $"estimate {link}");
        Assert.True(link.Confidence > GlobalImageBudget.MinConfidence, $"confidence {link.Confidence}");

        Assert.True(first.BytesGlobal > 31_250 * 0.15 * 1.2, $"the first global image has only {first.BytesGlobal} bytes: nothing to lower");
        // 0.15 s at ≤ 31 KB/s (the estimate is never faster than the shaper) holds less than the first global image:
        // its quality must have dropped, whatever a busy machine added to the measured upload times.
        var later = await Ask(cluster, frame, globalOnly);
        Assert.True(later.GlobalQuality < first.GlobalQuality, $"quality {later.GlobalQuality} (first {first.GlobalQuality})");
        Assert.True(later.BytesGlobal < first.BytesGlobal);
        Assert.True(AnswerScoring.ExactMatch(later.Text, ["EXIT 24"]), $"read '{later.Text}' at quality {later.GlobalQuality}");
    }
}
