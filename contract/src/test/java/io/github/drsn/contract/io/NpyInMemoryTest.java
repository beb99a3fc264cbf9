package io.github.drsn.contract.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Npy's in-memory header and conversions, which decode straight from the bytes. */
class NpyInMemoryTest {

  private static byte[] bytes(NpyArray a) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Npy.write(out, a);
    return out.toByteArray();
  }

  @Test
  void headerAndConversionsAgreeWithTheArray() throws Exception {
    float[] f = {1.5f, -2.25f, 3.4e38f, 0f, 7f, -1e-40f};
    byte[] npy = bytes(NpyArray.ofFloats(f, 2, 3));
    Npy.Header h = Npy.header(npy, Path.of("x.npy"));
    assertEquals(NpyArray.DType.FLOAT32, h.dtype());
    assertArrayEquals(new int[] {2, 3}, h.shape());
    assertEquals(6, h.count());
    assertEquals(ByteOrder.LITTLE_ENDIAN, h.order());
    assertEquals("<f4", h.descr());
    assertArrayEquals(f, Npy.readFloats(npy, Path.of("x.npy")));
    double[] d = Npy.readDoubles(npy, Path.of("x.npy"));
    for (int i = 0; i < f.length; i++) {
      assertEquals((double) f[i], d[i]);
    }
    assertEquals(NpyArray.ofFloats(f, 2, 3), Npy.read(npy, Path.of("x.npy")));

    double[] wide = {1e39, 0.1, -3};
    byte[] npy8 = bytes(NpyArray.ofDoubles(wide, 3));
    assertArrayEquals(wide, Npy.readDoubles(npy8, Path.of("y.npy")));
    assertArrayEquals(new float[] {Float.POSITIVE_INFINITY, 0.1f, -3f}, Npy.readFloats(npy8, Path.of("y.npy")));
    assertEquals(NpyArray.ofDoubles(wide, 3), Npy.read(npy8, Path.of("y.npy")));
  }

  @Test
  void aTruncatedEntryIsRefusedBeforeAnythingIsDecoded() throws Exception {
    byte[] npy = bytes(NpyArray.ofFloats(new float[] {1, 2, 3}, 3));
    byte[] cut = java.util.Arrays.copyOf(npy, npy.length - 1);
    assertThrows(FileFormatException.class, () -> Npy.header(cut, Path.of("c.npy")));
    assertThrows(FileFormatException.class, () -> Npy.readDoubles(cut, Path.of("c.npy")));
  }
}
