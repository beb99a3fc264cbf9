package io.github.drsn.datasets.mat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.datasets.OperatingCondition;
import io.github.drsn.datasets.Recording;
import io.github.drsn.datasets.RecordingLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.format.Mat5File;
import us.hebi.matlab.mat.types.Matrix;
import us.hebi.matlab.mat.types.MatlabType;
import us.hebi.matlab.mat.types.Sink;
import us.hebi.matlab.mat.types.Sinks;
import us.hebi.matlab.mat.types.Struct;

class MatContentsTest {

  @TempDir
  Path dir;

  private static double[] ramp(int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = Math.sin(0.01 * i) * 3.5 + i * 1e-4;
    }
    return x;
  }

  private static Matrix column(double[] values) {
    Matrix m = Mat5.newMatrix(values.length, 1);
    for (int i = 0; i < values.length; i++) {
      m.setDouble(i, values[i]);
    }
    return m;
  }

  /** Writes a MAT v5 file with MFL; deflate level 0 gives an uncompressed (-v6 style) file. */
  private Path write(String name, int deflateLevel, Mat5File mat) throws IOException {
    Path file = dir.resolve(name);
    try (Sink sink = Sinks.newStreamingFile(file.toFile())) {
      Mat5.newWriter(sink).setDeflateLevel(deflateLevel).writeMat(mat);
    }
    return file;
  }

  @Test
  void compressedAndUncompressedFilesRoundTripVectorsAndScalars() throws IOException {
    double[] signal = ramp(5000);
    for (int level : new int[] {0, Deflater.BEST_COMPRESSION}) {
      Mat5File mat = Mat5.newMatFile();
      mat.addArray("X042_DE_time", column(signal));
      mat.addArray("X042RPM", Mat5.newScalar(1772));
      Path file = write("level" + level + ".mat", level, mat);

      MatContents read = MatContents.read(file);
      assertEquals(level > 0, read.compressed(), "compression flag for deflate level " + level);
      assertArrayEquals(signal, read.vector("X042_DE_time"), 0.0);
      assertEquals(1772.0, read.scalar("X042RPM"));
      assertEquals("X042_DE_time", read.requireSingleMatch(Pattern.compile("X\\d+_DE_time")));
      assertTrue(read.description().startsWith("MATLAB 5.0 MAT-file"));
    }
    long uncompressed = Files.size(dir.resolve("level0.mat"));
    long compressed = Files.size(dir.resolve("level9.mat"));
    assertTrue(compressed < uncompressed, "compressed " + compressed + " vs uncompressed " + uncompressed);
  }

  @Test
  void structFieldsNestedAndNonDoubleClassesAreRead() throws IOException {
    double[] accX = ramp(1000);
    Matrix int16 = Mat5.newMatrix(4, 1, MatlabType.Int16);
    for (int i = 0; i < 4; i++) {
      int16.setShort(i, (short) (i * 1000 - 1500));
    }
    Struct meta = Mat5.newStruct();
    meta.set("fs", Mat5.newScalar(25600));
    meta.set("load", Mat5.newScalar(0.5));
    Struct run = Mat5.newStruct();
    run.set("acc_x", column(accX));
    run.set("counts", int16);
    run.set("meta", meta);
    run.set("operator", Mat5.newString("bench 3"));
    Mat5File mat = Mat5.newMatFile();
    mat.addArray("run", run);
    Path file = write("struct.mat", Deflater.DEFAULT_COMPRESSION, mat);

    MatContents read = MatContents.read(file);
    assertEquals(List.of("run.acc_x", "run.counts", "run.meta.fs", "run.meta.load"), read.numericVariables());
    assertArrayEquals(accX, read.vector("run.acc_x"), 0.0);
    assertArrayEquals(new double[] {-1500, -500, 500, 1500}, read.vector("run.counts"), 0.0);
    assertEquals(25600.0, read.scalar("run.meta.fs"));
    assertEquals(0.5, read.scalar("run.meta.load"));
    assertTrue(read.otherVariables().containsKey("run.operator"), read.otherVariables().toString());

    Recording r = MatRecordings.load(file, List.of(Pattern.compile("run\\.acc_x")), "inner",
        read.scalar("run.meta.fs"), new OperatingCondition(0.5, 1500));
    assertEquals(25600.0, r.samplingRate());
    assertArrayEquals(accX, r.channel(0), 0.0);
    assertEquals("struct", r.id());
    assertEquals(64, r.source().orElseThrow().sha256().length());
  }

  @Test
  void matrixColumnsBecomeChannels() throws IOException {
    Matrix twoChannels = Mat5.newMatrix(300, 2);
    for (int i = 0; i < 300; i++) {
      twoChannels.setDouble(i, 0, i);
      twoChannels.setDouble(i, 1, -i);
    }
    Mat5File mat = Mat5.newMatFile();
    mat.addArray("data", twoChannels);
    Path file = write("matrix.mat", 0, mat);
    Recording r = MatRecordings.load(file, List.of(Pattern.compile("data")), "healthy", 1000,
        OperatingCondition.UNKNOWN);
    assertEquals(2, r.channelCount());
    assertEquals(299.0, r.channel(0)[299]);
    assertEquals(-299.0, r.channel(1)[299]);
  }

  @Test
  void aMatrixOfChannelsInRowsIsRefusedNotReadAsThousandsOfTwoSampleChannels() throws IOException {
    // MATLAB users often keep C channels as a C x N matrix; read column by column it would be N "channels" of C
    // samples, and the data set would fail later on channel counts that name no recording.
    Matrix rows = Mat5.newMatrix(2, 3000);
    for (int i = 0; i < 3000; i++) {
      rows.setDouble(0, i, i);
      rows.setDouble(1, i, -i);
    }
    Mat5File mat = Mat5.newMatFile();
    mat.addArray("data", rows);
    Path file = write("rows.mat", 0, mat);
    RecordingLoadException e = assertThrows(RecordingLoadException.class,
        () -> MatRecordings.load(file, List.of(Pattern.compile("data")), "healthy", 1000, OperatingCondition.UNKNOWN));
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("variable data is 2x3000, more channels (columns) than samples (rows);"
        + " expected samples x channels"), e.getMessage());
  }

  @Test
  void aChannelThatIsComplexOrTextIsNamedWithItsKindNotReportedMissing() throws IOException {
    Matrix complex = Mat5.newComplex(500, 1);
    for (int i = 0; i < 500; i++) {
      complex.setDouble(i, Math.sin(0.1 * i));
      complex.setImaginaryDouble(i, Math.cos(0.1 * i));
    }
    Mat5File mat = Mat5.newMatFile();
    mat.addArray("acc", complex);
    mat.addArray("label", Mat5.newString("inner race"));
    Path file = write("complex.mat", 0, mat);
    RecordingLoadException e = assertThrows(RecordingLoadException.class,
        () -> MatRecordings.load(file, List.of(Pattern.compile("acc")), "inner", 1000, OperatingCondition.UNKNOWN));
    assertTrue(e.getMessage().contains("acc is a complex matrix 500x1; expected a real numeric vector or matrix"),
        e.getMessage());
    RecordingLoadException text = assertThrows(RecordingLoadException.class,
        () -> MatRecordings.load(file, List.of(Pattern.compile("lab.*")), "inner", 1000, OperatingCondition.UNKNOWN));
    assertTrue(text.getMessage().contains("label is a "), text.getMessage());
  }

  @Test
  void truncatedFilesGiveTheDocumentedError() throws IOException {
    Mat5File mat = Mat5.newMatFile();
    mat.addArray("X042_DE_time", column(ramp(20000)));
    for (int level : new int[] {0, Deflater.BEST_SPEED}) {
      Path whole = write("whole" + level + ".mat", level, mat);
      byte[] bytes = Files.readAllBytes(whole);
      for (int keep : new int[] {40, bytes.length / 2, bytes.length - 8}) {
        Path cut = dir.resolve("cut" + level + "_" + keep + ".mat");
        Files.write(cut, Arrays.copyOf(bytes, keep));
        RecordingLoadException e = assertThrows(RecordingLoadException.class, () -> MatContents.read(cut));
        assertEquals(cut, e.file());
        assertTrue(e.getMessage().startsWith(cut.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), "level " + level + " keep " + keep + ": " + e.getMessage());
      }
    }
  }

  @Test
  void missingFileWrongFormatAndMissingVariableNameTheFile() throws IOException {
    Path missing = dir.resolve("nope.mat");
    RecordingLoadException e1 = assertThrows(RecordingLoadException.class, () -> MatContents.read(missing));
    assertTrue(e1.getMessage().contains("does not exist"), e1.getMessage());

    Path text = dir.resolve("text.mat");
    Files.writeString(text, "x".repeat(300));
    RecordingLoadException e2 = assertThrows(RecordingLoadException.class, () -> MatContents.read(text));
    assertTrue(e2.getMessage().contains("not a MATLAB v5 MAT-file"), e2.getMessage());

    Path hdf5 = dir.resolve("v73.mat");
    Files.writeString(hdf5, "MATLAB 7.3 MAT-file, Platform: GLNXA64" + " ".repeat(200));
    RecordingLoadException e3 = assertThrows(RecordingLoadException.class, () -> MatContents.read(hdf5));
    assertTrue(e3.getMessage().contains("7.3"), e3.getMessage());

    Mat5File mat = Mat5.newMatFile();
    mat.addArray("X042_FE_time", column(ramp(100)));
    Path file = write("fe-only.mat", 0, mat);
    RecordingLoadException e4 = assertThrows(RecordingLoadException.class,
        () -> MatRecordings.load(file, List.of(Pattern.compile("X\\d+_DE_time")), "b", 12000,
            OperatingCondition.UNKNOWN));
    assertTrue(e4.getMessage().startsWith(file.toString()), e4.getMessage());
    assertTrue(e4.getMessage().contains("X\\d+_DE_time") && e4.getMessage().contains("X042_FE_time"),
        e4.getMessage());
  }

  @Test
  void nonFiniteSamplesAreRejectedWithTheirIndex() throws IOException {
    double[] x = ramp(100);
    x[37] = Double.NaN;
    Mat5File mat = Mat5.newMatFile();
    mat.addArray("sig", column(x));
    Path file = write("nan.mat", 0, mat);
    RecordingLoadException e = assertThrows(RecordingLoadException.class,
        () -> MatRecordings.load(file, List.of(Pattern.compile("sig")), "b", 12000, OperatingCondition.UNKNOWN));
    assertTrue(e.getMessage().contains("NaN at sample 37"), e.getMessage());
    assertFalse(e.getMessage().isBlank());
  }

  /** A 128-byte little-endian level-5 header followed by {@code body}. */
  private Path handMade(String name, byte[] body, byte versionLow, byte versionHigh) throws IOException {
    byte[] header = new byte[MatContents.HEADER_BYTES];
    byte[] text = "MATLAB 5.0 MAT-file, hand-made".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    Arrays.fill(header, 0, 116, (byte) ' ');
    System.arraycopy(text, 0, header, 0, text.length);
    header[124] = versionLow;
    header[125] = versionHigh;
    header[126] = 'I';
    header[127] = 'M';
    byte[] all = Arrays.copyOf(header, header.length + body.length);
    System.arraycopy(body, 0, all, header.length, body.length);
    return Files.write(dir.resolve(name), all);
  }

  /** An miMATRIX element of class double with the given dimensions and {@code dataBytes} bytes of data. */
  private static byte[] matrix(int rows, int columns, int declaredBytes, int dataBytes) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + 16 + 16 + 16 + dataBytes + 8)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.putInt(14).putInt(declaredBytes);
    b.putInt(6).putInt(8).putInt(6).putInt(0); // array flags: class double
    b.putInt(5).putInt(8).putInt(rows).putInt(columns); // dimensions
    b.putInt((1 << 16) | 1).put(new byte[] {'x', 0, 0, 0}); // name "x" as a small element
    b.putInt(9).putInt(dataBytes);
    b.put(new byte[dataBytes]);
    return Arrays.copyOf(b.array(), b.position());
  }

  @Test
  void sizesAFileCannotHoldAreRefusedBeforeAnythingIsAllocated() throws IOException {
    // 2 GiB declared in a file of a few hundred bytes.
    Path huge = handMade("huge.mat", matrix(1 << 14, 1 << 14, Integer.MAX_VALUE, 64), (byte) 0, (byte) 1);
    RecordingLoadException e = assertThrows(RecordingLoadException.class, () -> MatContents.read(huge));
    assertTrue(e.getMessage().startsWith(huge.toString()) && e.getMessage().contains("only"), e.getMessage());

    // Dimensions of 16384 x 16384 doubles inside an element that really holds 64 bytes of data.
    byte[] lying = matrix(1 << 14, 1 << 14, 0, 64);
    java.nio.ByteBuffer.wrap(lying).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(4, lying.length - 8);
    Path dims = handMade("dims.mat", lying, (byte) 0, (byte) 1);
    e = assertThrows(RecordingLoadException.class, () -> MatContents.read(dims));
    assertTrue(e.getMessage().contains("268435456 elements"), e.getMessage());
  }

  @Test
  void theHeadersVersionFieldIsChecked() throws IOException {
    byte[] good = matrix(8, 1, 0, 64);
    java.nio.ByteBuffer.wrap(good).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(4, good.length - 8);
    assertEquals(8, MatContents.read(handMade("good.mat", good, (byte) 0, (byte) 1)).vector("x").length);
    Path future = handMade("future.mat", good, (byte) 0, (byte) 2);
    RecordingLoadException e = assertThrows(RecordingLoadException.class, () -> MatContents.read(future));
    assertTrue(e.getMessage().contains("version 0x0200"), e.getMessage());
  }

  @Test
  void aCompressionBombIsRefusedWithTheHeapItWouldNeed() throws IOException {
    long limit = MatSizeCheck.inflationLimit();
    // One compressed element whose inflated stream is (limit + 1 MB) of zeros after a plausible matrix header.
    java.io.ByteArrayOutputStream packed = new java.io.ByteArrayOutputStream();
    try (java.util.zip.DeflaterOutputStream z = new java.util.zip.DeflaterOutputStream(packed,
        new java.util.zip.Deflater(Deflater.BEST_COMPRESSION))) {
      byte[] zeros = new byte[1 << 20];
      for (long written = 0; written <= limit + (1 << 20); written += zeros.length) {
        z.write(zeros);
      }
    }
    byte[] compressed = packed.toByteArray();
    java.nio.ByteBuffer body = java.nio.ByteBuffer.allocate(8 + compressed.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    body.putInt(15).putInt(compressed.length).put(compressed);
    Path bomb = handMade("bomb.mat", body.array(), (byte) 0, (byte) 1);
    RecordingLoadException e = assertThrows(RecordingLoadException.class, () -> MatContents.read(bomb));
    assertTrue(e.getMessage().contains("inflate to more than"), e.getMessage());
    assertTrue(Files.size(bomb) < limit / 100, "a small file");
  }

  /** A matrix whose name part is {@code nameBytes} long and whose data part declares {@code declared} bytes. */
  private static byte[] longNamedMatrix(int nameBytes, long declared) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + 16 + 16 + 8 + nameBytes + 8 + 64)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.putInt(14).putInt(16 + 16 + 8 + nameBytes + 8 + 64);
    b.putInt(6).putInt(8).putInt(6).putInt(0);
    b.putInt(5).putInt(8).putInt(8).putInt(1);
    b.putInt(1).putInt(nameBytes).put(new byte[nameBytes]);
    b.putInt(9).putInt((int) declared).put(new byte[64]);
    return b.array();
  }

  @Test
  void everyPartOfEveryVariableIsChecked() throws IOException {
    // The huge part sits beyond the first 256 bytes of the variable.
    Path deep = handMade("deep.mat", longNamedMatrix(240, 0x6c666e08L), (byte) 0, (byte) 1);
    RecordingLoadException e = assertThrows(RecordingLoadException.class, () -> MatContents.read(deep));
    assertTrue(e.getMessage().contains("a part of a variable declares 1818652168 bytes"), e.getMessage());
    // A small data element at top level no longer ends the check: the variable after it is still checked.
    byte[] small = {1, 0, 4, 0, 0, 0, 0, 0};
    byte[] bad = longNamedMatrix(8, 0x6c666e08L);
    byte[] both = java.util.Arrays.copyOf(small, small.length + bad.length);
    System.arraycopy(bad, 0, both, small.length, bad.length);
    Path after = handMade("after.mat", both, (byte) 0, (byte) 1);
    e = assertThrows(RecordingLoadException.class, () -> MatContents.read(after));
    assertTrue(e.getMessage().contains("a part of a variable declares"), e.getMessage());
  }

  @Test
  void aCatastrophicallyBacktrackingPatternIsStoppedNotLeftToHang() throws IOException {
    Mat5File mat = Mat5.newMatFile();
    mat.addArray("x".repeat(40), column(ramp(16)));
    MatContents contents = MatContents.read(write("names.mat", 0, mat));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> contents.matching(java.util.regex.Pattern.compile("((x+)+)+y"))); // ~50 s unbounded
    assertTrue(e.getMessage().contains("takes more than"), e.getMessage());
    assertEquals(List.of("x".repeat(40)), contents.matching(java.util.regex.Pattern.compile("x+")));
  }
}
