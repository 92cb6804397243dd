using CollabVlm.Messages;
using CollabVlm.Primitives;

namespace CollabVlm.Actors.Edge.Link;

/// <summary>
/// Turns observed uploads into a <see cref="LinkView"/> (docs/link-estimator.md). Plain class, one per edge
/// device, not thread-safe (the <see cref="EdgeDevice"/> actor owns it).
/// <para>
/// Model: a transfer of <c>b</c> bytes takes <c>RTT + b / rate</c> plus noise, and noise (queueing,
/// scheduling, retransmits) only ever adds time. From that:
/// </para>
/// <list type="bullet">
/// <item><b>Round trip</b> is the non-serialisation part. Any two transfers of clearly different size
/// give a slope (1/rate) and an intercept (the RTT) free of the rate; the lower quartile of the
/// intercepts over all such pairs in the window (a Theil–Sen-style estimate) shrugs off a few noisy
/// samples, once there are at least three pairs. It can never exceed the
/// shortest transfer's elapsed time, so it is clamped to that running minimum. When the window holds
/// only transfers of about one size the RTT cannot be told apart from serialisation, and the last
/// identified value (initially zero) stays; with zero, the rate is a slight underestimate and
/// <c>RTT/2 + b/rate</c> still predicts transfers of that size well.</item>
/// <item><b>Throughput</b> of one transfer is <c>b / (elapsed − RTT)</c>; transfers that were mostly
/// round trip (serialisation share below <see cref="LinkEstimatorSettings.MinSerialisationShare"/>)
/// inform the RTT only. The rate is the <b>harmonic mean</b> of the window's throughputs, as in
/// video rate adaptation (FESTIVE, MPC): one lucky fast transfer barely moves it, and it leans
/// toward the slow side, which is the safe side for a deadline.</item>
/// <item><b>Steps</b>: a transfer more than <see cref="LinkEstimatorSettings.StepFactor"/> away from
/// transfers of about its size is held aside as a suspect and not averaged in. If a later transfer is
/// far off in the same direction the link has changed: the window restarts from those, so the estimate
/// follows a step within two transfers. If one of about the suspect's size is back in line, the
/// suspect was an outlier and is dropped; a transfer of another size leaves it waiting.</item>
/// <item><b>Confidence</b> grows with the number of throughput samples (1 − e^(−n/3): 0.28, 0.49,
/// 0.63 … 0.93 at 8), shrinks with their spread (coefficient of variation 0.2 halves it), and is
/// halved while a suspect waits, because the link may just have changed.</item>
/// </list>
/// Memory is bounded by <see cref="LinkEstimatorSettings.WindowSize"/> samples plus two suspects.
/// </summary>
public sealed class LinkSampleWindow
{
    /// <summary>Two transfers this close in size give a slope dominated by noise; they are not paired for the RTT.</summary>
    private const double MinSizeRatioForSlope = 1.5;

    /// <summary>Pairs of differently sized transfers needed before their intercepts replace the round-trip estimate.</summary>
    private const int MinPairsForRoundTrip = 3;

    /// <summary>Suspects held at once: one per size of upload (global image, crop) is what alternating uploads need.</summary>
    private const int MaxSuspects = 2;

    /// <summary>Coefficient of variation of the throughputs at which the dispersion factor of the confidence is ½.</summary>
    private const double HalfConfidenceSpread = 0.2;

    private readonly LinkEstimatorSettings _settings;
    private readonly Queue<TransferSample> _samples;
    private readonly List<(TransferSample Sample, bool Faster)> _suspects = new(MaxSuspects);
    private TimeSpan _roundTrip = TimeSpan.Zero;
    private bool _roundTripIdentified;

    public LinkSampleWindow(LinkEstimatorSettings settings)
    {
        if (settings.Validate() is { } problem) throw new ArgumentException(problem, nameof(settings));
        _settings = settings;
        _samples = new Queue<TransferSample>(settings.WindowSize);
    }

    /// <summary>The current belief; <see cref="LinkView.Unknown"/> until the first sample.</summary>
    public LinkView View { get; private set; } = LinkView.Unknown;

