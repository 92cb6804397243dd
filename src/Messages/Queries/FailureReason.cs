namespace CollabVlm.Messages;

/// <summary>Why a query ended without an answer. Stable codes: clients may switch on them.</summary>
public enum FailureReason
{
    /// <summary>The query itself is malformed (empty or over-long question, bad sizes, bad options).</summary>
    InvalidInput,
    /// <summary>The image bytes are not a decodable JPEG/PNG within the pixel limit.</summary>
    InvalidImage,
    /// <summary>Admission control: the server's predicted wait exceeds what is left of the deadline, or too many queries are in flight or queued; retry elsewhere.</summary>
    Busy,
    /// <summary>The model threw while answering.</summary>
    InferenceFailed,
    /// <summary>A stage ran past its timeout.</summary>
    Timeout,
    /// <summary>No server answered within the edge's attempts.</summary>
    ServerUnavailable,
    /// <summary>A bug or crash on the server; the message says where.</summary>
    Internal,
    /// <summary>The server is shutting down: it took no new query, or handed back one it could not finish; retry on another server.</summary>
    ShuttingDown,
}
