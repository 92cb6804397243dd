namespace CollabVlm.Imaging;

/// <summary>An axis-aligned rectangle in whole pixels of a particular frame.</summary>
public readonly record struct PixelRect(int X, int Y, int Width, int Height)
{
    public int Right => X + Width;
    public int Bottom => Y + Height;
}