    /// <summary>Samples the estimate is made of now (at most the window size).</summary>
    public int Count => _samples.Count;

    /// <summary>Learns from one transfer. Throws <see cref="ArgumentException"/> for zero bytes or a non-positive time.</summary>
    public SampleVerdict Add(TransferSample sample)
    {
        if (sample.Validate() is { } problem) throw new ArgumentException(problem, nameof(sample));
        var verdict = Classify(sample);
        View = Estimate();
        return verdict;
    }

    private SampleVerdict Classify(TransferSample sample)
    {
        // Nothing to compare with, or a transfer that was mostly round trip: it cannot signal a rate step.
        if (_samples.Count == 0 || Throughput(sample, _roundTrip) is not { } rate)
        {
            Push(sample);
            return SampleVerdict.Accepted;
        }

        // Compare like with like. Until the round trip is known, a small transfer's apparent rate is mostly its round
        // trip: on a 10 Mbit/s link a 7 KB upload reads 4× slower than a 33 KB one, which is size, not a step.
        if (ReferenceRate(sample) is not { } reference)
        {
            Push(sample);
            return SampleVerdict.Accepted;
        }
        var ratio = rate / reference;
        if (ratio <= _settings.StepFactor && ratio >= 1 / _settings.StepFactor)
        {
            // Only a transfer of about a suspect's size shows it was an outlier. Uploads alternate between small global
            // images and large crops: a global image in line says nothing about a crop held as slow (on a fast link the
            // global image is mostly round trip), and letting it drop the crop kept the window from ever seeing a step.
            var dropped = _suspects.RemoveAll(s => AboutTheSameSize(s.Sample, sample)) > 0;
            Push(sample);
            return dropped ? SampleVerdict.SuspectDropped : SampleVerdict.Accepted;
        }

        var faster = ratio > 1;
        var agreeing = _suspects.Where(s => s.Faster == faster).Select(s => s.Sample).ToList();
        if (agreeing.Count > 0)
        {
            _samples.Clear();
            foreach (var held in agreeing) Push(held);
            Push(sample);
            _suspects.Clear();
            return SampleVerdict.WindowRestarted;
        }
        // Off the other way than every suspect. One of about this size is contradicted by it; others wait on, so that
        // a crop held as slow is still there to be confirmed by the next crop (bounded: the newest two are kept).
        _suspects.RemoveAll(s => AboutTheSameSize(s.Sample, sample));
        if (_suspects.Count == MaxSuspects) _suspects.RemoveAt(0);
        _suspects.Add((sample, faster));
        return SampleVerdict.HeldAsSuspect;
    }

    private static bool AboutTheSameSize(TransferSample a, TransferSample b) =>
        Math.Max(a.Bytes, b.Bytes) < MinSizeRatioForSlope * Math.Min(a.Bytes, b.Bytes);

    /// <summary>
    /// The rate a new transfer is judged against: that of the window's transfers of about its size; failing those, the
    /// estimate once the round trip has been identified; otherwise none (it cannot be judged yet).
    /// </summary>
    private double? ReferenceRate(TransferSample sample)
    {
        var similar = _samples
            .Where(s => AboutTheSameSize(s, sample))
            .Select(s => Throughput(s, _roundTrip)).OfType<double>().ToList();
        if (similar.Count > 0) return similar.Count / similar.Sum(r => 1 / r);
        return _roundTripIdentified ? View.BytesPerSecond : null;
    }

    private void Push(TransferSample sample)
    {
        if (_samples.Count == _settings.WindowSize) _samples.Dequeue();
        _samples.Enqueue(sample);
    }

