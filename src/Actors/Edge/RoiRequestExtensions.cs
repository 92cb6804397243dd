using CollabVlm.Messages;
using CollabVlm.TwoStage.LocalImage;

namespace CollabVlm.Actors.Edge;

/// <summary>The protocol's region request as the plain request the local-image encoder takes.</summary>
public static class RoiRequestExtensions
{
    public static LocalImageRequest ToLocalImageRequest(this RoiRequest request) =>
        new(request.Box, request.Deadline, request.MaxLongSide, request.Quality, request.MaxBytes);
}
