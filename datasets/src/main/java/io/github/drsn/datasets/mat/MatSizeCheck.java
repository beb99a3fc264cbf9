package io.github.drsn.datasets.mat;

import io.github.drsn.datasets.RecordingLoadException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Checks, before a MAT-file is handed to the MAT library, that every size it declares is one the file can hold and
 * this JVM can afford (MAT-File Format, The MathWorks, "Level 5 MAT-File Format"): the header's version and
 * byte-order fields (0x0100 and "IM"/"MI" at bytes 124-127); every data element's byte count against the bytes left
 * in the file or in its enclosing element, walking every part of every variable, nested struct fields and cells
 * included; each compressed element's inflated size (counted while inflating, up to a cap); and each numeric
 * matrix's declared dimensions against the bytes its element holds. The MAT library allocates what a tag declares
 * before reading it, so without this a 328-byte file that declares a 2 GiB array, a part that declares 1.8 GB
 * (found by fuzzing), or a small compressed file that inflates to hundreds of megabytes ends in an OutOfMemoryError
 * inside the library; here each is a {@link RecordingLoadException} naming the file. Only tags and dimensions are
 * read; data is skipped.
 */
final class MatSizeCheck {

  private static final int MI_MATRIX = 14;
  private static final int MI_COMPRESSED = 15;
  private static final int MI_INT32 = 5;
  private static final int MAX_DEPTH = 32;

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
        if ((type >>> 16) != 0) {
          at += 8; // a small data element at top level: its data sits in its tag
          continue;
        }
        long bytes = tag.getInt(4) & 0xffffffffL;
        long left = size - at - 8;
        if (bytes > left) {
          throw new RecordingLoadException(file, "a variable at byte " + at + " declares " + bytes
              + " bytes but only " + left + " follow (truncated or corrupt MAT-file)");
        }
        if (type == MI_COMPRESSED) {
          inflatedTotal += inflated(file, channel, at + 8, bytes, order, inflationLimit() - inflatedTotal);
        } else if (type == MI_MATRIX) {
          Source in = new Source(new BufferedInputStream(Channels.newInputStream(channel.position(at + 8))), order,
              Long.MAX_VALUE, file);
          matrix(in, bytes, 0);
        }
        at += 8 + bytes + (type == MI_COMPRESSED ? 0 : padding(bytes));
      }
    } catch (RecordingLoadException e) {
      throw e;
    } catch (IOException e) {
      throw new RecordingLoadException(file, "cannot read file (" + e + ")", e);
    }
  }

  private static long padding(long bytes) {
    return (8 - bytes % 8) % 8;
  }

  /** Inflates one compressed element, walking the elements inside it, and counting bytes up to {@code budget}. */
  private static long inflated(Path file, FileChannel channel, long from, long bytes, ByteOrder order, long budget)
      throws IOException {
    InputStream raw = new BufferedInputStream(Channels.newInputStream(channel.position(from)));
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
    try (InputStream inflating = new InflaterInputStream(limited, inflater)) {
      Source in = new Source(inflating, order, budget, file);
      while (true) {
        long[] tag = in.tagOrEnd();
        if (tag == null) {
          break;
        }
        if (tag[0] == MI_MATRIX) {
          if (tag[1] > budget) {
            throw tooLarge(file, tag[1]);
          }
          matrix(in, tag[1], 0);
          break; // one variable per compressed element, as MATLAB writes them; the rest is counted by drain()
        } else if (tag[2] == 0) {
          in.skip(tag[1]);
        }
      }
      in.drain();
      return in.count;
    } catch (java.util.zip.ZipException e) {
      throw new RecordingLoadException(file, "compressed data is corrupt or truncated (" + e.getMessage()
          + "); expected a complete MATLAB v5 file", e);
    } finally {
      inflater.end();
    }
  }

  /**
   * Walks the parts of one matrix element of {@code bytes} bytes: array flags, dimensions, name, then the data parts,
   * or nested matrices for cells and structs. No part may declare more bytes than are left of the element, and a
   * numeric matrix's elements must fit its bytes.
   */
  private static void matrix(Source in, long bytes, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new RecordingLoadException(in.file, "variables nest deeper than " + MAX_DEPTH + " levels (corrupt"
          + " MAT-file)");
    }
    long used = 0;
    int part = 0;
    int arrayClass = -1;
    long elements = -1;
    while (used < bytes) {
      if (bytes - used < 8) {
        throw new RecordingLoadException(in.file, "a variable ends inside a part's tag (corrupt MAT-file)");
      }
      long[] tag = in.tag();
      used += 8;
      long size = tag[1];
      boolean small = tag[2] != 0;
      if (!small && size > bytes - used) {
        throw new RecordingLoadException(in.file, "a part of a variable declares " + size + " bytes but only "
            + (bytes - used) + " are left of the variable (corrupt MAT-file)");
      }
      if (small) {
        ByteBuffer data = in.read(4);
        if (part == 1 && tag[0] == MI_INT32) {
          elements = Math.max(0, data.getInt(0));
        }
      } else if (tag[0] == MI_MATRIX) {
        matrix(in, size, depth + 1);
        in.skip(padding(size));
        used += size + padding(size);
      } else if (part == 0 && size == 8) {
        arrayClass = in.read(8).getInt(0) & 0xff;
        used += 8;
      } else if (part == 1 && tag[0] == MI_INT32 && size % 4 == 0 && size <= 8 * 64) {
        ByteBuffer dims = in.read((int) size);
        elements = 1;
        for (int i = 0; i < size / 4; i++) {
          long d = dims.getInt(4 * i);
          if (d < 0) {
            throw new RecordingLoadException(in.file, "a variable declares a negative dimension " + d
                + " (corrupt MAT-file)");
          }
          elements = Math.multiplyHigh(elements, d) != 0 ? Long.MAX_VALUE : elements * d;
        }
        in.skip(padding(size));
        used += size + padding(size);
      } else {
        in.skip(size + padding(size));
        used += size + padding(size);
      }
      part++;
    }
    // Numeric classes (int8 ... double, 6-15) store at least one byte per element; char, cell, struct and sparse
    // arrays are bounded by the walk of their parts.
    if (arrayClass >= 6 && arrayClass <= 15 && elements > bytes) {
      throw new RecordingLoadException(in.file, "a variable declares " + elements + " elements but its data element"
          + " holds only " + bytes + " bytes (corrupt MAT-file)");
    }
  }

  private static RecordingLoadException tooLarge(Path file, long bytes) {
    return new RecordingLoadException(file, String.format(Locale.ROOT, "its compressed variables inflate to more"
        + " than %d MB (at least %d bytes), more than this JVM can hold with its heap of %d MB; raise the heap"
        + " (e.g. DRSN_JAVA_OPTS=-Xmx4g) if the file is genuine", inflationLimit() >> 20, bytes,
        Runtime.getRuntime().maxMemory() >> 20));
  }

  /** Tags and small reads from a stream, counting bytes against a budget (the inflation cap). */
  private static final class Source {
    private final InputStream in;
    private final ByteOrder order;
    private final long budget;
    private final Path file;
    private long count;

    Source(InputStream in, ByteOrder order, long budget, Path file) {
      this.in = in;
      this.order = order;
      this.budget = budget;
      this.file = file;
    }

    /** {type, size, small}: a small element's size is in its first word, and its tag is its whole 8 bytes. */
    long[] tag() throws IOException {
      ByteBuffer b = read(4);
      int first = b.getInt(0);
      if ((first >>> 16) != 0) {
        return new long[] {first & 0xffff, first >>> 16, 1};
      }
      return new long[] {first, read(4).getInt(0) & 0xffffffffL, 0};
    }

    /** As {@link #tag()}, or null at the end of the stream. */
    long[] tagOrEnd() throws IOException {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      byte[] rest = in.readNBytes(3);
      if (rest.length < 3) {
        throw new EOFException("inside a tag");
      }
      account(4);
      int first = ByteBuffer.wrap(new byte[] {(byte) b, rest[0], rest[1], rest[2]}).order(order).getInt();
      if ((first >>> 16) != 0) {
        return new long[] {first & 0xffff, first >>> 16, 1};
      }
      return new long[] {first, read(4).getInt(0) & 0xffffffffL, 0};
    }

    ByteBuffer read(int n) throws IOException {
      byte[] bytes = in.readNBytes(n);
      if (bytes.length < n) {
        throw new RecordingLoadException(file, "MAT-file is truncated: a variable ends before the sizes its tags"
            + " declare; expected a complete MATLAB v5 file");
      }
      account(n);
      return ByteBuffer.wrap(bytes).order(order);
    }

    void skip(long n) throws IOException {
      byte[] sink = new byte[8192];
      long left = n;
      while (left > 0) {
        int got = in.read(sink, 0, (int) Math.min(sink.length, left));
        if (got < 0) {
          throw new RecordingLoadException(file, "MAT-file is truncated: a variable ends before the sizes its tags"
              + " declare; expected a complete MATLAB v5 file");
        }
        left -= got;
        account(got);
      }
    }

    /** Reads to the end, counting (the whole inflated size must fit the budget too). */
    void drain() throws IOException {
      byte[] sink = new byte[1 << 16];
      for (int n; (n = in.read(sink)) > 0; ) {
        account(n);
      }
    }

    private void account(long n) throws RecordingLoadException {
      count += n;
      if (count > budget) {
        throw tooLarge(file, count);
      }
    }
  }
}
