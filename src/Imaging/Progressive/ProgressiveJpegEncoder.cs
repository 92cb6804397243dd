using System.Reflection;
using System.Runtime.InteropServices;
using BitMiracle.LibJpeg.Classic;
using SkiaSharp;

namespace CollabVlm.Imaging.Progressive;

/// <summary>
/// Encodes a bitmap as a YCbCr 4:2:0 progressive JPEG with an explicit scan script, using
/// BitMiracle.LibJpeg.NET (a managed port of IJG libjpeg). SkiaSharp and ImageSharp 2 cannot write
/// progressive JPEG at all.
/// </summary>
public static class ProgressiveJpegEncoder
{
    // LibJpeg.NET exposes only jpeg_simple_progression(); libjpeg's own field for a custom script
    // (cinfo->scan_info) is internal in the port. We set it by reflection against the pinned 1.5.324;
    // ProgressiveJpegEncoderTests read the SOS headers back, so a package change that breaks this
    // fails there instead of silently producing another script.
    private static readonly Type ScanInfoType =
        typeof(jpeg_compress_struct).Assembly.GetType("BitMiracle.LibJpeg.Classic.Internal.jpeg_scan_info")
        ?? throw Unsupported("type jpeg_scan_info");
    private static readonly FieldInfo ScanInfoField = InstanceField(typeof(jpeg_compress_struct), "m_scan_info");
    private static readonly FieldInfo ScanCountField = InstanceField(typeof(jpeg_compress_struct), "m_num_scans");
    private static readonly FieldInfo ComponentsInScan = InstanceField(ScanInfoType, "comps_in_scan");
    private static readonly FieldInfo ComponentIndex = InstanceField(ScanInfoType, "component_index");
    private static readonly FieldInfo SpectralStart = InstanceField(ScanInfoType, "Ss");
    private static readonly FieldInfo SpectralEnd = InstanceField(ScanInfoType, "Se");
    private static readonly FieldInfo BitHigh = InstanceField(ScanInfoType, "Ah");
    private static readonly FieldInfo BitLow = InstanceField(ScanInfoType, "Al");

    /// <summary>Encodes with <see cref="ProgressiveScanScripts.TextFirst"/>.</summary>
    public static ProgressiveJpeg Encode(SKBitmap bitmap, int quality) =>
        Encode(bitmap, quality, ProgressiveScanScripts.TextFirst);

    public static ProgressiveJpeg Encode(SKBitmap bitmap, int quality, IReadOnlyList<ProgressiveScan> script)
    {
        ArgumentNullException.ThrowIfNull(bitmap);
        ArgumentNullException.ThrowIfNull(script);
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);
        if (bitmap.Width < 1 || bitmap.Height < 1 || bitmap.Width > 65_500 || bitmap.Height > 65_500)
            throw new ArgumentException($"a {bitmap.Width}×{bitmap.Height} bitmap cannot be a JPEG (each side 1..65500)", nameof(bitmap));
        if (script.Count == 0)
            throw new ArgumentException("the scan script is empty", nameof(script));

        var rows = RgbRows(bitmap);
        using var output = new MemoryStream();
        var compressor = new jpeg_compress_struct(new jpeg_error_mgr())
        {
            Image_width = bitmap.Width,
            Image_height = bitmap.Height,
            Input_components = 3,
            In_color_space = J_COLOR_SPACE.JCS_RGB,
        };
        compressor.jpeg_stdio_dest(output);
        compressor.jpeg_set_defaults();
        compressor.jpeg_set_quality(quality, force_baseline: true);
        compressor.jpeg_simple_progression();
        SetScript(compressor, script);

        // libjpeg validates the script here (T.81 rules on band and bit order) and throws if it is bad.
        compressor.jpeg_start_compress(true);
        compressor.jpeg_write_scanlines(rows, rows.Length);
        compressor.jpeg_finish_compress();

        return ProgressiveJpeg.FromBytes(output.ToArray(), quality);
    }

    private static byte[][] RgbRows(SKBitmap bitmap)
    {
        // Read through Skia so any colour/alpha type arrives as unpremultiplied RGBA; JPEG drops alpha.
        var info = new SKImageInfo(bitmap.Width, bitmap.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var rgba = new byte[info.BytesSize];
        var handle = GCHandle.Alloc(rgba, GCHandleType.Pinned);
        try
        {
            using var pixmap = bitmap.PeekPixels()
                ?? throw new ArgumentException("the bitmap has no pixels to encode", nameof(bitmap));
            if (!pixmap.ReadPixels(info, handle.AddrOfPinnedObject(), info.RowBytes))
                throw new ArgumentException($"SkiaSharp could not read a {bitmap.ColorType}/{bitmap.AlphaType} bitmap as RGBA", nameof(bitmap));
        }
        finally
        {
            handle.Free();
        }

        var rows = new byte[bitmap.Height][];
        for (var y = 0; y < rows.Length; y++)
        {
            var row = new byte[bitmap.Width * 3];
            var source = y * info.RowBytes;
            for (var x = 0; x < bitmap.Width; x++)
            {
                row[3 * x] = rgba[source + 4 * x];
                row[3 * x + 1] = rgba[source + 4 * x + 1];
                row[3 * x + 2] = rgba[source + 4 * x + 2];
            }

            rows[y] = row;
        }

        return rows;
    }

    private static void SetScript(jpeg_compress_struct compressor, IReadOnlyList<ProgressiveScan> script)
    {
        var scans = Array.CreateInstance(ScanInfoType, script.Count);
        for (var i = 0; i < script.Count; i++)
        {
            var scan = script[i];
            if (scan.Components.Count is < 1 or > 3 || scan.Components.Any(c => c is < 0 or > 2))
                throw new ArgumentException($"scan {i} ({scan}) must name 1 to 3 of the components 0 (Y), 1 (Cb), 2 (Cr)", nameof(script));

            var info = Activator.CreateInstance(ScanInfoType, nonPublic: true) ?? throw Unsupported("jpeg_scan_info()");
            var components = (int[])ComponentIndex.GetValue(info)!;
            for (var c = 0; c < scan.Components.Count; c++)
                components[c] = scan.Components[c];
            ComponentsInScan.SetValue(info, scan.Components.Count);
            SpectralStart.SetValue(info, scan.SpectralStart);
            SpectralEnd.SetValue(info, scan.SpectralEnd);
            BitHigh.SetValue(info, scan.BitHigh);
            BitLow.SetValue(info, scan.BitLow);
            scans.SetValue(info, i);
        }

        ScanInfoField.SetValue(compressor, scans);
        ScanCountField.SetValue(compressor, script.Count);
    }

    private static FieldInfo InstanceField(Type type, string name) =>
        type.GetField(name, BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
        ?? throw Unsupported($"field {type.Name}.{name}");

    private static NotSupportedException Unsupported(string what) =>
        new($"BitMiracle.LibJpeg.NET has no {what}: custom scan scripts need the pinned version 1.5.324");
}
