using CollabVlm.Inference;
using CollabVlm.Inference.Reader;

namespace CollabVlm.Bench.Runs;

/// <summary>
/// The reader instances a run needs: one for the direct passes and, made on first use, one per
/// detector size for full-frame reads (a frame is read at its own long side, rounded up to 512 px).
/// The cluster's server gets its own instance from its host.
/// </summary>
public sealed class BenchModels(ReaderOptions options) : IDisposable
{
    private readonly Dictionary<int, PpOcrReader> _fullFrame = [];

    public PpOcrReader Direct { get; } = new(options);

    public IVisionLanguageModel FullFrame(int detectorLongSide)
    {
        if (!_fullFrame.TryGetValue(detectorLongSide, out var reader))
            _fullFrame[detectorLongSide] = reader = new PpOcrReader(options with { DetectorLongSide = detectorLongSide });
        return reader;
    }

    public void Dispose()
    {
        Direct.Dispose();
        foreach (var r in _fullFrame.Values) r.Dispose();
    }
}
