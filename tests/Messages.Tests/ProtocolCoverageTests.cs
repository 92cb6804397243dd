using System.Runtime.CompilerServices;
using CollabVlm.Messages.Serialization;

namespace CollabVlm.Messages.Tests;

/// <summary>A new protocol message cannot be forgotten in the serializer: reflection finds it.</summary>
public sealed class ProtocolCoverageTests(ProtocolActorSystemFixture fixture) : IClassFixture<ProtocolActorSystemFixture>
{
    private static readonly Type[] ConcreteProtocolTypes = typeof(IProtocolMessage).Assembly.GetTypes()
        .Where(t => typeof(IProtocolMessage).IsAssignableFrom(t) && !t.IsAbstract && !t.IsInterface)
        .OrderBy(t => t.FullName)
        .ToArray();

    private ProtocolSerializer Serializer => Assert.IsType<ProtocolSerializer>(
        fixture.System.Serialization.FindSerializerForType(typeof(QueryAccepted)));

    [Fact]
    public void The_assembly_has_protocol_messages_at_all() =>
        Assert.Contains(typeof(SubmitQuery), ConcreteProtocolTypes);

    [Fact]
    public void Every_concrete_protocol_message_is_supported()
    {
        var missing = ConcreteProtocolTypes.Except(ProtocolSerializer.SupportedTypes).Select(t => t.Name).ToArray();
        Assert.True(missing.Length == 0, $"not registered in ProtocolSerializer: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Every_supported_type_is_a_protocol_message_with_its_own_manifest()
    {
        var manifests = new Dictionary<string, Type>();
        foreach (var type in ProtocolSerializer.SupportedTypes)
        {
            Assert.True(typeof(IProtocolMessage).IsAssignableFrom(type), $"{type.Name} is supported but is not an IProtocolMessage, so the binding never routes it here");
            // Manifest depends only on the runtime type, so an uninitialized instance is enough.
            var manifest = Serializer.Manifest(RuntimeHelpers.GetUninitializedObject(type));
            Assert.False(string.IsNullOrWhiteSpace(manifest), $"{type.Name} has an empty manifest");
            Assert.True(manifests.TryAdd(manifest, type), $"{type.Name} and {manifests.GetValueOrDefault(manifest)?.Name} share manifest '{manifest}'");
        }
    }

    [Fact]
    public void The_actor_system_routes_every_supported_type_to_the_protocol_serializer()
    {
        foreach (var type in ProtocolSerializer.SupportedTypes)
            Assert.IsType<ProtocolSerializer>(fixture.System.Serialization.FindSerializerForType(type));
    }

    [Fact]
    public void A_non_protocol_object_has_no_manifest()
    {
        var e = Assert.Throws<ArgumentException>(() => Serializer.Manifest("just a string"));
        Assert.Contains("not a registered protocol message", e.Message);
        Assert.Throws<ArgumentException>(() => Serializer.ToBinary("just a string"));
    }
}
