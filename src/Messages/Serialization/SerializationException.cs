namespace CollabVlm.Messages.Serialization;

/// <summary>Bytes that claim to be a protocol message but cannot be read as one.</summary>
public sealed class SerializationException(string message) : Exception(message);
