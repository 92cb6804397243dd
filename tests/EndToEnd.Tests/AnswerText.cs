namespace CollabVlm.EndToEnd.Tests;

/// <summary>README's accuracy normalization: lower-case letters and digits only ("EXIT 24" = "exit24").</summary>
public static class AnswerText
{
    public static string Normalize(string? text) =>
        new((text ?? "").Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    public static bool Matches(string? answer, string expected) => Normalize(answer) == Normalize(expected);
}
