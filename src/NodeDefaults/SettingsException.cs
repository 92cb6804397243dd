namespace CollabVlm.NodeDefaults;

/// <summary>A setting is unknown or out of range; the message names the key and how it is set.</summary>
public sealed class SettingsException(string message, Exception? inner = null) : Exception(message, inner);
