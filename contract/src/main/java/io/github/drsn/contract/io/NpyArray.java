package io.github.drsn.contract.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * An n-dimensional float32 or float64 array in C (row-major) order, the unit of a NumPy {@code .npy} file.
 * Element {@code [i0, i1, ..., ik]} is at flat index {@code ((i0·d1 + i1)·d2 + ...)·dk + ik}. A shape of
 * length 0 is a scalar holding one element. Immutable: factories and accessors copy.
 */
public final class NpyArray {

  /** Element type, with its NumPy type string for little-endian storage. */
  public enum DType {
    /** IEEE 754 binary32, NumPy {@code '<f4'}. */
    FLOAT32("<f4", 4),
    /** IEEE 754 binary64, NumPy {@code '<f8'}. */
    FLOAT64("<f8", 8);

    private final String descr;
    private final int bytes;

    DType(String descr, int bytes) {
      this.descr = descr;
      this.bytes = bytes;
    }

    /** The NumPy {@code descr} written to files, e.g. {@code <f4}. */
    public String descr() {
      return descr;
    }

    /** Bytes per element. */
    public int bytes() {
      return bytes;
    }
  }

  private final DType dtype;
  private final int[] shape;
  private final float[] floats;
  private final double[] doubles;

  private NpyArray(DType dtype, int[] shape, float[] floats, double[] doubles) {
    this.dtype = dtype;
    this.shape = shape;
    this.floats = floats;
    this.doubles = doubles;
  }

  /** A float32 array of the given shape over a copy of {@code data} (C order). */
  public static NpyArray ofFloats(float[] data, int... shape) {
    checkSize(data.length, shape);
    return new NpyArray(DType.FLOAT32, shape.clone(), data.clone(), null);
  }

  /** A float64 array of the given shape over a copy of {@code data} (C order). */
  public static NpyArray ofDoubles(double[] data, int... shape) {
    checkSize(data.length, shape);
    return new NpyArray(DType.FLOAT64, shape.clone(), null, data.clone());
  }

  /** An array over {@code floats} or {@code doubles} as they are, for a reader that just created them (no copy). */
  static NpyArray adopt(DType dtype, int[] shape, float[] floats, double[] doubles) {
    return new NpyArray(dtype, shape.clone(), floats, doubles);
  }

  /** A float32 matrix of shape (rows, columns); every row must have the same length. */
  public static NpyArray ofFloatRows(float[][] rows) {
    int columns = commonLength(rows.length, i -> rows[i].length);
    float[] flat = new float[Math.multiplyExact(rows.length, columns)];
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(rows[r], 0, flat, r * columns, columns);
    }
    return new NpyArray(DType.FLOAT32, new int[] {rows.length, columns}, flat, null);
  }

  /** A float64 matrix of shape (rows, columns); every row must have the same length. */
  public static NpyArray ofDoubleRows(double[][] rows) {
    int columns = commonLength(rows.length, i -> rows[i].length);
    double[] flat = new double[Math.multiplyExact(rows.length, columns)];
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(rows[r], 0, flat, r * columns, columns);
    }
    return new NpyArray(DType.FLOAT64, new int[] {rows.length, columns}, null, flat);
  }

  public DType dtype() {
    return dtype;
  }

  /** A copy of the shape. */
  public int[] shape() {
    return shape.clone();
  }

  /** Number of elements, the product of the shape (1 for a scalar). */
  public int size() {
    return dtype == DType.FLOAT32 ? floats.length : doubles.length;
  }

  /** The elements in C order as float32 (float64 data is rounded to nearest float). */
  public float[] toFloatArray() {
    if (floats != null) {
      return floats.clone();
    }
    float[] out = new float[doubles.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) doubles[i];
    }
    return out;
  }

  /** The elements in C order as float64 (float32 data widens exactly). */
  public double[] toDoubleArray() {
    if (doubles != null) {
      return doubles.clone();
    }
    double[] out = new double[floats.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = floats[i];
    }
    return out;
  }

  /** The rows of a 2-D array as float64. @throws IllegalStateException if the array is not 2-D */
  public double[][] toDoubleRows() {
    if (shape.length != 2) {
      throw new IllegalStateException("array has shape " + Arrays.toString(shape) + ", not 2-D");
    }
    double[] flat = toDoubleArray();
    double[][] rows = new double[shape[0]][];
    for (int r = 0; r < shape[0]; r++) {
      rows[r] = Arrays.copyOfRange(flat, r * shape[1], (r + 1) * shape[1]);
    }
    return rows;
  }

  private static void checkSize(int length, int[] shape) {
    Objects.requireNonNull(shape, "shape");
    long expected = elementCount(shape);
    if (expected != length) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + expected
          + " elements but the data has " + length);
    }
  }

  /**
   * Product of the dimensions.
   *
   * @throws IllegalArgumentException if a dimension is negative or the product exceeds a Java array
   */
  static long elementCount(int[] shape) {
    long n = 1;
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] < 0) {
        throw new IllegalArgumentException("dimension " + i + " of shape " + Arrays.toString(shape)
            + " is negative");
      }
      n *= shape[i];
      if (n > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("shape " + Arrays.toString(shape)
            + " has more elements than a Java array can hold");
      }
    }
    return n;
  }

  private static int commonLength(int count, java.util.function.IntUnaryOperator lengthOf) {
    if (count == 0) {
      throw new IllegalArgumentException("rows must not be empty (the column count would be unknown)");
    }
    int columns = lengthOf.applyAsInt(0);
    for (int r = 1; r < count; r++) {
      if (lengthOf.applyAsInt(r) != columns) {
        throw new IllegalArgumentException("row " + r + " has " + lengthOf.applyAsInt(r)
            + " elements, row 0 has " + columns);
      }
    }
    return columns;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NpyArray other
        && dtype == other.dtype
        && Arrays.equals(shape, other.shape)
        && Arrays.equals(floats, other.floats)
        && Arrays.equals(doubles, other.doubles);
  }

  @Override
  public int hashCode() {
    return Objects.hash(dtype, Arrays.hashCode(shape), Arrays.hashCode(floats), Arrays.hashCode(doubles));
  }

  @Override
  public String toString() {
    return "NpyArray[" + dtype.descr() + ", shape=" + Arrays.toString(shape) + "]";
  }
}
