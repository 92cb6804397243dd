namespace CollabVlm.Imaging.Progressive;

/// <summary>
/// One scan of a progressive JPEG script (ITU T.81 G.1): which components it carries, the band of
/// zig-zag coefficients <paramref name="SpectralStart"/>..<paramref name="SpectralEnd"/>, and the
/// successive-approximation bits (<paramref name="BitHigh"/> = 0 for a first pass, otherwise the
/// previous pass's <paramref name="BitLow"/>; the scan sends bits down to <paramref name="BitLow"/>).
/// Components are 0 = Y (luma), 1 = Cb, 2 = Cr.
/// </summary>
public sealed record ProgressiveScan(IReadOnlyList<int> Components, int SpectralStart, int SpectralEnd, int BitHigh, int BitLow)
{
    public static ProgressiveScan Dc(int bitHigh, int bitLow) => new([0, 1, 2], 0, 0, bitHigh, bitLow);

    public static ProgressiveScan Ac(int component, int start, int end, int bitHigh, int bitLow) =>
        new([component], start, end, bitHigh, bitLow);

    public override string ToString() =>
        $"{string.Join(",", Components.Select(c => c switch { 0 => "Y", 1 => "Cb", _ => "Cr" }))} {SpectralStart}-{SpectralEnd} Ah={BitHigh} Al={BitLow}";
}
