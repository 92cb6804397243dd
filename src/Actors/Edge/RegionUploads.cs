using Akka.Actor;
using Akka.Event;
using Akka.Streams.Dsl;
using CollabVlm.Imaging;
using CollabVlm.Imaging.Progressive;
using CollabVlm.Messages;
using CollabVlm.Primitives;
using CollabVlm.TwoStage.LocalImage;
using CollabVlm.TwoStage.Region;
using SkiaSharp;

namespace CollabVlm.Actors.Edge;

/// <summary>
/// The region requests one query serves from its frame: each checked, then encoded off the actor thread, announced
/// and streamed into the server's sink; or declined. Plain class, used on its <see cref="EdgeQuery"/>'s thread only;
/// an encoding reports to that actor with <see cref="Encoded"/> or <see cref="EncodingFailed"/>.
/// </summary>
internal sealed class RegionUploads(IActorRef query, DeviceResources device, ILoggingAdapter log)
{
    public sealed record Encoded(ServeRegion Region, EncodedLocalImage Image);
    public sealed record EncodingFailed(ServeRegion Region, string Reason);

    private readonly List<ServeRegion> _encoding = [];

    // Each accepted region's stream, subscribed to the server's sink while the region is encoded; its chunks come
    // when the encoding does. Kept for the query's life (a few regions at most): a sink ref takes one stream only.
    private readonly Dictionary<ServeRegion, TaskCompletionSource<IReadOnlyList<LayerChunk>>> _streams = [];

    /// <returns>Whether the region is being encoded (false: the request was declined).</returns>
    public bool Start(SKBitmap frame, ServeRegion region)
    {
        var request = region.Request;
        var problem = request.Box.Validate()
                      ?? (request.Quality is < 1 or > 100 || request.MaxLongSide < 16 || request.MaxBytes < 1
                          ? $"bad crop settings: quality {request.Quality}, max long side {request.MaxLongSide}, max bytes {request.MaxBytes}"
                          : null);
        if (problem is not null)
        {
            Decline(region, problem);
            return false;
        }
        _encoding.Add(region);
        Subscribe(region);
        Encode(frame, region.Cut ?? RegionCut.Only(request.Box), request, region.Link, device.Settings.LayerPlan).PipeTo(query,
            success: image => new Encoded(region, image),
            failure: e => new EncodingFailed(region, $"could not encode the region: {e.GetBaseException().Message}"));
        return true;
    }

    /// <summary>Announces the encoded image to the server and releases its layers into the region's stream.</summary>
    public void Stream(Encoded encoded)
    {
        _encoding.Remove(encoded.Region);
        var (image, region) = (encoded.Image, encoded.Region);
        region.Requester.Tell(new LocalImagePlan(region.Request.QueryId, image.Layers.Count, image.TotalBytes, image.Plan.DroppedBytes,
            Math.Max(image.Width, image.Height), image.Quality, region.Request.Box, image.Tiles));
        // Told before the chunks are released: the plan goes out on the connection ahead of the first chunk.
        _streams[region].TrySetResult(LayerChunks.From(image.Layers));
    }

    /// <summary>
    /// Runs the region's stream into the server's sink now, before its bytes exist. A sink ref sends nothing until
    /// the server's first demand comes back (one round trip); waiting for that during the encoding, not after it,
    /// saves that round trip, and it keeps it out of the upload's measured time: a local upload then costs one round
    /// trip plus its bytes, as a global image does, which is the link estimator's model of every transfer.
    /// </summary>
    private void Subscribe(ServeRegion region)
    {
        var layers = new TaskCompletionSource<IReadOnlyList<LayerChunk>>(TaskCreationOptions.RunContinuationsAsynchronously);
        _streams[region] = layers;
        var chunks = Source.FromTask(layers.Task).SelectMany(c => c);
        var shaped = device.Uplink is null ? chunks : chunks.Via(device.Uplink.Shape<LayerChunk>(c => c.Bytes.Length));
        // Demand from the server paces the chunks (back-pressure through the SinkRef).
        shaped.RunWith(region.Request.Sink.Sink, device.Materializer);
    }

    public void Decline(ServeRegion region, string problem)
    {
        _encoding.Remove(region);
        log.Warning("declining region request for {0}: {1}", region.Request.QueryId, problem);
        if (_streams.TryGetValue(region, out var layers))
        {
            // Its sink is taken by the stream already: failing the stream fails the server's side of it.
            region.Requester.Tell(new RoiDeclined(region.Request.QueryId, problem));
            layers.TrySetException(new InvalidOperationException(problem));
            return;
        }
        region.Request.Decline(region.Requester, problem, device.Materializer);
    }

    /// <summary>
    /// After the query's outcome: declines whatever region work still reaches it (a request, an encoding, a snapped
    /// region) with <paramref name="noFrame"/> or the encoding's own failure; anything else is ignored.
    /// </summary>
    /// <param name="sender">Who sent <paramref name="message"/>: for a request straight from a server, the server.</param>
    public void DeclineAfterEnd(object message, IActorRef sender, LinkView link, string noFrame)
    {
        switch (message)
        {
            case ServeRegion region: Decline(region, noFrame); break;
            case RoiRequest request: Decline(new ServeRegion(request, sender, link), noFrame); break;
            case Encoded encoded: Decline(encoded.Region, noFrame); break;
            case ProposalScan.Snapped snapped: Decline(snapped.Region, noFrame); break;
            case EncodingFailed failed: Decline(failed.Region, failed.Reason); break;
        }
    }

    /// <summary>Declines the requests still being encoded: their query ended.</summary>
    public void DeclineEncoding(string problem)
    {
        foreach (var region in _encoding.ToArray()) Decline(region, problem);
    }

    /// <summary>
    /// Copies the region (and its runners-up) out of <paramref name="frame"/> on the caller's thread, then resizes, encodes and plans the
    /// copy on the thread pool (tens of milliseconds) and frees it. So only the actor's thread ever reads the frame,
    /// and the query may free it the moment it ends, with no encoding to wait for; the copy is cheap next to the
    /// encoding, and delays only this query. A failed crop fails the task.
    /// </summary>
    private static Task<EncodedLocalImage> Encode(SKBitmap frame, RegionCut cut, RoiRequest request, LinkView link, LayerPlanSettings plan)
    {
        CutImage region;
        try
        {
            region = LocalImageCut.Cut(frame, cut);
        }
        catch (Exception e)
        {
            return Task.FromException<EncodedLocalImage>(e);
        }
        return Task.Run(() =>
        {
            using (region) return LocalImageEncoder.EncodeRegion(region, request.ToLocalImageRequest(), link, plan);
        });
    }
}
