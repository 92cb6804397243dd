using System.Reflection;
using CollabVlm.Imaging;
using CollabVlm.Inference;
using CollabVlm.Primitives;
using CollabVlm.TwoStage.Refinement;

namespace CollabVlm.TwoStage.Tests;

/// <summary>The plain libraries stay plain: no Akka anywhere below the actors (docs/architecture.md, "Projects").</summary>
public sealed class LayeringTests
{
    public static TheoryData<string> PlainAssemblies => new()
    {
        typeof(NormalizedBox).Assembly.GetName().Name!,
        typeof(SafeImageDecoder).Assembly.GetName().Name!,
        typeof(IVisionLanguageModel).Assembly.GetName().Name!,
        typeof(LocalStage).Assembly.GetName().Name!,
    };

    [Theory]
    [MemberData(nameof(PlainAssemblies))]
    public void References_no_akka_assembly_directly_or_through_another_project(string name)
    {
        var seen = new HashSet<string>();
        var pending = new Stack<AssemblyName>([new AssemblyName(name)]);
        while (pending.TryPop(out var next))
        {
            if (!seen.Add(next.Name!) || !next.Name!.StartsWith("CollabVlm.", StringComparison.Ordinal)) continue;
            foreach (var reference in Assembly.Load(next).GetReferencedAssemblies())
            {
                Assert.False(reference.Name!.StartsWith("Akka", StringComparison.Ordinal), $"{next.Name} references {reference.Name}");
                pending.Push(reference);
            }
        }
        Assert.Contains(name, seen);
    }
}
