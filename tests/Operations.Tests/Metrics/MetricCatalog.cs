using System.Diagnostics.Metrics;
using CollabVlm.NodeDefaults.Telemetry;

namespace CollabVlm.Operations.Tests.Metrics;

/// <summary>The metrics list, derived from the code: every instrument <see cref="CollabVlmMetrics"/> publishes.</summary>
public sealed class MetricCatalog
{
    private MetricCatalog(IReadOnlyList<ExportedInstrument> instruments)
    {
        Instruments = instruments;
        SeriesNames = instruments.SelectMany(i => i.SeriesNames).ToHashSet(StringComparer.Ordinal);
    }

    public IReadOnlyList<ExportedInstrument> Instruments { get; }

    public IReadOnlySet<string> SeriesNames { get; }

    public static MetricCatalog FromCode()
    {
        using var metrics = new CollabVlmMetrics();
        var found = new List<ExportedInstrument>();
        using var listener = new MeterListener
        {
            // Only this instance's meter: other CollabVlm meters may live in the same test process.
            InstrumentPublished = (instrument, _) =>
            {
                if (ReferenceEquals(instrument.Meter, metrics.Meter)) found.Add(new ExportedInstrument(instrument.Name, instrument.Unit, KindOf(instrument)));
            },
        };
        listener.Start();
        return new MetricCatalog(found.OrderBy(i => i.Name, StringComparer.Ordinal).ToList());
    }

    private static InstrumentKind KindOf(Instrument instrument)
    {
        var type = instrument.GetType().GetGenericTypeDefinition();
        if (type == typeof(Counter<>) || type == typeof(ObservableCounter<>)) return InstrumentKind.Counter;
        if (type == typeof(Histogram<>)) return InstrumentKind.Histogram;
        if (type == typeof(ObservableGauge<>) || type == typeof(Gauge<>) || type == typeof(UpDownCounter<>) || type == typeof(ObservableUpDownCounter<>)) return InstrumentKind.Gauge;
        throw new InvalidOperationException($"instrument {instrument.Name} is a {instrument.GetType().Name}, which the catalog does not map yet");
    }
}
