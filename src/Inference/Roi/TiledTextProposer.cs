using System.Diagnostics;
using CollabVlm.Imaging;
using CollabVlm.Inference.Onnx;
using CollabVlm.Inference.Reader;
using CollabVlm.Inference.Reader.Question;
using CollabVlm.Primitives;
using Microsoft.ML.OnnxRuntime;
using SkiaSharp;

namespace CollabVlm.Inference;

/// <summary>
/// The edge's text detector over the full-resolution frame: the PP-OCRv4 detector run tile by tile
/// (square tiles of <see cref="TileSide"/> detector pixels, overlapping so a line on a seam is whole in
/// one of them), so memory stays one tile's worth whatever the frame size. Bounded per frame by a
/// pixel budget (a frame with more pixels is scanned at a lower scale) and a time budget (tiles not
/// started when it runs out are skipped) and a cap on the lines kept (<see cref="MaxProposals"/>, the surest).
/// Runs on the caller's thread; callers off-load it. One instance runs one frame at a time (its ONNX session
/// is not shared with the reader); disposing it waits, bounded, for a running scan to stop first.
/// </summary>
public sealed class TiledTextProposer : IDisposable
{
    /// <summary>Detector input side per tile, pixels.</summary>
    public const int TileSide = 960;

    /// <summary>Most lines one scan keeps (the surest): foliage and grain can yield hundreds of tiny "lines".</summary>
    public const int MaxProposals = 64;

    private const double Overlap = 0.12;
    private const double DuplicateOverlap = 0.6;

    private readonly InferenceSession _session;
    private readonly TextDetector _detector;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private volatile bool _disposed;

