namespace CollabVlm.Imaging;

/// <summary>
/// The one exception <see cref="SafeImageDecoder"/> throws for bad input, so callers can catch a
/// single type and still tell an attack (too large) from a broken upload (corrupt).
/// </summary>
public sealed class ImageDecodeException : Exception
{
    public ImageDecodeException(ImageErrorKind kind, string message)
        : base(message)
    {
        Kind = kind;
    }

    public ImageDecodeException(ImageErrorKind kind, string message, Exception innerException)
        : base(message, innerException)
    {
        Kind = kind;
    }

    public ImageErrorKind Kind { get; }
}
