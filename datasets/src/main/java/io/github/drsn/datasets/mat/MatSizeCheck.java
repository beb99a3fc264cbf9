package io.github.drsn.datasets.mat;

import io.github.drsn.datasets.RecordingLoadException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Checks, before a MAT-file is handed to the MAT library, that every size it declares is one the file can hold and
 * this JVM can afford: the header's version and byte-order fields (MAT-File Format, The MathWorks, "Level 5 MAT-File
 * Format": 0x0100 and "IM"/"MI" at bytes 124-127), each top-level data element's byte count against the bytes left
 * in the file, each compressed element's inflated size (counted while inflating, up to a cap), and each matrix's
 * declared dimensions against the bytes its element holds. A 328-byte file that declares a 2 GiB array, or a small
 * compressed file that inflates to hundreds of megabytes, is refused here with a message naming the file, instead of
 * ending in an OutOfMemoryError inside the library.
 */
final class MatSizeCheck {

  private static final int MI_MATRIX = 14;
  private static final int MI_COMPRESSED = 15;

  private MatSizeCheck() {
  }

  /** The inflated bytes all of a file's compressed variables may add up to: a third of the heap, at most 1 GiB. */
  static long inflationLimit() {
    return Math.min(1L << 30, Runtime.getRuntime().maxMemory() / 3);
  }

