using CollabVlm.Messages;

namespace CollabVlm.Actors.Edge;

/// <summary>
/// Node-local request to an <see cref="EdgeDevice"/>: answer <paramref name="Question"/> about the
/// frame <paramref name="Frame"/> (JPEG or PNG bytes at full resolution). Replies one <see cref="QueryOutcome"/>.
/// </summary>
public sealed record AskQuestion(byte[] Frame, string Question, QueryOptions? Options = null, QueryId? QueryId = null);