    /// <param name="maxPixels">Detector pixels per frame: a frame with more is scanned scaled down to this.</param>
    /// <param name="timeBudget">Longest one frame's scan may run; tiles after it are skipped.</param>
    public TiledTextProposer(ReaderOptions reader, long maxPixels, TimeSpan timeBudget)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (maxPixels < TileSide * TileSide / 4)
            throw new ArgumentOutOfRangeException(nameof(maxPixels), maxPixels, $"the pixel budget must cover at least a quarter tile ({TileSide * TileSide / 4} pixels)");
        if (timeBudget <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(timeBudget), timeBudget, "the time budget must be positive");
        MaxPixels = maxPixels;
        TimeBudget = timeBudget;
        var files = ReaderModelFiles.Locate(reader.ModelDirectory);
        (_session, _) = OnnxSessionFactory.Open(files.Detector, reader.ExecutionProvider, reader.IntraOpThreads, reader.IntraOpSpinning);
        _detector = new TextDetector(_session, reader with { DetectorLongSide = TileSide });
    }

    public long MaxPixels { get; }

    public TimeSpan TimeBudget { get; }

    /// <summary>The scale (detector pixels per original pixel, ≤ 1) a frame of this size is scanned at.</summary>
    public static double ScaleFor(int width, int height, long maxPixels) => Math.Min(1, Math.Sqrt(maxPixels / ((double)width * height)));

    /// <summary>Tile origins and side in original pixels: a grid covering the frame, edge tiles shifted inside it so every tile is whole.</summary>
    public static IReadOnlyList<PixelRect> Tiles(int width, int height, double scale)
    {
        var side = (int)Math.Ceiling(TileSide / scale);
        var tw = Math.Min(side, width);
        var th = Math.Min(side, height);
        var step = Math.Max(1, (int)(side * (1 - Overlap)));
        var xs = Starts(width, tw, step);
        var ys = Starts(height, th, step);
        return ys.SelectMany(y => xs.Select(x => new PixelRect(x, y, tw, th))).ToList();
    }

    private static List<int> Starts(int length, int tile, int step)
    {
        var starts = new List<int>();
        for (var s = 0; ; s += step)
        {
            var start = Math.Min(s, length - tile);
            starts.Add(start);
            if (start + tile >= length) return starts;
        }
    }

    /// <param name="tileDone">
    /// Called on the scanning thread after each tile with what was found so far, so a caller that cannot wait
    /// for the whole frame can use the tiles already covered.
    /// </param>
    public ProposalSet Propose(SKBitmap frame, CancellationToken cancellationToken = default, Action<ProposalSet>? tileDone = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        _oneAtATime.Wait(cancellationToken);
        try
        {
            return Scan(frame, cancellationToken, tileDone);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary>
    /// <see cref="Propose"/> for callers that must not hold a thread while the detector is busy (a node's devices
    /// queue for it): the wait is asynchronous, the scan itself runs on the thread pool.
    /// </summary>
    public async Task<ProposalSet> ProposeAsync(SKBitmap frame, CancellationToken cancellationToken = default, Action<ProposalSet>? tileDone = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await Task.Run(() => Scan(frame, cancellationToken, tileDone), CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    private ProposalSet Scan(SKBitmap frame, CancellationToken cancellationToken, Action<ProposalSet>? tileDone)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var clock = Stopwatch.StartNew();
        var scale = ScaleFor(frame.Width, frame.Height, MaxPixels);
        var tiles = Tiles(frame.Width, frame.Height, scale);
        var found = new List<TextProposal>();
        var done = 0;
        foreach (var tile in tiles)
        {
            if (cancellationToken.IsCancellationRequested || clock.Elapsed >= TimeBudget) break;
            using var part = new SKBitmap();
            if (!frame.ExtractSubset(part, SKRectI.Create(tile.X, tile.Y, tile.Width, tile.Height)))
                throw new InvalidOperationException($"could not cut tile {tile} from a {frame.Width}×{frame.Height} frame");
            var detection = _detector.Detect(part);
            foreach (var line in detection.Lines)
                found.Add(new TextProposal(
                    NormalizedBox.Create((double)(tile.X + line.X) / frame.Width, (double)(tile.Y + line.Y) / frame.Height,
                        (double)(tile.X + line.Right) / frame.Width, (double)(tile.Y + line.Bottom) / frame.Height),
                    MeanOver(detection.Relevance, line, tile), line.Height, PlateColour.Of(part, line)));
            done++;
            found = Surest(WithoutDuplicates(found), MaxProposals).ToList();
            tileDone?.Invoke(new ProposalSet(found, clock.Elapsed, done, tiles.Count, scale));
        }
        return new ProposalSet(found, clock.Elapsed, done, tiles.Count, scale);
    }

    /// <summary>The detector's mean probability over a line, read from the tile's pooled map.</summary>
    private static double MeanOver(RelevanceMap map, PixelRect line, PixelRect tile)
    {
        var x0 = Math.Clamp(line.X * map.Width / tile.Width, 0, map.Width - 1);
        var x1 = Math.Clamp((line.Right * map.Width + tile.Width - 1) / tile.Width, x0 + 1, map.Width);
        var y0 = Math.Clamp(line.Y * map.Height / tile.Height, 0, map.Height - 1);
        var y1 = Math.Clamp((line.Bottom * map.Height + tile.Height - 1) / tile.Height, y0 + 1, map.Height);
        double sum = 0;
        for (var y = y0; y < y1; y++)
            for (var x = x0; x < x1; x++)
                sum += map[x, y];
        return sum / ((x1 - x0) * (y1 - y0));
    }

    /// <summary>A line seen in two overlapping tiles is kept once, the surer sighting.</summary>
    public static IReadOnlyList<TextProposal> WithoutDuplicates(IEnumerable<TextProposal> proposals)
    {
        var kept = new List<TextProposal>();
        foreach (var p in proposals.OrderByDescending(p => p.Score))
            if (!kept.Any(k => Covered(p.Box, k.Box)))
                kept.Add(p);
        return kept;
    }

    /// <summary>The <paramref name="cap"/> surest proposals, surest first.</summary>
    public static IReadOnlyList<TextProposal> Surest(IEnumerable<TextProposal> proposals, int cap)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cap);
        return proposals.OrderByDescending(p => p.Score).Take(cap).ToList();
    }

    private static bool Covered(NormalizedBox a, NormalizedBox b)
    {
        var w = Math.Min(a.X1, b.X1) - Math.Max(a.X0, b.X0);
        var h = Math.Min(a.Y1, b.Y1) - Math.Max(a.Y0, b.Y0);
        return w > 0 && h > 0 && w * h >= DuplicateOverlap * Math.Min(a.Area, b.Area);
    }

    /// <summary>
    /// Frees the detector once no scan runs: a scan is cancelled between tiles by its caller, so one tile's time is
    /// the usual wait. Freeing the session under a running call crashes the process; after 30 s of waiting the
    /// session is left to the process's exit instead.
    /// </summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (!_oneAtATime.Wait(TimeSpan.FromSeconds(30))) return;
        _session.Dispose();
        _oneAtATime.Release();
    }
}
