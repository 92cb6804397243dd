using System.Diagnostics;
using CollabVlm.Actors.Edge.Link;
using CollabVlm.Messages;

namespace CollabVlm.Actors.Edge;

/// <summary>
/// Times one query's uploads as samples of the link: the global image from being handed to the uplink until a
/// server accepted it, the local image from its first chunk handed to the uplink until the server's receipt of
/// all of it. Each upload gives at most one sample. Plain class, owned by one <see cref="EdgeQuery"/>.
/// </summary>
internal sealed class UploadClock
{
    private long _globalSentAt; // 0 once the current global upload was timed
    private long _localStartedAt; // 0 when no local image is streaming

    /// <summary>The last complete local upload, for the outcome; null when none completed.</summary>
    public TimeSpan? LocalUpload { get; private set; }

    public void GlobalSent() => _globalSentAt = Stopwatch.GetTimestamp();

    /// <returns>The global upload's sample, or null when this attempt's was already taken.</returns>
    public TransferObserved? GlobalAccepted(long bytes)
    {
        if (_globalSentAt == 0) return null;
        var sample = new TransferObserved(bytes, Stopwatch.GetElapsedTime(_globalSentAt));
        _globalSentAt = 0;
        return sample;
    }

    public void LocalStarted() => _localStartedAt = Stopwatch.GetTimestamp();

    /// <returns>The local upload's sample when the server received all of it; null otherwise.</returns>
    public TransferObserved? LocalReceived(LocalImageReceived receipt)
    {
        if (_localStartedAt == 0) return null;
        var elapsed = Stopwatch.GetElapsedTime(_localStartedAt);
        _localStartedAt = 0;
        if (!receipt.Complete) return null;
        LocalUpload = elapsed;
        return new TransferObserved(receipt.Bytes, elapsed);
    }
}
