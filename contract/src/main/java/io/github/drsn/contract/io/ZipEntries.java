package io.github.drsn.contract.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Reads the named entries of a zip archive from a file that may be corrupt or hostile: every entry name may appear
 * once, each wanted entry is read up to its own byte limit (counted while inflating, never taken from the archive's
 * headers), other entries are inflated and discarded up to the largest of those limits (a zip stream cannot skip an
 * entry without inflating it), and nothing is written anywhere (so entry names such as
 * {@code ../x} are harmless). Failures are {@link FileFormatException}s naming the file.
 */
public final class ZipEntries {

  private ZipEntries() {
  }

  /**
   * @param limits the wanted entry names, each with the largest size in bytes it may inflate to
   * @return the wanted entries found, by name (absent ones are missing from the map)
   * @throws FileFormatException if the file is missing, a folder, not a zip archive, truncated, holds an entry name
   *     twice, a wanted entry is larger than its limit, or the wanted entries together inflate to more than
   *     {@link #totalLimit()}
   */
  public static Map<String, byte[]> read(Path file, Map<String, Long> limits) throws IOException {
    if (Files.isDirectory(file)) {
      throw new FileFormatException(file, "is a folder, not a file");
    }
    Map<String, byte[]> found = new LinkedHashMap<>();
    // Each entry has its limit, but many entries just under theirs (16 parameter entries of zeros, a 1 MB file)
    // would still exhaust the heap before a byte of them is parsed: their sum is capped too.
    long total = 0;
    java.util.Set<String> seen = new java.util.HashSet<>();
    try (InputStream in = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
        String name = entry.getName();
        if (!seen.add(name)) {
          throw new FileFormatException(file, "the archive holds two entries named " + name);
        }
        Long limit = limits.get(name);
        if (limit != null) {
          long left = totalLimit() - total;
          byte[] bytes = left >= limit ? readCapped(file, zip, name, limit, "")
              : readCapped(file, zip, name, left, " (what is left of the third of this JVM's heap of "
                  + (Runtime.getRuntime().maxMemory() >> 20) + " MB that an archive's entries may fill together;"
                  + " raise the heap, e.g. DRSN_JAVA_OPTS=-Xmx4g, if the file is genuine)");
          total += bytes.length;
          found.put(name, bytes);
        } else {
          discardCapped(file, zip, name, java.util.Collections.max(limits.values()));
        }
      }
    } catch (NoSuchFileException e) {
      throw new FileFormatException(file, "no such file");
    } catch (AccessDeniedException e) {
      throw new FileFormatException(file, "permission denied");
    } catch (ZipException | java.io.EOFException e) {
      throw new FileFormatException(file, "truncated or not a zip archive (" + e.getMessage() + ")");
    } catch (IllegalArgumentException e) {
      // ZipInputStream decodes entry names as UTF-8 and throws this for bytes that are not (found by fuzzing).
      throw new FileFormatException(file, "corrupt zip archive: an entry name is not valid UTF-8");
    }
    return found;
  }

  /** The bytes the wanted entries of one archive may inflate to together: a third of the heap. */
  public static long totalLimit() {
    return Runtime.getRuntime().maxMemory() / 3;
  }

  private static void discardCapped(Path file, InputStream in, String entry, long limit) throws IOException {
    byte[] buffer = new byte[1 << 16];
    long total = 0;
    for (int n; (n = in.read(buffer)) > 0; ) {
      total += n;
      if (total > limit) {
        throw new FileFormatException(file, "entry " + entry + " inflates to more than " + limit + " bytes");
      }
    }
  }

  /**
   * Reads one entry up to {@code limit} bytes: its own limit, or what is left of {@link #totalLimit()}. The bytes are
   * gathered in chunks and copied once into an array of their exact length, so that reading an entry of n bytes holds
   * at most 2n (a growing ByteArrayOutputStream holds up to 3n: a buffer of twice the size, then its copy).
   */
  private static byte[] readCapped(Path file, InputStream in, String entry, long limit, String why)
      throws IOException {
    java.util.List<byte[]> chunks = new java.util.ArrayList<>();
    byte[] buffer = new byte[1 << 16];
    int filled = 0;
    long total = 0;
    for (int n; (n = in.read(buffer, filled, buffer.length - filled)) > 0; ) {
      total += n;
      if (total > limit) {
        throw new FileFormatException(file, "entry " + entry + " inflates to more than " + limit + " bytes" + why);
      }
      filled += n;
      if (filled == buffer.length) {
        chunks.add(buffer);
        buffer = new byte[1 << 16];
        filled = 0;
      }
    }
    byte[] out = new byte[(int) total];
    int at = 0;
    for (byte[] chunk : chunks) {
      System.arraycopy(chunk, 0, out, at, chunk.length);
      at += chunk.length;
    }
    System.arraycopy(buffer, 0, out, at, filled);
    return out;
  }
}
