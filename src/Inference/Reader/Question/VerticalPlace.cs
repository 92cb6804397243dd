namespace CollabVlm.Inference.Reader.Question;

/// <summary>Where down the frame a question puts the sign ("at the top", "bottom left").</summary>
public enum VerticalPlace
{
    Top,
    Middle,
    Bottom,
}
