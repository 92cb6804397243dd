namespace CollabVlm.Inference.Served;

/// <summary>
/// A served model's call failed. <see cref="EndpointFault"/>: the endpoint is at fault (down, overloaded,
/// timing out, answering garbage or without log-probabilities) and another endpoint may succeed; otherwise
/// the request or the model is (a 400, a refusal) and every endpoint would answer the same.
/// </summary>
public sealed class ServedVlmException(string message, bool endpointFault, Exception? inner = null) : Exception(message, inner)
{
    public bool EndpointFault { get; } = endpointFault;
}