    private LinkView Estimate()
    {
        var samples = _samples.ToArray();
        var slopes = PairSlopes(samples);
        var roundTrip = RoundTrip(samples, slopes);
        var rates = samples.Select(s => Throughput(s, roundTrip)).OfType<double>().ToList();
        // Only round-trip-dominated transfers so far: their plain goodput is a lower bound on the rate.
        if (rates.Count == 0) rates = samples.Select(s => s.Bytes / s.Elapsed.TotalSeconds).ToList();
        var harmonic = rates.Count / rates.Sum(r => 1 / r);
        // With enough pairs of different sizes, the slope is the rate itself, free of the round trip; the per-transfer
        // rates are not: on a fast link a few milliseconds of round-trip error halve a small upload's. Each pair's
        // slope counts by its size difference, since a few milliseconds of noise tilt the slope of a near pair most.
        var rate = slopes.Count >= MinPairsForRoundTrip ? 1 / WeightedMedian(slopes.Select(p => (p.SecondsPerByte, p.Bytes))) : harmonic;
        var mean = rates.Average();
        var spread = Math.Sqrt(rates.Average(r => (r - mean) * (r - mean))) / mean;
        var confidence = (1 - Math.Exp(-rates.Count / 3.0))
                         / (1 + Math.Pow(spread / HalfConfidenceSpread, 2))
                         * (_suspects.Count == 0 ? 1 : 0.5);
        return new LinkView(rate, roundTrip, confidence);
    }

    /// <summary>Slope (seconds per byte), intercept and size difference of every pair of clearly different size whose larger transfer was slower.</summary>
    private static List<(double SecondsPerByte, double Intercept, long Bytes)> PairSlopes(TransferSample[] samples)
    {
        var pairs = new List<(double, double, long)>();
        for (var i = 0; i < samples.Length; i++)
            for (var j = 0; j < samples.Length; j++)
            {
                var (small, large) = (samples[i], samples[j]);
                if (large.Bytes < small.Bytes * MinSizeRatioForSlope) continue;
                var secondsPerByte = (large.Elapsed - small.Elapsed).TotalSeconds / (large.Bytes - small.Bytes);
                // The larger transfer was not slower: noise swamped the slope, it says nothing about the RTT.
                if (secondsPerByte <= 0) continue;
                pairs.Add((secondsPerByte, small.Elapsed.TotalSeconds - small.Bytes * secondsPerByte, large.Bytes - small.Bytes));
            }
        return pairs;
    }

    private TimeSpan RoundTrip(TransferSample[] samples, List<(double SecondsPerByte, double Intercept, long Bytes)> pairs)
    {
        // One or two pairs are at the mercy of a single slow transfer (the first one on a fresh
        // connection is): a slow small transfer flattens the slope and inflates the intercept, which
        // would inflate every throughput. So: enough pairs, and their lower quartile rather than the
        // median — erring toward a short RTT only makes the rate estimate a little low (safe side).
        if (pairs.Count >= MinPairsForRoundTrip)
        {
            var intercepts = pairs.Select(p => p.Intercept).Order().ToList();
            _roundTrip = TimeSpan.FromSeconds(Math.Max(0, intercepts[(intercepts.Count - 1) / 4]));
            _roundTripIdentified = true;
        }
        // The round trip is part of every transfer, so no transfer can have taken less.
        var shortest = samples.Min(s => s.Elapsed);
        if (_roundTrip > shortest) _roundTrip = shortest;
        return _roundTrip;
    }

    /// <summary>The value at which half of the total weight lies on either side.</summary>
    private static double WeightedMedian(IEnumerable<(double Value, long Weight)> values)
    {
        var sorted = values.OrderBy(v => v.Value).ToList();
        var half = sorted.Sum(v => (double)v.Weight) / 2;
        var cumulative = 0.0;
        foreach (var (value, weight) in sorted)
        {
            cumulative += weight;
            if (cumulative >= half) return value;
        }
        return sorted[^1].Value;
    }

    /// <summary>Bytes per second of the serialisation part, or null when the transfer was mostly round trip.</summary>
    private double? Throughput(TransferSample sample, TimeSpan roundTrip)
    {
        var serialisation = (sample.Elapsed - roundTrip).TotalSeconds;
        return serialisation >= _settings.MinSerialisationShare * sample.Elapsed.TotalSeconds
            ? sample.Bytes / serialisation
            : null;
    }
}
