namespace CollabVlm.Actors.Edge.Link;

/// <summary>
/// Tells an <see cref="EdgeDevice"/> about one finished upload of one of its queries (global image or a streamed
/// local image): bytes sent, and the time from the first byte handed to the uplink until the server's receipt
/// came back. Edge-local, never sent over the network.
/// </summary>
public sealed record TransferObserved(long Bytes, TimeSpan Elapsed);
