package io.github.drsn.experiments.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.drsn.datasets.io.JsonMappers;

/**
 * The project's JSON conventions: pretty-printed UTF-8, snake_case keys spelled out where the tree is built,
 * and non-finite numbers (a missing validation loss, a std over one seed) written as {@code null}, because
 * JSON has no NaN and {@code "NaN"} strings break numeric readers such as pandas.
 */
public final class Json {

  static final ObjectMapper MAPPER = JsonMappers.indented();

  private Json() {}

  /** Puts {@code value}, or null when it is NaN or infinite. */
  public static void putNumber(ObjectNode node, String key, double value) {
    if (Double.isFinite(value)) {
      node.put(key, value);
    } else {
      node.putNull(key);
    }
  }

  /** Reads a number written by {@link #putNumber}: null or missing gives NaN. */
  static double number(JsonNode node, String key) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      return Double.NaN;
    }
    if (!value.isNumber()) {
      throw new IllegalArgumentException("'" + key + "' is not a number: " + value);
    }
    return value.doubleValue();
  }

  /** A required field, with a message naming it when absent. */
  static JsonNode required(JsonNode node, String key) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException("missing '" + key + "' in " + abbreviate(node.toString()));
    }
    return value;
  }

  private static String abbreviate(String s) {
    return s.length() <= 120 ? s : s.substring(0, 117) + "...";
  }

  /** Serialises a tree as pretty-printed JSON ending with a newline. */
  static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise JSON tree", e);
    }
  }
}
