namespace CollabVlm.Imaging;

/// <summary>Why an image was refused; callers map these to protocol failure codes.</summary>
public enum ImageErrorKind
{
    Empty,
    UnsupportedFormat,
    TooLarge,
    Corrupt,
}
