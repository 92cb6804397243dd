namespace CollabVlm.Imaging;

/// <summary>
/// The global image cannot be made within its byte budget even at the lowest quality allowed: the settings
/// (its long side against the byte cap) cannot serve this frame. An <see cref="InvalidOperationException"/>, as before.
/// </summary>
public sealed class GlobalImageTooLargeException(string message) : InvalidOperationException(message);
