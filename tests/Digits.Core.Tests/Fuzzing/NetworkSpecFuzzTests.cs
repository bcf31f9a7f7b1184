using System.Text.Json.Nodes;
using CsCheck;
using Digits.Core.Models;
using Digits.Core.Tests.Support;
using Digits.Tests.Support;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Digits.Core.Tests.Fuzzing;

/// <summary>
/// Layer-list JSON (<see cref="NetworkSpec.FromJson"/>, <see cref="NetworkBuilder.Build"/> and
/// <see cref="ModelRegistry.Get"/> for a <c>.json</c> file) fed random layer lists made of plausible layers, and
/// mutations of them: fields of the wrong type, negative, zero and huge sizes, unknown types, nesting 10,000 deep. The
/// rule: a network whose shapes are what the builder inferred, within <see cref="NetworkBuilder.MaxParameters"/> and
/// <see cref="NetworkBuilder.MaxValuesPerImage"/>, or an <see cref="InvalidDataException"/> naming the problem.
/// </summary>
[Collection(TorchTests.Name)]
public sealed class NetworkSpecFuzzTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly Gen<string?> s_activations = Gen.OneOf<string?>(null, null, LayerKinds.Relu, LayerKinds.Tanh, LayerKinds.Sigmoid, LayerKinds.Gelu);

    /// <summary>
    /// Layer names: mostly none (the builder numbers them), else plain ones, ones the builder also makes (a clash), and
    /// ones no state-dict key should hold (a dot, a slash, nothing, a space).
    /// </summary>
    private static readonly Gen<string?> s_names = Gen.OneOf<string?>(null, null, null, null, "first", "conv2d_1", "dense_1", "a.b", "", " ", "x/y", "ü", "layers");

    /// <summary>A layer as a layer list writes it, with sizes a person might choose and optional fields sometimes left out.</summary>
    public static Gen<JsonObject> Layer { get; } = Gen.Frequency(
        (4, Gen.Select(Gen.Int[1, 32], Gen.Int[1, 5], Gen.Int[0, 3], Gen.OneOf<string?>(null, "valid", "same"), s_activations).Select((filters, kernel, stride, padding, activation) =>
            Object(LayerKinds.Conv2d, ("filters", filters), ("kernel", kernel), ("stride", stride == 0 ? null : stride), ("padding", padding), ("activation", activation)))),
        (2, Gen.Select(Gen.Int[1, 3], Gen.Int[0, 3], Gen.Bool).Select((size, stride, max) =>
            Object(max ? LayerKinds.MaxPool : LayerKinds.AvgPool, ("size", size), ("stride", stride == 0 ? null : stride)))),
        (1, Gen.Const(0).Select(_ => Object(LayerKinds.GlobalAvgPool))),
        (2, Gen.Const(0).Select(_ => Object(LayerKinds.BatchNorm))),
        (2, Gen.Select(Gen.Int[0, 9], Gen.Bool).Select((tenths, whole) => Object(whole ? LayerKinds.Dropout2d : LayerKinds.Dropout, ("rate", tenths / 10.0)))),
        (3, Gen.Const(0).Select(_ => Object(LayerKinds.Flatten))),
        (3, Gen.Select(Gen.Int[1, 128], s_activations).Select((units, activation) => Object(LayerKinds.Dense, ("units", units), ("activation", activation)))),
        (2, Gen.OneOf(LayerKinds.Activations.ToArray()).Select(kind => Object(kind))));

    /// <summary>
    /// A layer list: one to six random layers, most often ending in flatten and a dense layer of the classes, with the
    /// input, classes, output and names given or left to their defaults.
    /// </summary>
    public static Gen<FuzzJson> LayerList { get; } = Gen.Select(
            Layer.Array[1, 6],
            Gen.Frequency((3, Gen.Const(true)), (1, Gen.Const(false))),
            Gen.Frequency((3, Gen.Const((int[]?)null)), (2, Gen.Select(Gen.Int[1, 3], Gen.Int[1, 40], Gen.Int[1, 40]).Select<(int, int, int), int[]?>(s => [s.Item1, s.Item2, s.Item3]))),
            Gen.Frequency((3, Gen.Const((int?)null)), (1, Gen.Int[1, 12].Select(c => (int?)c))),
            Gen.OneOf<string?>(null, null, null, NetworkSpec.Softmax, NetworkSpec.Sigmoid),
            s_names.Array[6])
        .Select((layers, tail, input, classes, output, names) =>
        {
            var list = new JsonArray();
            for (int i = 0; i < layers.Length; i++)
            {
                if (names[i] is not null)
                {
                    layers[i]["name"] = names[i];
                }
                list.Add(layers[i]);
            }
            int units = output == NetworkSpec.Sigmoid ? 1 : classes ?? 10;
            if (tail)
            {
                list.Add(Object(LayerKinds.Flatten));
                list.Add(Object(LayerKinds.Dense, ("units", units)));
            }
            var spec = new JsonObject { ["layers"] = list };
            if (input is not null)
            {
                spec["input"] = new JsonArray([.. input.Select(d => JsonValue.Create(d))]);
            }
            if (classes is not null)
            {
                spec["classes"] = classes;
            }
            if (output is not null)
            {
                spec["output"] = output;
            }
            return new FuzzJson($"{layers.Length} layers{(tail ? " + flatten, dense" : "")}", spec.ToJsonString());
        });

    [Fact]
    public void FromJson_GeneratedLayerLists_ReadBackExactly_AndBuildAsInferredOrNameTheProblem()
    {
        LayerList.Sample(list =>
        {
            NetworkSpec spec = NetworkSpec.FromJson(list.Json, "fuzz.json");

            Assert.Equal(spec.ToJson(), NetworkSpec.FromJson(spec.ToJson(), "again.json").ToJson());
            FuzzRun.Outcome(() => BuildAndRun(spec), typeof(InvalidDataException));
        }, iter: FuzzRun.Iterations(200), seed: FuzzRun.Seed("0N0XlSpecGen"), threads: 1);
    }

    [Fact]
    public void FromJson_MutatedLayerLists_ReadAndBuildOrRefuseWithInvalidData()
    {
        Gen<FuzzJson> inputs = Gen.Frequency(
            (8, LayerList.SelectMany(JsonMutations.Any)),
            (1, Gen.String[0, 80].Select(text => new FuzzJson("random text", text))),
            (1, Gen.OneOf(64, 65, 10_000).Select(depth => new FuzzJson($"{{\"layers\": arrays {depth} deep}}", "{\"layers\": " + JsonMutations.Nested(depth) + "}"))));
        inputs.Sample(input =>
        {
            string path = _dir.Write("fuzz.json", input.Json);
            NetworkSpec? spec = null;
            FuzzRun.Outcome(() => spec = NetworkSpec.FromJson(input.Json, path), typeof(InvalidDataException));
            // The registry reads the file and builds it, as `digits train --model net.json` does.
            FuzzRun.Outcome(() => ModelRegistry.Get(path), typeof(InvalidDataException));
            if (spec is not null)
            {
                FuzzRun.Outcome(() => NetworkBuilder.EnsureEndsInLogits(spec), typeof(InvalidDataException));
                FuzzRun.Outcome(() => BuildAndRun(spec), typeof(InvalidDataException));
            }
        }, iter: FuzzRun.Iterations(500), seed: FuzzRun.Seed("0N0XlSpecMut"), threads: 1);
    }

    /// <summary>Builds the network; when it builds, checks the limits and runs two zero images through it, which must come out as the builder said.</summary>
    private static void BuildAndRun(NetworkSpec spec)
    {
        (Sequential layers, IReadOnlyList<LayerInfo> infos) = NetworkBuilder.Build(spec);
        using (layers)
        {
            long parameters = layers.parameters().Sum(p => p.numel()) + layers.buffers().Sum(b => b.numel());
            Assert.InRange(parameters, 0, NetworkBuilder.MaxParameters);
            Assert.All(infos, info => Assert.InRange(info.OutputShape.Aggregate(1L, (a, b) => a * b), 1, NetworkBuilder.MaxValuesPerImage));
            Assert.Equal([spec.OutputUnits], infos[^1].OutputShape);
            // A forward pass costs by the values per image: run the small networks, which most are.
            if (infos.Max(info => info.OutputShape.Aggregate(1L, (a, b) => a * b)) > 1 << 20 || parameters > 1 << 22)
            {
                return;
            }
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            layers.eval();
            Tensor output = layers.call(zeros([2, .. spec.Input.Select(d => (long)d)]));
            Assert.Equal([2L, spec.OutputUnits], output.shape);
        }
    }

    private static JsonObject Object(string type, params (string Name, object? Value)[] fields)
    {
        var layer = new JsonObject { ["type"] = type };
        foreach ((string name, object? value) in fields)
        {
            switch (value)
            {
                case null:
                    break;
                case int number:
                    layer[name] = number;
                    break;
                case double number:
                    layer[name] = number;
                    break;
                default:
                    layer[name] = value.ToString();
                    break;
            }
        }
        return layer;
    }
}
