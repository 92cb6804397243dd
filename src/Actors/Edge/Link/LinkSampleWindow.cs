using CollabVlm.Messages;

namespace CollabVlm.Actors.Edge.Link;

/// <summary>
/// Turns observed uploads into a <see cref="LinkView"/> (DESIGN.md §6). Plain class, one per edge
/// device, not thread-safe (the <see cref="LinkEstimator"/> actor owns it).
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
/// the estimate is held aside as a suspect and not averaged in. If the next transfer is far off in
/// the same direction the link has changed: the window restarts from those two, so the estimate
/// follows a step within two transfers. If the next one is back in line, the suspect was an outlier
/// and is dropped.</item>
/// <item><b>Confidence</b> grows with the number of throughput samples (1 − e^(−n/3): 0.28, 0.49,
/// 0.63 … 0.93 at 8), shrinks with their spread (coefficient of variation 0.2 halves it), and is
/// halved while a suspect waits, because the link may just have changed.</item>
/// </list>
/// Memory is bounded by <see cref="LinkEstimatorSettings.WindowSize"/> samples plus one suspect.
/// </summary>
public sealed class LinkSampleWindow
{
    /// <summary>Two transfers this close in size give a slope dominated by noise; they are not paired for the RTT.</summary>
    private const double MinSizeRatioForSlope = 1.5;

    /// <summary>Pairs of differently sized transfers needed before their intercepts replace the round-trip estimate.</summary>
    private const int MinPairsForRoundTrip = 3;

    /// <summary>Coefficient of variation of the throughputs at which the dispersion factor of the confidence is ½.</summary>
    private const double HalfConfidenceSpread = 0.2;

    private readonly LinkEstimatorSettings _settings;
    private readonly Queue<TransferSample> _samples;
    private (TransferSample Sample, bool Faster)? _suspect;
    private TimeSpan _roundTrip = TimeSpan.Zero;

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

        var ratio = rate / View.BytesPerSecond;
        if (ratio <= _settings.StepFactor && ratio >= 1 / _settings.StepFactor)
        {
            var dropped = _suspect is not null;
            _suspect = null;
            Push(sample);
            return dropped ? SampleVerdict.SuspectDropped : SampleVerdict.Accepted;
        }

        var faster = ratio > 1;
        if (_suspect is { } held && held.Faster == faster)
        {
            _samples.Clear();
            Push(held.Sample);
            Push(sample);
            _suspect = null;
            return SampleVerdict.WindowRestarted;
        }
        _suspect = (sample, faster);
        return SampleVerdict.HeldAsSuspect;
    }

    private void Push(TransferSample sample)
    {
        if (_samples.Count == _settings.WindowSize) _samples.Dequeue();
        _samples.Enqueue(sample);
    }

    private LinkView Estimate()
    {
        var samples = _samples.ToArray();
        var roundTrip = RoundTrip(samples);

        var rates = samples.Select(s => Throughput(s, roundTrip)).OfType<double>().ToList();
        // Only round-trip-dominated transfers so far: their plain goodput is a lower bound on the rate.
        if (rates.Count == 0) rates = samples.Select(s => s.Bytes / s.Elapsed.TotalSeconds).ToList();

        var harmonic = rates.Count / rates.Sum(r => 1 / r);
        var mean = rates.Average();
        var spread = Math.Sqrt(rates.Average(r => (r - mean) * (r - mean))) / mean;
        var confidence = (1 - Math.Exp(-rates.Count / 3.0))
                         / (1 + Math.Pow(spread / HalfConfidenceSpread, 2))
                         * (_suspect is null ? 1 : 0.5);
        return new LinkView(harmonic, roundTrip, confidence);
    }

    private TimeSpan RoundTrip(TransferSample[] samples)
    {
        var intercepts = new List<double>();
        for (var i = 0; i < samples.Length; i++)
            for (var j = 0; j < samples.Length; j++)
            {
                var (small, large) = (samples[i], samples[j]);
                if (large.Bytes < small.Bytes * MinSizeRatioForSlope) continue;
                var secondsPerByte = (large.Elapsed - small.Elapsed).TotalSeconds / (large.Bytes - small.Bytes);
                // The larger transfer was not slower: noise swamped the slope, it says nothing about the RTT.
                if (secondsPerByte <= 0) continue;
                intercepts.Add(small.Elapsed.TotalSeconds - small.Bytes * secondsPerByte);
            }

        // One or two pairs are at the mercy of a single slow transfer (the first one on a fresh
        // connection is): a slow small transfer flattens the slope and inflates the intercept, which
        // would inflate every throughput. So: enough pairs, and their lower quartile rather than the
        // median — erring toward a short RTT only makes the rate estimate a little low (safe side).
        if (intercepts.Count >= MinPairsForRoundTrip)
        {
            intercepts.Sort();
            _roundTrip = TimeSpan.FromSeconds(Math.Max(0, intercepts[(intercepts.Count - 1) / 4]));
        }
        // The round trip is part of every transfer, so no transfer can have taken less.
        var shortest = samples.Min(s => s.Elapsed);
        if (_roundTrip > shortest) _roundTrip = shortest;
        return _roundTrip;
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
