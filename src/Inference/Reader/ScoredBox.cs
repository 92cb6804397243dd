using CollabVlm.Imaging;

namespace CollabVlm.Inference.Reader;

/// <summary>A detected text line and the detector's mean probability inside it.</summary>
public readonly record struct ScoredBox(PixelRect Box, float Score);
