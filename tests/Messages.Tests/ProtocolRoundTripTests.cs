using Akka.Streams;
using Akka.Streams.Dsl;
using CollabVlm.Messages.Serialization;
using CollabVlm.Primitives;
using static CollabVlm.Messages.Tests.ProtocolSamples;

using AkkaSerialization = Akka.Serialization.Serialization;

namespace CollabVlm.Messages.Tests;

/// <summary>
/// Every protocol message through the serializer the ActorSystem itself picks for it, and back.
/// Records holding byte[] are not value-equal, so those are compared field by field.
/// </summary>
public sealed class ProtocolRoundTripTests(ProtocolActorSystemFixture fixture) : IClassFixture<ProtocolActorSystemFixture>
{
    private T RoundTrip<T>(T message) where T : IProtocolMessage
    {
        var serializer = fixture.System.Serialization.FindSerializerFor(message);
        // If the binding were missing, Akka would quietly use Newtonsoft with type names.
        Assert.IsType<ProtocolSerializer>(serializer);
        Assert.Equal(ProtocolSerializer.SerializerId, serializer.Identifier);
        Assert.Equal(4711, serializer.Identifier);

        var manifest = AkkaSerialization.ManifestFor(serializer, message);
        var bytes = serializer.ToBinary(message);
        var back = fixture.System.Serialization.Deserialize(bytes, serializer.Identifier, manifest);
        return Assert.IsType<T>(back);
    }

    [Fact]
    public void SubmitQuery_round_trips()
    {
        var sent = Submit();
        var got = RoundTrip(sent);

        Assert.Equal(sent.QueryId, got.QueryId);
        Assert.Equal(sent.EdgeId, got.EdgeId);
        Assert.Equal(sent.Question, got.Question);
        Assert.Equal(sent.Options, got.Options);
        Assert.Equal(sent.Attempt, got.Attempt);
        Assert.True(sent.Global.Jpeg.AsSpan().SequenceEqual(got.Global.Jpeg), "JPEG bytes changed on the way");
        Assert.Equal(sent.Global.Width, got.Global.Width);
        Assert.Equal(sent.Global.Height, got.Global.Height);
        Assert.Equal(sent.Global.Quality, got.Global.Quality);
        Assert.Equal(sent.Global.OriginalWidth, got.Global.OriginalWidth);
        Assert.Equal(sent.Global.OriginalHeight, got.Global.OriginalHeight);
    }

    [Fact]
    public void SubmitQuery_with_default_options_round_trips()
    {
        var sent = Submit() with { Options = QueryOptions.Default };
        var got = RoundTrip(sent);
        Assert.Equal(QueryOptions.Default, got.Options);
        Assert.Null(got.Options.Threshold);
        Assert.Equal(RetransmitPolicy.Gated, got.Options.Policy);
    }

    [Fact]
    public void QueryAccepted_round_trips() =>
        Assert.Equal(new QueryAccepted(Query), RoundTrip(new QueryAccepted(Query)));

    [Fact]
    public void RoiDeclined_round_trips() =>
        Assert.Equal(new RoiDeclined(Query, "frame expired"), RoundTrip(new RoiDeclined(Query, "frame expired")));

