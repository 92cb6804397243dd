namespace CollabVlm.Imaging;

/// <summary>Encoded bytes together with the pixel size and JPEG quality they were made with.</summary>
public sealed record EncodedImage(byte[] Bytes, int Width, int Height, int Quality);
