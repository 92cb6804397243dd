namespace CollabVlm.Imaging;

/// <summary>What an image's header says about it, read without decoding any pixel.</summary>
public sealed record ImageHeader(ImageFormatKind Format, int Width, int Height)
{
    public long PixelCount => (long)Width * Height;
}
