namespace CollabVlm.Bench.Datasets;

/// <summary>A box in pixels of an image, corners (x0, y0) top-left and (x1, y1) bottom-right, as the manifest writes it.</summary>
public sealed record PixelBox(double X0, double Y0, double X1, double Y1);
