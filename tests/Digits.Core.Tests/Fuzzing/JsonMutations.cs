using System.Text.Json.Nodes;
using CsCheck;

namespace Digits.Core.Tests.Fuzzing;

/// <summary>One fuzz input as JSON text, with how it was made.</summary>
/// <param name="How">The recipe, e.g. "layer list of 3; $.layers[1].filters = -1".</param>
/// <param name="Json">The text, which after a mutation may not be JSON at all.</param>
public sealed record FuzzJson(string How, string Json)
{
    /// <summary>This text changed by one more step.</summary>
    public FuzzJson Then(string how, string json) => new($"{How}; {how}", json);

    /// <inheritdoc />
    public override string ToString() => $"{How}: {(Json.Length <= 600 ? Json : string.Concat(Json.AsSpan(0, 600), $"... ({Json.Length} characters)"))}";
}

/// <summary>
/// Changes to well-formed JSON that edited or hostile files show: a value anywhere replaced by one of the wrong type,
/// a huge or special number, null, or deeply nested arrays; a property removed, renamed or added; an array element
/// dropped or doubled; the text cut short or with characters changed.
/// </summary>
public static class JsonMutations
{
    private const string Placeholder = "__digits_fuzz_placeholder__";

    /// <summary>
    /// Raw JSON values to put anywhere: every type, the int and long limits and one past them, numbers no double holds,
    /// the special values as strings (which the web defaults read into floating-point fields), and nesting far beyond
    /// the reader's depth limit.
    /// </summary>
    public static Gen<string> StrangeValues { get; } = Gen.Frequency(
        (8, Gen.OneOf(
            "null", "true", "false", "0", "-1", "1.5", "-0", "2147483647", "2147483648", "-2147483649", "9223372036854775808",
            "1e308", "1e309", "-1e309", "1e-400", "100000", "1e10", "\"\"", "\"text\"", "\"12\"", "\"NaN\"", "\"Infinity\"",
            "\"-Infinity\"", "\"1e309\"", "[]", "{}", "[null]", "[1, 2, 3]", "{\"type\": \"dense\"}", "\"\\u0000\"")),
        (1, Gen.OneOf(65, 200, 10_000).Select(depth => Nested(depth))),
        (1, Gen.Int[1, 3].Select(k => "\"" + new string('x', k * 40_000) + "\"")));

    /// <summary>Arrays nested <paramref name="depth"/> deep: <c>[[[...]]]</c>.</summary>
    public static string Nested(int depth) => new string('[', depth) + new string(']', depth);

    /// <summary>One to three mutations of <paramref name="input"/>, one after the other.</summary>
    public static Gen<FuzzJson> Any(FuzzJson input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Gen.Int[1, 3].SelectMany(count => Chain(input, count));
    }

    /// <summary>One mutation: structural while the text is still JSON, textual after.</summary>
    public static Gen<FuzzJson> One(FuzzJson input)
    {
        ArgumentNullException.ThrowIfNull(input);
        JsonNode? root = Parse(input.Json);
        if (root is null)
        {
            return Textual(input);
        }
        List<Slot> slots = Slots(root);
        Gen<int> slot = Gen.Int[0, slots.Count - 1];
        return Gen.Frequency(
            (6, Gen.Select(slot, StrangeValues).Select((at, value) => input.Then($"{slots[at].Path} = {Shorten(value)}", Replace(root, at, value)))),
            (2, slot.Select(at => input.Then($"{slots[at].Path} removed", Remove(root, at)))),
            (1, Gen.Select(slot, Gen.OneOf("extra", "Type", "LAYERS", "filters ", ""), StrangeValues).Select((at, name, value) =>
                input.Then($"{slots[at].Path} gets \"{name}\" = {Shorten(value)}", AddProperty(root, at, name, value)))),
            (1, slot.Select(at => input.Then($"{slots[at].Path} doubled", Double(root, at)))),
            (1, Textual(input)));
    }

    /// <summary>The text cut short, a character changed, or random characters inserted.</summary>
    public static Gen<FuzzJson> Textual(FuzzJson input)
    {
        ArgumentNullException.ThrowIfNull(input);
        string text = input.Json;
        if (text.Length == 0)
        {
            return Gen.Const(input.Then("left empty", text));
        }
        return Gen.Frequency(
            (2, Gen.Int[0, text.Length - 1].Select(kept => input.Then($"cut to {kept} characters", text[..kept]))),
            (2, Gen.Select(Gen.Int[0, text.Length - 1], Gen.Char["{}[]\":,0123456789eE.+-nul\\ \u0000\u00e9\uffff"]).Select((at, c) =>
                input.Then($"character {at} is now U+{(int)c:X4}", string.Concat(text.AsSpan(0, at), c.ToString(), text.AsSpan(at + 1))))),
            (1, Gen.Select(Gen.Int[0, text.Length], Gen.String[1, 8]).Select((at, inserted) =>
                input.Then($"\"{inserted}\" inserted at {at}", text.Insert(at, inserted)))));
    }

