package io.github.drsn.contract.io;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON parser (RFC 8259) for bundle metadata, so that the runtime needs no JSON library.
 * Objects become {@code Map<String, Object>} (insertion order kept, duplicate keys rejected), arrays
 * {@code List<Object>}, integer literals {@code Long} (when they fit one), other numbers {@code Double}, strings {@code String}, true/false {@code Boolean} and
 * null {@link #NULL}; all of them unmodifiable. Anything else, including trailing content, nesting deeper than 64
 * levels or more than {@link #MAX_VALUES} values, is a {@link JsonException} giving the character offset.
 */
public final class Json {

  /** The JSON null value (Java null would be ambiguous with "absent" in maps). */
  public static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "null";
    }
  };

  /** Malformed JSON; the message gives the offset and what was expected. */
  public static final class JsonException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    JsonException(String message) {
      super(message);
    }
  }

  private static final int MAX_DEPTH = 64;

  /**
   * The most values (objects, arrays, strings, numbers, literals, each counted once wherever it nests) one text may
   * hold. A real bundle.json spends about 19 bytes per value (calibration statistics written as full doubles; the
   * nearest-neighbour features are an entry of their own), so the 16 MB its entry may inflate to holds under 900,000
   * legitimate values; two million leaves room for shorter numbers, while refusing a text of millions of tiny
   * containers ({@code {},} is three bytes) before their maps and lists exhaust the heap.
   */
  public static final int MAX_VALUES = 2_000_000;

  private final String text;
  private int pos;
  private int values;

  private Json(String text) {
    this.text = text;
  }

  /**
   * Parses one JSON value that spans the whole text (whitespace aside).
   *
   * @throws JsonException if the text is not exactly one valid JSON value
   */
  public static Object parse(String text) {
    Json p = new Json(text);
    p.skipWhitespace();
    Object value = p.value(0);
    p.skipWhitespace();
    if (p.pos != text.length()) {
      throw p.error("end of input");
    }
    return value;
  }

  private Object value(int depth) {
    if (depth > MAX_DEPTH) {
      throw error("at most " + MAX_DEPTH + " levels of nesting");
    }
    if (++values > MAX_VALUES) {
      throw error("at most " + MAX_VALUES + " values in all");
    }
    if (pos >= text.length()) {
      throw error("a value");
    }
    char c = text.charAt(pos);
    return switch (c) {
      case '{' -> object(depth);
      case '[' -> array(depth);
      case '"' -> string();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", NULL);
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          yield number();
        }
        throw error("a value");
      }
    };
  }

  private Map<String, Object> object(int depth) {
    pos++;
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      return Collections.emptyMap(); // shared: an empty object costs nothing however many there are
    }
    Map<String, Object> map = new LinkedHashMap<>();
    while (true) {
      skipWhitespace();
      if (peek() != '"') {
        throw error("a string key");
      }
      int keyAt = pos;
      String key = string();
      skipWhitespace();
      expect(':');
      skipWhitespace();
      if (map.put(key, value(depth + 1)) != null) {
        pos = keyAt;
        throw error("no duplicate key \"" + key + "\"");
      }
      skipWhitespace();
      char c = peek();
      pos++;
      if (c == '}') {
        return map.size() <= SmallObject.MAX_KEYS ? new SmallObject(map) : Collections.unmodifiableMap(map);
      }
      if (c != ',') {
        pos--;
        throw error("',' or '}'");
      }
    }
  }

  /**
   * An object of a few keys, read-only, in insertion order: two arrays instead of a LinkedHashMap's table and
   * entries (about a third of the memory), so that a text of many small objects costs less heap per byte.
   */
  private static final class SmallObject extends java.util.AbstractMap<String, Object> {
    static final int MAX_KEYS = 8;

    private final String[] keys;
    private final Object[] values;

    SmallObject(Map<String, Object> map) {
      keys = map.keySet().toArray(new String[0]);
      values = map.values().toArray();
    }

    @Override
    public int size() {
      return keys.length;
    }

    @Override
    public Object get(Object key) {
      for (int i = 0; i < keys.length; i++) {
        if (keys[i].equals(key)) {
          return values[i];
        }
      }
      return null;
    }

    @Override
    public boolean containsKey(Object key) {
      for (String k : keys) {
        if (k.equals(key)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public java.util.Set<Map.Entry<String, Object>> entrySet() {
      return new java.util.AbstractSet<>() {
        @Override
        public int size() {
          return keys.length;
        }

        @Override
        public java.util.Iterator<Map.Entry<String, Object>> iterator() {
          return new java.util.Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
              return next < keys.length;
            }

            @Override
            public Map.Entry<String, Object> next() {
              if (next >= keys.length) {
                throw new java.util.NoSuchElementException();
              }
              int i = next++;
              return new java.util.AbstractMap.SimpleImmutableEntry<>(keys[i], values[i]);
            }
          };
        }
      };
    }
  }

  private List<Object> array(int depth) {
    pos++;
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      return Collections.emptyList(); // shared, as an empty object
    }
    ArrayList<Object> list = new ArrayList<>();
    while (true) {
      skipWhitespace();
      list.add(value(depth + 1));
      skipWhitespace();
      char c = peek();
      pos++;
      if (c == ']') {
        list.trimToSize();
        return Collections.unmodifiableList(list);
      }
      if (c != ',') {
        pos--;
        throw error("',' or ']'");
      }
    }
  }

  private String string() {
    expect('"');
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw error("a closing '\"'");
      }
      char c = text.charAt(pos++);
      if (c == '"') {
        return sb.isEmpty() ? "" : sb.toString();
      }
      if (c < 0x20) {
        pos--;
        throw error("no unescaped control character in a string");
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (pos >= text.length()) {
        throw error("an escape sequence");
      }
      char e = text.charAt(pos++);
      switch (e) {
        case '"', '\\', '/' -> sb.append(e);
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> {
          if (pos + 4 > text.length()) {
            throw error("four hex digits");
          }
          for (int k = pos; k < pos + 4; k++) {
            if (Character.digit(text.charAt(k), 16) < 0) {
              throw error("four hex digits");
            }
          }
          sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
          pos += 4;
        }
        default -> {
          pos--;
          throw error("a valid escape character");
        }
      }
    }
  }

  private Number number() {
    int start = pos;
    boolean integral = true;
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
    } else if (isDigit(peek())) {
      while (isDigit(peek())) {
        pos++;
      }
    } else {
      throw error("a digit");
    }
    if (peek() == '.') {
      integral = false;
      pos++;
      if (!isDigit(peek())) {
        throw error("a digit after '.'");
      }
      while (isDigit(peek())) {
        pos++;
      }
    }
    if (peek() == 'e' || peek() == 'E') {
      integral = false;
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      if (!isDigit(peek())) {
        throw error("a digit in the exponent");
      }
      while (isDigit(peek())) {
        pos++;
      }
    }
    String literal = text.substring(start, pos);
    if (integral) {
      try {
        return Long.valueOf(literal);
      } catch (NumberFormatException beyondLong) {
        // An integer beyond the range of a long is kept as the nearest double, as JavaScript would.
      }
    }
    return Double.valueOf(literal);
  }

  private Object literal(String word, Object value) {
    if (!text.startsWith(word, pos)) {
      throw error("'" + word + "'");
    }
    pos += word.length();
    return value;
  }

  private void expect(char c) {
    if (peek() != c) {
      throw error("'" + c + "'");
    }
    pos++;
  }

  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private void skipWhitespace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private JsonException error(String expected) {
    String found = pos >= text.length() ? "end of input" : "'" + text.charAt(pos) + "'";
    return new JsonException("expected " + expected + " at offset " + pos + ", found " + found);
  }

  /**
   * Writes {@code value} as indented JSON (two spaces), the inverse of {@link #parse} for the types it returns:
   * {@code Map} (keys as strings, in iteration order), {@code List}, {@code String}, {@code Boolean}, integer
   * {@code Number}s as integers, other numbers in Java's shortest round-trip form, and null or {@link #NULL} as
   * null. A non-finite number has no JSON form and is written as null.
   *
   * @throws IllegalArgumentException for a value of another type, or nesting deeper than the parser accepts
   */
  public static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(out, value, 0);
    return out.append('\n').toString();
  }

  private static void write(StringBuilder out, Object value, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException("JSON nests deeper than " + MAX_DEPTH + " levels");
    }
    if (value == null || value == NULL) {
      out.append("null");
    } else if (value instanceof String text) {
      quote(out, text);
    } else if (value instanceof Boolean b) {
      out.append(b);
    } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      out.append(((Number) value).longValue());
    } else if (value instanceof Number n) {
      double d = n.doubleValue();
      out.append(Double.isFinite(d) ? Double.toString(d) : "null");
    } else if (value instanceof Map<?, ?> map) {
      if (map.isEmpty()) {
        out.append("{}");
        return;
      }
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        out.append(first ? "\n" : ",\n");
        first = false;
        indent(out, depth + 1);
        quote(out, String.valueOf(e.getKey()));
        out.append(": ");
        write(out, e.getValue(), depth + 1);
      }
      out.append('\n');
      indent(out, depth);
      out.append('}');
    } else if (value instanceof List<?> list) {
      if (list.isEmpty()) {
        out.append("[]");
        return;
      }
      boolean flat = list.stream().allMatch(v -> v == null || v instanceof Number || v instanceof Boolean);
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (flat) {
          out.append(i == 0 ? "" : ", ");
        } else {
          out.append(i == 0 ? "\n" : ",\n");
          indent(out, depth + 1);
        }
        write(out, list.get(i), depth + 1);
      }
      if (!flat) {
        out.append('\n');
        indent(out, depth);
      }
      out.append(']');
    } else {
      throw new IllegalArgumentException("no JSON form for a " + value.getClass().getName());
    }
  }

  private static void indent(StringBuilder out, int depth) {
    out.append("  ".repeat(depth));
  }

  private static void quote(StringBuilder out, String text) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
