package io.github.drsn.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.runtime.impl.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void parsesNestedValues() {
    Object v = Json.parse(" {\"a\": [1, -2.5e3, true, null], \"b\": {\"c\": \"x\\u00e9\\n\\\"\"}, \"d\": false} ");
    Map<?, ?> m = (Map<?, ?>) v;
    assertEquals(List.of(1.0, -2500.0, true, Json.NULL), m.get("a"));
    assertEquals("xé\n\"", ((Map<?, ?>) m.get("b")).get("c"));
    assertEquals(false, m.get("d"));
    assertEquals(List.of("a", "b", "d"), List.copyOf(m.keySet()));
  }

  @Test
  void rejectsMalformedInputWithItsOffset() {
    for (String bad : new String[] {"{\"a\": 1", "{\"a\": 1,}", "[1 2]", "{\"a\": 01}", "{\"a\": 1} x", "",
        "{\"a\": 1, \"a\": 2}", "\"tab\there\"", "{a: 1}", "[1.]", "nul"}) {
      Json.JsonException e = assertThrows(Json.JsonException.class, () -> Json.parse(bad), bad);
      assertTrue(e.getMessage().contains("offset"), e.getMessage());
    }
  }
}
