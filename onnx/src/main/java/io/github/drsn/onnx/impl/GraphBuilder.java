package io.github.drsn.onnx.impl;

import java.util.ArrayList;
import java.util.List;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;
import onnx.Onnx.TensorShapeProto;
import onnx.Onnx.TypeProto;
import onnx.Onnx.ValueInfoProto;

/**
 * Builds an ONNX {@link GraphProto} one standard operator at a time. Every method adds its node (and the
 * initializers it needs) and returns the name of the node's output, so blocks chain without string bookkeeping
 * (the graph-building style of Deeplearning4j's examples). Names are unique: a prefix and a counter.
 * Operators are used as defined in the default domain at opset {@link #OPSET}.
 */
public final class GraphBuilder {

  /** The default-domain opset the operators are used at. */
  public static final int OPSET = 13;

  private final GraphProto.Builder graph = GraphProto.newBuilder();
  private final List<String> scope = new ArrayList<>();
  private int counter;

  /** @param name the graph's name */
  public GraphBuilder(String name) {
    graph.setName(name);
  }

  /** Names the nodes added until {@link #pop()} with this prefix, e.g. "unit3". */
  public void push(String prefix) {
    scope.add(prefix);
  }

  /** Ends the innermost {@link #push} scope. */
  public void pop() {
    scope.remove(scope.size() - 1);
  }

  private String fresh(String what) {
    String prefix = scope.isEmpty() ? "" : String.join("/", scope) + "/";
    return prefix + what + "_" + counter++;
  }

  /** Declares a float32 graph input of the given dimensions (a String is a symbolic dimension). */
  public String input(String name, Object... dims) {
    graph.addInput(valueInfo(name, dims));
    return name;
  }

  /** Declares a float32 graph output; {@code value} is renamed to {@code name} through an Identity node. */
  public String output(String value, String name, Object... dims) {
    graph.addNode(NodeProto.newBuilder().setOpType("Identity").setName(name + "_identity").addInput(value)
        .addOutput(name));
    graph.addOutput(valueInfo(name, dims));
    return name;
  }

  /**
   * Declares a float32 graph output as {@link #output(String, String, Object...)} does, with {@code doc} as its
   * {@code doc_string} (what the output holds, for a consumer reading the model).
   */
  public String documentedOutput(String value, String name, String doc, Object... dims) {
    output(value, name, dims);
    int last = graph.getOutputCount() - 1;
    graph.setOutput(last, graph.getOutput(last).toBuilder().setDocString(doc));
    return name;
  }

  private static ValueInfoProto valueInfo(String name, Object... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (Object d : dims) {
      TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
      if (d instanceof String s) {
        dim.setDimParam(s);
      } else {
        dim.setDimValue(((Number) d).longValue());
      }
      shape.addDim(dim);
    }
    TypeProto.Tensor.Builder tensor = TypeProto.Tensor.newBuilder()
        .setElemType(TensorProto.DataType.FLOAT.getNumber()).setShape(shape);
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(tensor)).build();
  }

  /** A float32 constant (initializer) of the given shape, values in row-major order. */
  public String constant(String what, float[] values, long... shape) {
    long count = 1;
    for (long d : shape) {
      count *= d;
    }
    if (count != values.length) {
      throw new IllegalArgumentException(what + ": " + values.length + " values for shape " + java.util.Arrays.toString(shape));
    }
    String name = fresh(what);
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT.getNumber());
    for (long d : shape) {
      t.addDims(d);
    }
    for (float v : values) {
      t.addFloatData(v);
    }
    graph.addInitializer(t);
    return name;
  }

  /** An int64 constant of shape [values.length]. */
  public String ints(String what, long... values) {
    String name = fresh(what);
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64.getNumber())
        .addDims(values.length);
    for (long v : values) {
      t.addInt64Data(v);
    }
    graph.addInitializer(t);
    return name;
  }

  /** Adds a node of {@code op} with these inputs and attributes; returns its (single) output. */
  public String node(String op, List<AttributeProto> attributes, String... inputs) {
    String out = fresh(op.toLowerCase(java.util.Locale.ROOT));
    NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(out).addOutput(out);
    for (String in : inputs) {
      n.addInput(in);
    }
    n.addAllAttribute(attributes);
    graph.addNode(n);
    return out;
  }

  /** Adds a node of {@code op} without attributes. */
  public String node(String op, String... inputs) {
    return node(op, List.of(), inputs);
  }

  /** An INT attribute. */
  public static AttributeProto attr(String name, long value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
  }

  /** An INTS attribute. */
  public static AttributeProto attrs(String name, long... values) {
    AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long v : values) {
      a.addInts(v);
    }
    return a.build();
  }

  /** The graph built so far. */
  public GraphProto build() {
    return graph.build();
  }
}
