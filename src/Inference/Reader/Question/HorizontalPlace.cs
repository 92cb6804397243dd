namespace CollabVlm.Inference.Reader.Question;

/// <summary>Where across the frame a question puts the sign ("on the left", "top right").</summary>
public enum HorizontalPlace
{
    Left,
    Centre,
    Right,
}