    [Theory]
    [InlineData(FailureReason.Busy)]
    [InlineData(FailureReason.InvalidImage)]
    [InlineData(FailureReason.Internal)]
    [InlineData(FailureReason.ShuttingDown)]
    public void QueryFailed_round_trips(FailureReason reason)
    {
        var sent = new QueryFailed(Query, reason, "3 in flight, limit 3; retry later");
        Assert.Equal(sent, RoundTrip(sent));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ServerLoad_round_trips(bool accepting)
    {
        var sent = new ServerLoad(TimeSpan.FromMilliseconds(12_345.6), TimeSpan.FromMilliseconds(987.6), Queued: 7, InFlight: 12, accepting);
        Assert.Equal(sent, RoundTrip(sent));
    }

    [Fact]
    public void LocalImagePlan_round_trips()
    {
        var sent = new LocalImagePlan(Query, Layers: 3, TotalBytes: 412_345, DroppedBytes: 51_000, LongSide: 1280, Quality: 85);
        Assert.Equal(sent, RoundTrip(sent));
    }

    [Fact]
    public void LocalImagePlan_round_trips_with_the_region_the_edge_cropped()
    {
        var cropped = NormalizedBox.Create(0.61, 0.72, 0.83, 0.91);
        var sent = new LocalImagePlan(Query, 2, 60_000, 0, 768, 85, cropped);
        var got = RoundTrip(sent);
        Assert.Equal(sent, got);
        Assert.Equal(cropped, got.CroppedOr(NormalizedBox.Create(0, 0, 0.2, 0.2)));
    }

    [Fact]
    public void LocalImagePlan_round_trips_with_the_tiles_of_a_region_and_its_runners_up()
    {
        var region = NormalizedBox.Create(0.61, 0.72, 0.83, 0.91);
        RegionTile[] tiles =
        [
            new(NormalizedBox.Create(0, 0, 1, 0.8), region),
            new(NormalizedBox.Create(0, 0.8, 0.4, 1), NormalizedBox.Create(0.1, 0.2, 0.14, 0.21)),
        ];
        var got = RoundTrip(new LocalImagePlan(Query, 2, 60_000, 0, 768, 85, region, tiles));
        Assert.Equal(region, got.Region);
        Assert.Equal(tiles, got.UsableTiles!); // element by element
    }

    [Fact]
    public void A_layout_with_a_bad_tile_is_not_used_and_the_image_counts_as_the_region_alone()
    {
        var good = new RegionTile(NormalizedBox.Create(0, 0, 1, 0.5), NormalizedBox.Create(0.1, 0.1, 0.3, 0.3));
        Assert.Null(new LocalImagePlan(Query, 2, 60_000, 0, 768, 85).UsableTiles);
        Assert.Null(new LocalImagePlan(Query, 2, 60_000, 0, 768, 85, Tiles: []).UsableTiles);
        Assert.Null(new LocalImagePlan(Query, 2, 60_000, 0, 768, 85, Tiles: [good, good with { InFrame = new NormalizedBox(0.5, 0.5, 1.4, 0.9) }]).UsableTiles);
        Assert.Null(new LocalImagePlan(Query, 2, 60_000, 0, 768, 85, Tiles: [good, null!]).UsableTiles);
        Assert.Null(new LocalImagePlan(Query, 2, 60_000, 0, 768, 85, Tiles: Enumerable.Repeat(good, LocalImagePlan.MaxTiles + 1).ToList()).UsableTiles);
        Assert.Contains("local image", new RegionTile(new NormalizedBox(0, 0.5, 1, 0.5), good.InFrame).Validate());
    }

    [Fact]
    public void A_plan_without_a_usable_region_means_the_requested_one()
    {
        var requested = NormalizedBox.Create(0.1, 0.1, 0.3, 0.3);
        Assert.Equal(requested, RoundTrip(new LocalImagePlan(Query, 2, 60_000, 0, 768, 85)).CroppedOr(requested));
        // A box from the wire is checked: one outside the frame is not trusted.
        Assert.Equal(requested, new LocalImagePlan(Query, 2, 60_000, 0, 768, 85, new NormalizedBox(0.5, 0.5, 1.4, 0.9)).CroppedOr(requested));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void LocalImageReceived_round_trips(bool complete)
    {
        var sent = new LocalImageReceived(Query, 300_000, 2, complete);
        Assert.Equal(sent, RoundTrip(sent));
    }

    [Fact]
    public void SubmitQuery_with_refine_on_each_layer_round_trips()
    {
        var sent = Submit() with { Options = QueryOptions.Default with { RefineOn = RefineOn.EachLayer, Threshold = 0.5 } };
        Assert.Equal(RefineOn.EachLayer, RoundTrip(sent).Options.RefineOn);
    }

    [Fact]
    public void LayerChunk_of_64_KiB_round_trips()
    {
        var sent = Chunk();
        var got = RoundTrip(sent);
        Assert.Equal(sent.LayerIndex, got.LayerIndex);
        Assert.Equal(sent.IsLastOfLayer, got.IsLastOfLayer);
        Assert.Equal(LayerChunk.MaxBytes, got.Bytes.Length);
        Assert.True(sent.Bytes.AsSpan().SequenceEqual(got.Bytes), "chunk bytes changed on the way");
    }

    [Fact]
    public void Empty_LayerChunk_round_trips()
    {
        var got = RoundTrip(new LayerChunk(0, false, []));
        Assert.Empty(got.Bytes);
        Assert.False(got.IsLastOfLayer);
    }

    [Fact]
    public void QueryAnswered_with_a_box_round_trips()
    {
        // No byte[] inside: the records are value-equal, which compares every field, nested ones included.
        var sent = Answered(NormalizedBox.Create(0.125, 0.25, 0.625, 0.875));
        var got = RoundTrip(sent);
        Assert.Equal(sent, got);
        Assert.Equal(sent.Answer.Timings, got.Answer.Timings);
        Assert.Equal(sent.Answer.Roi, got.Answer.Roi);
    }

    [Fact]
    public void QueryAnswered_round_trips_with_the_runners_up_the_local_image_showed()
    {
        NormalizedBox[] runnersUp = [NormalizedBox.Create(0.1, 0.8, 0.14, 0.82), NormalizedBox.Create(0.7, 0.1, 0.75, 0.13)];
        var sent = Answered(NormalizedBox.Create(0.125, 0.25, 0.625, 0.875));
        var got = RoundTrip(sent with { Answer = sent.Answer with { RunnersUp = runnersUp } });
        Assert.Equal(runnersUp, got.Answer.RunnersUp!);
        Assert.Null(RoundTrip(sent).Answer.RunnersUp);
    }

    [Fact]
    public void QueryAnswered_without_a_box_round_trips()
    {
        var sent = Answered(roi: null) with { Answer = Answered(null).Answer with { Stage = AnswerStage.Degraded } };
        var got = RoundTrip(sent);
        Assert.Equal(sent, got);
        Assert.Null(got.Answer.Roi);
        Assert.Equal("edge went silent", got.Answer.DegradedReason);
    }

    [Fact]
    public async Task RoiRequest_round_trips_with_a_live_sink_ref()
    {
        var (sinkRefTask, received) = StreamRefs.SinkRef<LayerChunk>()
            .ToMaterialized(Sink.Seq<LayerChunk>(), Keep.Both)
            .Run(fixture.Materializer);
        var sinkRef = await sinkRefTask.WaitAsync(TimeSpan.FromSeconds(10));

        var sent = new RoiRequest(Query, NormalizedBox.Create(0.1, 0.2, 0.3, 0.4), TimeSpan.FromSeconds(2.5), 1024, 90, 2_000_000, sinkRef);
        var got = RoundTrip(sent);

        Assert.Equal(sent.QueryId, got.QueryId);
        Assert.Equal(sent.Box, got.Box);
        Assert.Equal(sent.Deadline, got.Deadline);
        Assert.Equal(sent.MaxLongSide, got.MaxLongSide);
        Assert.Equal(sent.Quality, got.Quality);
        Assert.Equal(sent.MaxBytes, got.MaxBytes);
        Assert.NotNull(got.Sink);
        Assert.Null(got.Relevance);

        // The deserialized reference must still reach the materialized source: push through it.
        LayerChunk[] chunks = [new(0, false, [1, 2, 3]), new(0, true, [4]), new(1, true, JpegLike(LayerChunk.MaxBytes))];
        Source.From(chunks).RunWith(got.Sink.Sink, fixture.Materializer);
        var arrived = await received.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(chunks.Length, arrived.Count);
        for (var i = 0; i < chunks.Length; i++)
        {
            Assert.Equal(chunks[i].LayerIndex, arrived[i].LayerIndex);
            Assert.Equal(chunks[i].IsLastOfLayer, arrived[i].IsLastOfLayer);
            Assert.True(chunks[i].Bytes.AsSpan().SequenceEqual(arrived[i].Bytes), $"chunk {i} changed on the way");
        }
    }

    [Fact]
    public async Task RoiRequest_carries_the_servers_relevance_map_cell_for_cell()
    {
        var sinkRef = await StreamRefs.SinkRef<LayerChunk>().To(Sink.Ignore<LayerChunk>()).Run(fixture.Materializer);
        var map = new CoarseRelevance(3, 2, [0, 17, 255, 128, 1, 64]);

        var got = RoundTrip(new RoiRequest(Query, NormalizedBox.Create(0.1, 0.2, 0.3, 0.4), TimeSpan.FromSeconds(2.5), 1024, 90, 2_000_000, sinkRef, map));

        Assert.NotNull(got.Relevance);
        Assert.Equal((3, 2), (got.Relevance.Width, got.Relevance.Height));
        Assert.Equal(map.Cells, got.Relevance.Cells);
    }
}
