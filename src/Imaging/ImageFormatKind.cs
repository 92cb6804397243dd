namespace CollabVlm.Imaging;

/// <summary>The only encodings we accept from outside; everything else is refused before decoding.</summary>
public enum ImageFormatKind
{
    Jpeg,
    Png,
}
