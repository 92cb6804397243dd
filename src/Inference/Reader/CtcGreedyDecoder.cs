namespace CollabVlm.Inference.Reader;

/// <summary>
/// Greedy CTC decoding of a recognizer's per-step class probabilities: argmax per step, collapse
/// repeated classes, drop blanks. Each kept step becomes one token whose statistics
/// (top-2 probabilities, Shannon entropy) feed the uncertainty gate.
/// </summary>
public static class CtcGreedyDecoder
{
    public const int Blank = 0;

    /// <param name="probabilities">Row-major [steps × classes] softmax output.</param>
    public static TextReading Decode(ReadOnlySpan<float> probabilities, int steps, int classes, CharacterTable table)
    {
        if (probabilities.Length != steps * classes)
            throw new ArgumentException($"expected {steps}×{classes} probabilities, got {probabilities.Length}");
        if (classes != table.Count)
            throw new ArgumentException($"the model emits {classes} classes but the character table has {table.Count}: wrong keys file for this recognizer?");

        var text = new System.Text.StringBuilder();
        var tokens = new List<TokenStat>();
        var previous = -1;
        for (var t = 0; t < steps; t++)
        {
            var row = probabilities.Slice(t * classes, classes);
            var best = ArgMax(row);
            if (best != Blank && best != previous)
            {
                text.Append(table[best]);
                tokens.Add(TokenStatistics.FromProbabilities(row));
            }
            previous = best;
        }
        return new TextReading(text.ToString(), tokens);
    }

    private static int ArgMax(ReadOnlySpan<float> row)
    {
        var best = 0;
        for (var i = 1; i < row.Length; i++)
            if (row[i] > row[best]) best = i;
        return best;
    }
}
