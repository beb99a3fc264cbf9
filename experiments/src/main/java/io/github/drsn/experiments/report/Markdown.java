package io.github.drsn.experiments.report;

import java.util.List;

/** Small helpers for GitHub-flavoured Markdown tables. */
final class Markdown {

  private Markdown() {}

  /** Escapes text for a table cell: pipes would end the cell and newlines the row. */
  static String cell(String text) {
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ");
  }

  /**
   * A table; {@code rightAligned[i]} right-aligns column i (numbers).
   */
  static String table(List<String> header, List<Boolean> rightAligned, List<List<String>> rows) {
    StringBuilder sb = new StringBuilder();
    row(sb, header);
    sb.append('|');
    for (int i = 0; i < header.size(); i++) {
      sb.append(rightAligned.get(i) ? " ---: |" : " --- |");
    }
    sb.append('\n');
    for (List<String> row : rows) {
      row(sb, row);
    }
    return sb.toString();
  }

  private static void row(StringBuilder sb, List<String> cells) {
    sb.append('|');
    for (String c : cells) {
      sb.append(' ').append(cell(c)).append(" |");
    }
    sb.append('\n');
  }
}
