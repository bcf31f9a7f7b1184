namespace Digits.Onnx;

/// <summary>How much ONNX Runtime rewrites the graph when it loads it (its graph optimisation levels).</summary>
public enum OnnxOptimization
{
    /// <summary>The graph runs as exported.</summary>
    Disabled,

    /// <summary>Semantics-preserving rewrites such as constant folding and removing redundant nodes.</summary>
    Basic,

    /// <summary>Basic, plus fusions of node groups into ONNX Runtime's own operators (e.g. GELU).</summary>
    Extended,

    /// <summary>Everything, layout changes included (NCHWc convolutions on the CPU).</summary>
    All,
}
