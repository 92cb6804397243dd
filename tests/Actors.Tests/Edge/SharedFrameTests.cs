using CollabVlm.Actors.Edge;
using SkiaSharp;
using Xunit;

namespace CollabVlm.Actors.Tests.Edge;

public sealed class SharedFrameTests
{
    [Fact]
    public void The_pixels_are_freed_by_the_last_holder_whichever_releases_last()
    {
        var frame = new SharedFrame(new SKBitmap(64, 48));
        var scan = frame.Hold();
        frame.Release(); // the query ended first
        Assert.False(frame.Freed);
        Assert.Equal(64, scan.Bitmap.Width); // the scan still reads whole pixels
        scan.Release();
        Assert.True(frame.Freed);
    }

    [Fact]
    public void Holding_a_freed_frame_or_releasing_it_twice_is_refused()
    {
        var frame = new SharedFrame(new SKBitmap(8, 8));
        frame.Release();
        Assert.Throws<InvalidOperationException>(() => frame.Hold());
        var other = new SharedFrame(new SKBitmap(8, 8));
        other.Release();
        Assert.Throws<InvalidOperationException>(other.Release);
    }
}
