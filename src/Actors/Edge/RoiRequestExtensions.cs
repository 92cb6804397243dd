using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using CollabVlm.Messages;
using CollabVlm.TwoStage.LocalImage;

namespace CollabVlm.Actors.Edge;

/// <summary>The protocol's region request as the plain request the local-image encoder takes, and its refusal.</summary>
public static class RoiRequestExtensions
{
    public static LocalImageRequest ToLocalImageRequest(this RoiRequest request) =>
        new(request.Box, request.Deadline, request.MaxLongSide, request.Quality, request.MaxBytes);

    /// <summary>
    /// Tells <paramref name="coordinator"/> the region will not come, and fails the request's sink too, so the
    /// server's stream ends now rather than at its subscription timeout.
    /// </summary>
    internal static void Decline(this RoiRequest request, IActorRef coordinator, string problem, IMaterializer materializer)
    {
        coordinator.Tell(new RoiDeclined(request.QueryId, problem));
        Source.Failed<LayerChunk>(new InvalidOperationException(problem)).RunWith(request.Sink.Sink, materializer);
    }
}
