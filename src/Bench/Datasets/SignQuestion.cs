using CollabVlm.Simulation.Frames;

namespace CollabVlm.Bench.Datasets;

/// <summary>
/// The question for a frame whose first sign is the answer: "What does the sign say?" when it is
/// alone; otherwise one that names it by a property no other sign in the frame shares — its plate
/// colour, its side (its box wholly left or right of every other), or that it is the only one with
/// a number — drawn at random among those that hold.
/// </summary>
public static class SignQuestion
{
    public const string Plain = "What does the sign say?";

    public static string For(IReadOnlyList<PlacedPhotoSign> signs, Random rng)
    {
        ArgumentNullException.ThrowIfNull(signs);
        ArgumentNullException.ThrowIfNull(rng);
        if (signs.Count == 0) throw new ArgumentException("no sign: the first sign is the answer's", nameof(signs));
        if (signs.Count == 1) return Plain;
        var answer = signs[0];
        var others = signs.Skip(1).ToList();
        var choices = new List<string>();
        if (others.All(o => o.Colour != answer.Colour))
            choices.Add($"What does the {answer.Colour} sign say?");
        if (others.All(o => answer.Box.Right < o.Box.X))
            choices.Add("What does the sign on the left say?");
        if (others.All(o => o.Box.Right < answer.Box.X))
            choices.Add("What does the sign on the right say?");
        if (answer.Text.Any(char.IsAsciiDigit) && others.All(o => !o.Text.Any(char.IsAsciiDigit)))
            choices.Add("What does the sign with the number say?");
        if (choices.Count == 0)
            throw new ArgumentException("no property names the answer's sign alone (same colour as another, not left or right of all, no lone number)", nameof(signs));
        return choices[rng.Next(choices.Count)];
    }
}
