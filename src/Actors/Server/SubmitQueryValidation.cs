using CollabVlm.Imaging;
using CollabVlm.Messages;
using CollabVlm.TwoStage;

namespace CollabVlm.Actors.Server;

/// <summary>Checks a submission before any work is spent on it; the result names what is wrong.</summary>
public static class SubmitQueryValidation
{
    /// <returns>Null when the query is acceptable, else (reason, message).</returns>
    public static (FailureReason Reason, string Message)? Validate(SubmitQuery query, ServerSettings settings)
    {
        if (string.IsNullOrWhiteSpace(query.Question))
            return (FailureReason.InvalidInput, "the question is empty");
        if (query.Question.Length > settings.MaxQuestionLength)
            return (FailureReason.InvalidInput, $"the question has {query.Question.Length} characters; the limit is {settings.MaxQuestionLength}");
        if (query.Options.Deadline <= TimeSpan.Zero)
            return (FailureReason.InvalidInput, $"the deadline must be positive (got {query.Options.Deadline})");
        if (query.Options.Threshold is { } eta && (double.IsNaN(eta) || eta < 0))
            return (FailureReason.InvalidInput, $"the threshold must be ≥ 0 (got {eta})");
        var g = query.Global;
        if (g.OriginalWidth < 1 || g.OriginalHeight < 1)
            return (FailureReason.InvalidInput, $"the original frame size {g.OriginalWidth}×{g.OriginalHeight} is not positive");
        if (g.Jpeg.Length == 0)
            return (FailureReason.InvalidImage, "the global image is empty");
        if (g.Jpeg.Length > settings.MaxGlobalBytes)
            return (FailureReason.InvalidImage, $"the global image has {g.Jpeg.Length} bytes; the limit is {settings.MaxGlobalBytes}");
        try
        {
            // Header only: cheap, and refuses decompression bombs before any pixel is decoded.
            SafeImageDecoder.ReadHeader(g.Jpeg, new ImageLimits(settings.MaxImagePixels));
        }
        catch (ImageDecodeException e)
        {
            return (FailureReason.InvalidImage, $"the global image is unusable: {e.Message}");
        }
        return null;
    }
}
