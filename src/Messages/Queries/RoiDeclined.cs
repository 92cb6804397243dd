namespace CollabVlm.Messages;

/// <summary>Edge → server: the edge cannot serve a <see cref="RoiRequest"/> (unknown query, frame gone, bad box).</summary>
public sealed record RoiDeclined(QueryId QueryId, string Reason) : IQueryMessage;