    /// <summary>A value's place in the tree: its parent and its name or index there (no parent for the root), and its path for people.</summary>
    private readonly record struct Slot(JsonNode? Parent, string? Name, int Index, string Path);

    /// <summary>Every value of the tree, nulls included, in document order; the same tree always gives the same order.</summary>
    private static List<Slot> Slots(JsonNode root)
    {
        var slots = new List<Slot> { new(null, null, -1, "$") };
        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach ((string name, JsonNode? value) in o)
                    {
                        slots.Add(new Slot(o, name, -1, $"{o.GetPath()}.{name}"));
                        Walk(value);
                    }
                    break;
                case JsonArray a:
                    for (int i = 0; i < a.Count; i++)
                    {
                        slots.Add(new Slot(a, null, i, $"{a.GetPath()}[{i}]"));
                        Walk(a[i]);
                    }
                    break;
                default:
                    break;
            }
        }
        Walk(root);
        return slots;
    }

    /// <summary>A copy of the tree and the same slot in it.</summary>
    private static (JsonNode Copy, Slot Slot) InCopy(JsonNode root, int at)
    {
        JsonNode copy = root.DeepClone();
        return (copy, Slots(copy)[at]);
    }

    /// <summary>The text with the value in slot <paramref name="at"/> replaced by the raw text <paramref name="rawValue"/>.</summary>
    private static string Replace(JsonNode root, int at, string rawValue)
    {
        (JsonNode copy, Slot slot) = InCopy(root, at);
        if (slot.Parent is null)
        {
            return rawValue;
        }
        Put(slot, JsonValue.Create(Placeholder));
        return Fill(copy, rawValue);
    }

    private static string Remove(JsonNode root, int at)
    {
        (JsonNode copy, Slot slot) = InCopy(root, at);
        switch (slot.Parent)
        {
            case null:
                return "";
            case JsonObject o:
                o.Remove(slot.Name!);
                break;
            default:
                slot.Parent.AsArray().RemoveAt(slot.Index);
                break;
        }
        return copy.ToJsonString();
    }

    /// <summary>A property added to the object in slot <paramref name="at"/> (or its parent object, when the slot holds no object).</summary>
    private static string AddProperty(JsonNode root, int at, string name, string rawValue)
    {
        (JsonNode copy, Slot slot) = InCopy(root, at);
        JsonNode? value = slot.Parent is null ? copy : slot.Name is null ? slot.Parent[slot.Index] : slot.Parent[slot.Name];
        JsonObject? target = value as JsonObject ?? slot.Parent as JsonObject;
        if (target is null || target.ContainsKey(name))
        {
            return copy.ToJsonString();
        }
        target[name] = JsonValue.Create(Placeholder);
        return Fill(copy, rawValue);
    }

    /// <summary>An array element written twice, or an object's property written again under the same name.</summary>
    private static string Double(JsonNode root, int at)
    {
        (JsonNode copy, Slot slot) = InCopy(root, at);
        switch (slot.Parent)
        {
            case null:
                return "[" + copy.ToJsonString() + "," + copy.ToJsonString() + "]";
            case JsonArray array:
                array.Insert(slot.Index, array[slot.Index]?.DeepClone());
                return copy.ToJsonString();
            default:
                // JsonObject refuses duplicate names, so the duplicate is written as text: {"a": 1, "a": 1, ...}.
                string value = slot.Parent[slot.Name!]?.ToJsonString() ?? "null";
                Put(slot, JsonValue.Create(Placeholder));
                return Fill(copy, value + "," + System.Text.Json.JsonSerializer.Serialize(slot.Name) + ":" + value);
        }
    }

    private static void Put(Slot slot, JsonNode value)
    {
        if (slot.Name is not null)
        {
            slot.Parent!.AsObject()[slot.Name] = value;
        }
        else
        {
            slot.Parent!.AsArray()[slot.Index] = value;
        }
    }

    private static string Fill(JsonNode copy, string rawValue) =>
        copy.ToJsonString().Replace("\"" + Placeholder + "\"", rawValue, StringComparison.Ordinal);

    private static JsonNode? Parse(string json)
    {
        try
        {
            JsonNode? root = JsonNode.Parse(json, documentOptions: new System.Text.Json.JsonDocumentOptions { MaxDepth = 256 });
            // Objects are read lazily; reading them all now finds duplicate names, which JsonObject refuses.
            return root is null || Slots(root).Count == 0 ? null : root;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : $"{value[..20]}... ({value.Length} characters)";

    private static Gen<FuzzJson> Chain(FuzzJson input, int count) =>
        count == 0 ? Gen.Const(input) : One(input).SelectMany(next => Chain(next, count - 1));
}
