package io.github.drsn.cli.hardening;

import io.github.drsn.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs bad-input cases through the command line in this (child) JVM, one after another, as the launcher would:
 * reads {@code cases.tsv} (an id, then the arguments, tab-separated), writes one line per case to the results file:
 * {@code id \t exit code \t milliseconds \t stdout \t stderr}, with tabs and newlines escaped. A case that throws out
 * of picocli (an Error such as OutOfMemoryError) is recorded with exit code -1 and the error.
 */
public final class CorpusHarness {

  private CorpusHarness() {
  }

  public static void main(String[] args) throws Exception {
    List<String> results = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)) {
      String[] fields = line.split("\t", -1);
      String id = fields[0];
      String[] cliArgs = java.util.Arrays.copyOfRange(fields, 1, fields.length);
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      long start = System.nanoTime();
      int code;
      try {
        var cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        code = cli.execute(cliArgs);
      } catch (Throwable t) {
        code = -1;
        StringWriter trace = new StringWriter();
        t.printStackTrace(new PrintWriter(trace));
        err.append("\nESCAPED: ").append(trace.toString());
      }
      long millis = (System.nanoTime() - start) / 1_000_000;
      results.add(String.join("\t", id, Integer.toString(code), Long.toString(millis), escape(out.toString()),
          escape(err.toString())));
      Files.write(Path.of(args[1]), results, StandardCharsets.UTF_8);
    }
  }

  static String escape(String text) {
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
  }

  static String unescape(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length()) {
        char n = text.charAt(++i);
        out.append(switch (n) {
          case 't' -> '\t';
          case 'n' -> '\n';
          case 'r' -> '\r';
          default -> n;
        });
      } else {
        out.append(c);
      }
    }
    return out.toString().toLowerCase(Locale.ROOT).isEmpty() ? "" : out.toString();
  }
}