  /** @param header the file's 128-byte level-5 header, already checked to start with its text */
  static void check(Path file, byte[] header) throws RecordingLoadException {
    boolean little = header[126] == 'I' && header[127] == 'M';
    boolean big = header[126] == 'M' && header[127] == 'I';
    if (!little && !big) {
      throw new RecordingLoadException(file, "MAT-file header has byte-order marker \"" + (char) header[126]
          + (char) header[127] + "\" at bytes 126-127, expected \"IM\" or \"MI\" (corrupt header)");
    }
    int version = little ? (header[125] & 0xff) << 8 | (header[124] & 0xff)
        : (header[124] & 0xff) << 8 | (header[125] & 0xff);
    if (version != 0x0100) {
      throw new RecordingLoadException(file, String.format(Locale.ROOT, "MAT-file header declares version 0x%04x,"
          + " expected 0x0100 (a level-5 MAT-file)", version));
    }
    ByteOrder order = little ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
    long inflatedTotal = 0;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      long at = header.length;
      ByteBuffer tag = ByteBuffer.allocate(8).order(order);
      while (at + 8 <= size) {
        tag.clear();
        channel.read(tag, at);
        int type = tag.getInt(0);
        long bytes = tag.getInt(4) & 0xffffffffL;
        if ((type >>> 16) != 0) {
          return; // a small-element tag at top level: not produced by MATLAB; leave its judgement to the library
        }
        long left = size - at - 8;
        if (bytes > left) {
          throw new RecordingLoadException(file, "a variable at byte " + at + " declares " + bytes
              + " bytes but only " + left + " follow (truncated or corrupt MAT-file)");
        }
        if (type == MI_COMPRESSED) {
          inflatedTotal += inflatedSize(file, channel, at + 8, bytes, order, inflationLimit() - inflatedTotal);
        } else if (type == MI_MATRIX) {
          ByteBuffer body = ByteBuffer.allocate((int) Math.min(bytes, 256)).order(order);
          channel.read(body, at + 8);
          checkMatrix(file, body.flip(), bytes);
        }
        at += 8 + bytes + (type == MI_COMPRESSED ? 0 : (8 - bytes % 8) % 8);
      }
    } catch (RecordingLoadException e) {
      throw e;
    } catch (IOException e) {
      throw new RecordingLoadException(file, "cannot read file (" + e + ")", e);
    }
  }

  /** Inflates one compressed element, counting bytes up to {@code budget}; checks the matrix inside. */
  private static long inflatedSize(Path file, FileChannel channel, long from, long bytes, ByteOrder order,
      long budget) throws RecordingLoadException, IOException {
    InputStream raw = java.nio.channels.Channels.newInputStream(channel.position(from));
    InputStream limited = new InputStream() {
      long left = bytes;

      @Override
      public int read() throws IOException {
        if (left <= 0) {
          return -1;
        }
        left--;
        return raw.read();
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (left <= 0) {
          return -1;
        }
        int n = raw.read(b, off, (int) Math.min(len, left));
        if (n > 0) {
          left -= n;
        }
        return n;
      }
    };
    Inflater inflater = new Inflater();
    try (InputStream in = new InflaterInputStream(limited, inflater)) {
      byte[] head = in.readNBytes(256);
      long total = head.length;
      if (head.length >= 8) {
        ByteBuffer inner = ByteBuffer.wrap(head).order(order);
        if (inner.getInt(0) == MI_MATRIX) {
          long declared = inner.getInt(4) & 0xffffffffL;
          if (declared > budget) {
            throw tooLarge(file, declared);
          }
          checkMatrix(file, ByteBuffer.wrap(head, 8, head.length - 8).slice().order(order), declared);
        }
      }
      byte[] sink = new byte[1 << 16];
      for (int n; (n = in.read(sink)) > 0; ) {
        total += n;
        if (total > budget) {
          throw tooLarge(file, total);
        }
      }
      return total;
    } catch (java.util.zip.ZipException e) {
      throw new RecordingLoadException(file, "compressed data is corrupt or truncated (" + e.getMessage()
          + "); expected a complete MATLAB v5 file", e);
    } finally {
      inflater.end();
    }
  }

  private static RecordingLoadException tooLarge(Path file, long bytes) {
    return new RecordingLoadException(file, String.format(Locale.ROOT, "its compressed variables inflate to more"
        + " than %d MB (at least %d bytes), more than this JVM can hold with its heap of %d MB; raise the heap"
        + " (e.g. DRSN_JAVA_OPTS=-Xmx4g) if the file is genuine", inflationLimit() >> 20, bytes,
        Runtime.getRuntime().maxMemory() >> 20));
  }

  /**
   * A matrix element starts with its array-flags subelement (8-byte tag + 8 bytes) and its dimensions subelement
   * (8-byte tag + int32 values): their product times the smallest element size cannot exceed the element's bytes.
   */
  private static void checkMatrix(Path file, ByteBuffer body, long elementBytes) throws RecordingLoadException {
    checkParts(file, body, elementBytes);
    if (body.remaining() < 24) {
      return;
    }
    int flagsBytes = body.getInt(4);
    int dimsAt = 8 + Math.max(0, flagsBytes);
    if (flagsBytes != 8 || body.remaining() < dimsAt + 8) {
      return;
    }
    int dimsType = body.getInt(dimsAt) & 0xffff;
    int dimsBytes = (body.getInt(dimsAt) >>> 16) != 0 ? body.getInt(dimsAt) >>> 16 : body.getInt(dimsAt + 4);
    boolean small = (body.getInt(dimsAt) >>> 16) != 0;
    int first = small ? dimsAt + 4 : dimsAt + 8;
    if (dimsType != 5 || dimsBytes < 8 || dimsBytes % 4 != 0 || body.remaining() < first + dimsBytes) {
      return;
    }
    long elements = 1;
    for (int i = 0; i < dimsBytes / 4; i++) {
      long d = body.getInt(first + 4 * i);
      if (d < 0) {
        throw new RecordingLoadException(file, "a variable declares a negative dimension " + d + " (corrupt file)");
      }
      elements = Math.multiplyHigh(elements, d) != 0 ? Long.MAX_VALUE : elements * d;
    }
    int arrayClass = body.getInt(8) & 0xff;
    boolean sparse = arrayClass == 5;
    // Numeric classes store at least one byte per element (int8/uint8/logical); sparse and cell arrays differ.
    if (!sparse && arrayClass >= 6 && arrayClass <= 15 && elements > elementBytes) {
      throw new RecordingLoadException(file, "a variable declares " + elements + " elements but its data element holds"
          + " only " + elementBytes + " bytes (corrupt MAT-file)");
    }
  }

  /**
   * The parts (subelements) of a matrix element that {@code body} holds the tags of: none may declare more bytes than
   * are left of the element (the MAT library allocates what a part's tag declares before reading it; found by
   * fuzzing: a 323-byte file whose array-flags part declared 1.8 GB).
   */
  private static void checkParts(Path file, ByteBuffer body, long elementBytes) throws RecordingLoadException {
    long at = 0;
    while (at + 8 <= body.remaining()) {
      int head = body.getInt((int) at);
      if ((head >>> 16) != 0) {
        at += 8; // small data element: at most 4 bytes of data inside its 8-byte tag
        continue;
      }
      long bytes = body.getInt((int) at + 4) & 0xffffffffL;
      long left = elementBytes - at - 8;
      if (bytes > left) {
        throw new RecordingLoadException(file, "a part of a variable declares " + bytes + " bytes but only " + left
            + " are left of the variable (corrupt MAT-file)");
      }
      if ((head & 0xffff) == MI_MATRIX) {
        return; // a nested variable (struct field, cell): its own parts follow, beyond what this check reads
      }
      at += 8 + bytes + (8 - bytes % 8) % 8;
    }
  }
}
