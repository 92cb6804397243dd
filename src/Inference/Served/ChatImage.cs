namespace CollabVlm.Inference.Served;

/// <summary>An encoded image for a chat message: its bytes and MIME type (sent as a base64 data URL).</summary>
public sealed record ChatImage(byte[] Bytes, string MediaType)
{
    public string DataUrl => $"data:{MediaType};base64,{Convert.ToBase64String(Bytes)}";
}
