package io.github.drsn.contract.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void parsesNestedValues() {
    Object v = Json.parse(" {\"a\": [1, -2.5e3, true, null], \"b\": {\"c\": \"x\\u00e9\\n\\\"\"}, \"d\": false} ");
    Map<?, ?> m = (Map<?, ?>) v;
    assertEquals(List.of(1L, -2500.0, true, Json.NULL), m.get("a"));
    assertEquals("xé\n\"", ((Map<?, ?>) m.get("b")).get("c"));
    assertEquals(false, m.get("d"));
    assertEquals(List.of("a", "b", "d"), List.copyOf(m.keySet()));
  }

  @Test
  void integersBeyondTheRangeOfALongBecomeDoubles() {
    assertEquals(List.of(Long.MAX_VALUE, Long.MIN_VALUE, 9.223372036854775808E18, 1e3),
        Json.parse("[9223372036854775807, -9223372036854775808, 9223372036854775808, 1e3]"));
  }

  @Test
  void writesWhatItParses() {
    Map<String, Object> value = new java.util.LinkedHashMap<>();
    value.put("name", "tab\there \"quoted\" \u0001");
    value.put("counts", List.of(1L, 2L, 3L));
    value.put("rates", List.of(0.1, -2.5e-7));
    value.put("empty", Map.of());
    value.put("nested", List.of(Map.of("k", true), Json.NULL));
    String text = Json.write(value);
    assertEquals(value, Json.parse(text));
    assertTrue(text.contains("\"counts\": [1, 2, 3]"), text);
  }

  @Test
  void writesNonFiniteNumbersAsNull() {
    assertEquals(List.of(Json.NULL, Json.NULL, 1.5), Json.parse(Json.write(List.of(Double.NaN,
        Double.POSITIVE_INFINITY, 1.5f))));
  }

  @Test
  void rejectsMalformedInputWithItsOffset() {
    for (String bad : new String[] {"{\"a\": 1", "{\"a\": 1,}", "[1 2]", "{\"a\": 01}", "{\"a\": 1} x", "",
        "{\"a\": 1, \"a\": 2}", "\"tab\there\"", "{a: 1}", "[1.]", "nul", "\"\\u+041\"", "\"\\u-001\""}) {
      Json.JsonException e = assertThrows(Json.JsonException.class, () -> Json.parse(bad), bad);
      assertTrue(e.getMessage().contains("offset"), e.getMessage());
    }
  }
}
