using CollabVlm.Imaging;
using CollabVlm.Messages;
using CollabVlm.Primitives;
using CollabVlm.TwoStage;
using CollabVlm.TwoStage.GlobalImage;
using SkiaSharp;

namespace CollabVlm.Actors.Edge;

/// <summary>
/// An <see cref="EdgeDevice"/>'s checks of a question before it becomes a query, and the query's makings: the
/// decoded frame and the submission with its global image. Each refusal names what was wrong. Plain code, no actor.
/// </summary>
internal static class QuestionIntake
{
    /// <summary>The question, ready: <paramref name="Frame"/> is the caller's to free.</summary>
    public sealed record Admitted(SKBitmap Frame, SubmitQuery Submission);

    public sealed record Refused(FailureReason Reason, string Message);

    /// <param name="pending">Unanswered queries the device holds now.</param>
    /// <param name="duplicate">Whether a query with <paramref name="id"/> is already pending on the device.</param>
    /// <returns>The refusal, or null with <paramref name="admitted"/> set.</returns>
    public static Refused? Admit(AskQuestion ask, QueryId id, EdgeId edge, int pending, bool duplicate, EdgeSettings settings, LinkView link,
        out Admitted? admitted)
    {
        admitted = null;
        if (string.IsNullOrWhiteSpace(ask.Question)) return new(FailureReason.InvalidInput, "the question is empty");
        if (ask.Question.Length > settings.MaxQuestionLength)
            return new(FailureReason.InvalidInput, $"the question has {ask.Question.Length} characters; the limit is {settings.MaxQuestionLength}");
        if (duplicate) return new(FailureReason.InvalidInput, $"query {id} is already pending on this device");
        if (pending >= settings.MaxPendingQueries)
            return new(FailureReason.Busy, $"edge device {edge} holds {pending} unanswered queries (limit {settings.MaxPendingQueries})");

        SKBitmap frame;
        try
        {
            frame = SafeImageDecoder.Decode(ask.Frame, new ImageLimits(settings.MaxImagePixels));
        }
        catch (ImageDecodeException e)
        {
            return new(FailureReason.InvalidImage, $"the frame is unusable: {e.Message}");
        }
        EncodedImage global;
        try
        {
            global = GlobalImageBudget.Make(frame, link, settings);
        }
        catch (InvalidOperationException e)
        {
            frame.Dispose();
            return new(FailureReason.InvalidImage, e.Message);
        }
        var options = ask.Options ?? QueryOptions.Default with { Deadline = settings.DefaultDeadline };
        admitted = new Admitted(frame, new SubmitQuery(id, edge, ask.Question,
            new GlobalImage(global.Bytes, global.Width, global.Height, global.Quality, frame.Width, frame.Height), options));
        return null;
    }
}
