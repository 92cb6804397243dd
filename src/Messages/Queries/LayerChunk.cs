namespace CollabVlm.Messages;

/// <summary>
/// One stream element of a local image: at most <see cref="MaxBytes"/> bytes of layer
/// <paramref name="LayerIndex"/>. Each element is one remote message, so it must stay well under
/// Akka's maximum frame size (128000 bytes by default; bigger messages are dropped).
/// </summary>
public sealed record LayerChunk(int LayerIndex, bool IsLastOfLayer, byte[] Bytes) : IProtocolMessage
{
    public const int MaxBytes = 64 * 1024;
}
