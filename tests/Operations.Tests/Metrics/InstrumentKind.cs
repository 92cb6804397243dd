namespace CollabVlm.Operations.Tests.Metrics;

public enum InstrumentKind
{
    Counter,
    Histogram,
    Gauge,
}
