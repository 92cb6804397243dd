using SkiaSharp;

namespace CollabVlm.Actors.Edge;

/// <summary>
/// A query's full-resolution frame with more than one reader: the query's actor, and its text scan on the thread
/// pool. The query may end (and its actor stop) while a tile is still being scanned, so neither frees the pixels
/// alone: each holder releases its hold, and the last one frees them.
/// </summary>
public sealed class SharedFrame(SKBitmap bitmap)
{
    private int _holders = 1;

    /// <summary>The pixels; valid until the holder that reads them releases its hold.</summary>
    public SKBitmap Bitmap => bitmap;

    /// <summary>Another holder; call only while holding it yourself, so it cannot have been freed yet.</summary>
    public SharedFrame Hold()
    {
        if (Interlocked.Increment(ref _holders) <= 1)
            throw new InvalidOperationException("the frame was already freed: hold it only while holding it yourself");
        return this;
    }

    /// <summary>Ends one hold; the last frees the pixels.</summary>
    public void Release()
    {
        var left = Interlocked.Decrement(ref _holders);
        if (left == 0) bitmap.Dispose();
        else if (left < 0) throw new InvalidOperationException("the frame was released more times than it was held");
    }

    /// <summary>Whether the pixels were freed (every hold released).</summary>
    public bool Freed => Volatile.Read(ref _holders) <= 0;
}
