package io.github.drsn.contract.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Replaces a file atomically: the content goes to a temporary file in the target's own directory, which
 * is flushed to disk ({@code fsync}) and then renamed over the target with {@code ATOMIC_MOVE}. Readers see
 * either the old file or the complete new one, never a partial write. If the file system cannot move
 * atomically the rename falls back to {@code REPLACE_EXISTING}, which on POSIX file systems is still a
 * single {@code rename(2)}. If writing fails the temporary file is deleted and the old file is untouched.
 *
 * <p>The temporary file is named {@code .<name>.<random>.tmp} (the name cut to 200 characters) and created with
 * the process's default permissions (not the owner-only permissions of {@code Files.createTempFile}), so the result
 * is as readable as a file written directly. Missing parent directories are created.
 */
public final class AtomicFiles {

  /** Writes the content of a file to the stream it is given; the stream is closed by the caller. */
  @FunctionalInterface
  public interface ContentWriter {
    void writeTo(OutputStream out) throws IOException;
  }

  /** The rename step, replaceable in tests to simulate a file system without atomic moves. */
  @FunctionalInterface
  interface Move {
    void move(Path source, Path target) throws IOException;
  }

  private static final Move ATOMIC = (source, target) ->
      Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

  private AtomicFiles() {}

  /** Atomically replaces {@code target} with {@code bytes}. */
  public static void write(Path target, byte[] bytes) throws IOException {
    write(target, out -> out.write(bytes));
  }

  /** Atomically replaces {@code target} with {@code text} encoded as UTF-8. */
  public static void writeString(Path target, CharSequence text) throws IOException {
    write(target, text.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Atomically replaces {@code target} with everything read from {@code in} (which is not closed). */
  public static void write(Path target, InputStream in) throws IOException {
    write(target, out -> in.transferTo(out));
  }

  /** Atomically replaces {@code target} with whatever {@code content} writes (it may stream large data). */
  public static void write(Path target, ContentWriter content) throws IOException {
    write(target, content, ATOMIC);
  }

  static void write(Path target, ContentWriter content, Move atomicMove) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    if (dir == null || absolute.getFileName() == null) {
      throw new IllegalArgumentException("target " + target + " is not a file path");
    }
    Files.createDirectories(dir);
    if (Files.isDirectory(absolute)) {
      throw new IOException(target + " is a directory, cannot replace it with a file");
    }
    Path temp = dir.resolve(tempPrefix(absolute) + UUID.randomUUID() + ".tmp");
    boolean moved = false;
    try {
      FileChannel opened;
      try {
        opened = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      } catch (IOException e) {
        // The temporary file is ours, not the user's: name the file they asked for and why it cannot be written.
        throw new IOException("cannot write " + target + ": " + reason(e, dir), e);
      }
      try (FileChannel channel = opened) {
        OutputStream out = Channels.newOutputStream(channel);
        content.writeTo(out);
        out.flush();
        channel.force(true);
      }
      moveIntoPlace(temp, absolute, atomicMove);
      moved = true;
    } finally {
      if (!moved) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException e) {
          // The write's own error says what went wrong; a temporary file that could not even be named adds nothing.
        }
      }
    }
    syncDirectory(dir);
  }

  /**
   * ".name." for the temporary files of {@code target}, the name cut to 200 characters so that with the random part
   * and ".tmp" (41 more) it stays within the usual 255-byte limit of a file name.
   */
  private static String tempPrefix(Path target) {
    String name = target.getFileName().toString();
    return "." + (name.length() > 200 ? name.substring(0, 200) : name) + ".";
  }

  private static String reason(IOException e, Path dir) {
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied in folder " + dir;
    }
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "folder " + dir + " does not exist";
    }
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
  }

  /**
   * Deletes the temporary files that writes of {@code target} left behind when their process was killed mid-write
   * (a finished or failed write removes its own). Call it only when no other write of {@code target} can be under way,
   * e.g. when a process takes over a run folder.
   *
   * @return how many were deleted
   */
  public static int removeLeftovers(Path target) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      return 0;
    }
    java.util.regex.Pattern leftover = java.util.regex.Pattern.compile(
        java.util.regex.Pattern.quote(tempPrefix(absolute)) + "[0-9a-f-]{36}\\.tmp");
    int deleted = 0;
    try (var entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        if (leftover.matcher(p.getFileName().toString()).matches() && Files.deleteIfExists(p)) {
          deleted++;
        }
      }
    }
    return deleted;
  }

  static void moveIntoPlace(Path temp, Path target, Move atomicMove) throws IOException {
    try {
      atomicMove.move(temp, target);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Makes the rename itself durable; not every platform can open a directory, which is harmless. */
  private static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Best effort: the file content is already on disk; only the directory entry might lag.
    }
  }
}
