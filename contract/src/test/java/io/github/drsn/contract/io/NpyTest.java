package io.github.drsn.contract.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {

  @TempDir Path dir;

  @Test
  void headerBytesFollowTheSpecification() throws IOException {
    Path file = dir.resolve("a.npy");
    Npy.writeFloats(file, new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    byte[] bytes = Files.readAllBytes(file);

    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
    assertEquals(59, dict.length());
    // 10-byte prefix + 59 + padding + '\n' must be a multiple of 64: 10 + 59 + 58 + 1 = 128.
    int headerLength = 128 - 10;
    assertEquals(128 + 6 * 4, bytes.length);
    assertArrayEquals(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}, Arrays.copyOf(bytes, 8));
    assertEquals(headerLength, (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8);
    String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
    assertEquals(dict + " ".repeat(58) + "\n", header);
    ByteBuffer data = ByteBuffer.wrap(bytes, 128, 24).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(1f, data.getFloat());
    assertEquals(2f, data.getFloat());
    data.position(128 + 20);
    assertEquals(6f, data.getFloat());
  }

  @Test
  void oneDimensionalAndScalarShapesUsePythonTupleSyntax() {
    String oneD = new String(Npy.header(NpyArray.DType.FLOAT64, new int[] {5}), StandardCharsets.US_ASCII);
    assertTrue(oneD.contains("{'descr': '<f8', 'fortran_order': False, 'shape': (5,), }"), oneD);
    String scalar = new String(Npy.header(NpyArray.DType.FLOAT64, new int[] {}), StandardCharsets.US_ASCII);
    assertTrue(scalar.contains("'shape': (), }"), scalar);
    for (int[] shape : new int[][] {{}, {1}, {7, 2048}, {3, 1, 2048}, {123456789}}) {
      assertEquals(0, Npy.header(NpyArray.DType.FLOAT32, shape).length % 64, Arrays.toString(shape));
    }
  }

  @Test
  void roundTripsFloatAndDoubleArraysOfAnyShape() throws IOException {
    float[] f = {0f, -1.5f, Float.MIN_VALUE, Float.MAX_VALUE, 3.25f, -0f, 1e-20f, 7f};
    NpyArray floats = NpyArray.ofFloats(f, 2, 2, 2);
    Path ff = dir.resolve("f.npy");
    Npy.write(ff, floats);
    NpyArray back = Npy.read(ff);
    assertEquals(floats, back);
    assertArrayEquals(new int[] {2, 2, 2}, back.shape());
    assertEquals(NpyArray.DType.FLOAT32, back.dtype());

    double[][] rows = {{Math.PI, -Math.E, 1e-300}, {Double.MAX_VALUE, 0.1, -0.0}};
    Path fd = dir.resolve("d.npy");
    Npy.write(fd, NpyArray.ofDoubleRows(rows));
    NpyArray d = Npy.read(fd);
    assertEquals(NpyArray.DType.FLOAT64, d.dtype());
    assertArrayEquals(rows, d.toDoubleRows());

    Path scalar = dir.resolve("s.npy");
    Npy.writeDoubles(scalar, new double[] {42.5});
    assertEquals(42.5, Npy.read(scalar).toDoubleArray()[0]);
    assertEquals(0, Npy.read(scalar).shape().length);

    Path empty = dir.resolve("e.npy");
    Npy.writeFloats(empty, new float[0], 0, 3);
    assertArrayEquals(new int[] {0, 3}, Npy.read(empty).shape());
  }

  @Test
  void readsBigEndianAndFilesWithExtraHeaderSpaceAsNumpyWrites() throws IOException {
    // NumPy >= 1.24 adds spare spaces before the padding; and '>f8' data are big-endian.
    String dict = "{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }" + " ".repeat(20);
    Path file = dir.resolve("be.npy");
    Files.write(file, npy(1, dict, ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN).putDouble(1.25).putDouble(-8).array()));
    assertArrayEquals(new double[] {1.25, -8}, Npy.read(file).toDoubleArray());
  }

  @Test
  void readsVersionTwoHeaders() throws IOException {
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }";
    Path file = dir.resolve("v2.npy");
    Files.write(file, npy(2, dict, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(9f).array()));
    assertArrayEquals(new float[] {9f}, Npy.read(file).toFloatArray());
  }

  @Test
  void rejectsFortranOrder() throws IOException {
    Path file = dir.resolve("fortran.npy");
    Files.write(file, npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", new byte[16]));
    FileFormatException e = assertThrows(FileFormatException.class, () -> Npy.read(file));
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("fortran_order=True"), e.getMessage());
  }

  @Test
  void rejectsUnsupportedDtypes() throws IOException {
    for (String descr : new String[] {"<i4", "<f2", "|u1", "<c16"}) {
      Path file = dir.resolve("dtype.npy");
      Files.write(file, npy(1, "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (2,), }", new byte[8]));
      FileFormatException e = assertThrows(FileFormatException.class, () -> Npy.read(file));
      assertTrue(e.getMessage().contains("unsupported dtype '" + descr + "'"), e.getMessage());
    }
    Path structured = dir.resolve("structured.npy");
    Files.write(structured, npy(1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", new byte[4]));
    assertThrows(FileFormatException.class, () -> Npy.read(structured));
  }

  @Test
  void rejectsTruncatedAndOversizedData() throws IOException {
    Path good = dir.resolve("good.npy");
    Npy.writeDoubles(good, new double[] {1, 2, 3, 4, 5, 6}, 3, 2);
    byte[] bytes = Files.readAllBytes(good);

    Path truncated = dir.resolve("truncated.npy");
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 3));
    FileFormatException e = assertThrows(FileFormatException.class, () -> Npy.read(truncated));
    assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("48 data bytes")
        && e.getMessage().contains("45"), e.getMessage());
    assertTrue(e.getMessage().contains("truncated.npy"), e.getMessage());

    Path longer = dir.resolve("longer.npy");
    Files.write(longer, Arrays.copyOf(bytes, bytes.length + 8));
    e = assertThrows(FileFormatException.class, () -> Npy.read(longer));
    assertTrue(e.getMessage().contains("8 unexpected bytes"), e.getMessage());

    Path headerCut = dir.resolve("headercut.npy");
    Files.write(headerCut, Arrays.copyOf(bytes, 40));
    e = assertThrows(FileFormatException.class, () -> Npy.read(headerCut));
    assertTrue(e.getMessage().contains("ends inside the header"), e.getMessage());
  }

  @Test
  void rejectsNonNpyFilesAndMalformedHeaders() throws IOException {
    Path text = dir.resolve("not.npy");
    Files.writeString(text, "time,value\n0,1\n");
    FileFormatException e = assertThrows(FileFormatException.class, () -> Npy.read(text));
    assertTrue(e.getMessage().contains("not a NumPy .npy file"), e.getMessage());

    Path missingKey = dir.resolve("missing.npy");
    Files.write(missingKey, npy(1, "{'descr': '<f4', 'shape': (1,), }", new byte[4]));
    e = assertThrows(FileFormatException.class, () -> Npy.read(missingKey));
    assertTrue(e.getMessage().contains("header keys"), e.getMessage());

    Path badShape = dir.resolve("badshape.npy");
    Files.write(badShape, npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }", new byte[8]));
    assertThrows(FileFormatException.class, () -> Npy.read(badShape));

    Path version = dir.resolve("v9.npy");
    byte[] v9 = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", new byte[4]);
    v9[6] = 9;
    Files.write(version, v9);
    e = assertThrows(FileFormatException.class, () -> Npy.read(version));
    assertTrue(e.getMessage().contains("version 9.0"), e.getMessage());
  }

  @Test
  void rejectsShapeDataMismatchOnConstruction() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NpyArray.ofFloats(new float[5], 2, 3));
    assertTrue(e.getMessage().contains("holds 6 elements but the data has 5"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> NpyArray.ofDoubles(new double[0], -1));
    assertThrows(IllegalArgumentException.class, () -> NpyArray.ofDoubleRows(new double[][] {{1, 2}, {3}}));
  }

  /** A .npy file with a hand-written header dict, padded to 64 bytes, and raw data bytes. */
  private static byte[] npy(int major, String dict, byte[] data) {
    int prefix = major == 1 ? 10 : 12;
    int unpadded = prefix + dict.length() + 1;
    String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
    ByteBuffer b = ByteBuffer.allocate(prefix + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
    if (major == 1) {
      b.putShort((short) header.length());
    } else {
      b.putInt(header.length());
    }
    b.put(header.getBytes(StandardCharsets.US_ASCII)).put(data);
    return b.array();
  }

  @Test
  void streamsWriteAndReadTheSameBytesAsFiles() throws IOException {
    Path file = dir.resolve("s.npy");
    NpyArray array = NpyArray.ofFloats(new float[] {0.5f, -1.25f, 3f, Float.MIN_VALUE}, 2, 2);
    Npy.write(file, array);
    java.io.ByteArrayOutputStream stream = new java.io.ByteArrayOutputStream();
    Npy.write(stream, array);
    assertArrayEquals(Files.readAllBytes(file), stream.toByteArray());

    NpyArray back = Npy.read(stream.toByteArray(), Path.of("bundle.zip!/parameters.npy"));
    assertArrayEquals(new int[] {2, 2}, back.shape());
    assertArrayEquals(array.toFloatArray(), back.toFloatArray());

    byte[] truncated = Arrays.copyOf(stream.toByteArray(), stream.size() - 3);
    FileFormatException e = assertThrows(FileFormatException.class,
        () -> Npy.read(truncated, Path.of("bundle.zip!/parameters.npy")));
    assertTrue(e.getMessage().contains("bundle.zip!/parameters.npy"), e.getMessage());
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }
}
