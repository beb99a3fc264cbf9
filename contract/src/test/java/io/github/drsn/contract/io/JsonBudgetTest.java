package io.github.drsn.contract.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The parser's budget on values, and the compact forms of small and empty containers. */
class JsonBudgetTest {

  @Test
  void moreValuesThanTheBudgetAreRefusedWithTheOffset() {
    StringBuilder ok = new StringBuilder("[");
    for (int i = 0; i < Json.MAX_VALUES - 2; i++) {
      ok.append("0,");
    }
    ok.append("0]"); // the array and MAX_VALUES - 1 numbers
    assertEquals(Json.MAX_VALUES - 1, ((List<?>) Json.parse(ok.toString())).size());
    String over = "[0," + ok.substring(1);
    Json.JsonException e = assertThrows(Json.JsonException.class, () -> Json.parse(over));
    assertTrue(e.getMessage().contains("at most " + Json.MAX_VALUES + " values") && e.getMessage().contains("offset"),
        e.getMessage());
  }

  @Test
  void smallObjectsKeepTheirOrderCompareAsMapsAndCannotBeChanged() {
    @SuppressWarnings("unchecked")
    Map<String, Object> small = (Map<String, Object>) Json.parse("{\"b\": 1, \"a\": [2], \"c\": {}}");
    assertEquals(List.of("b", "a", "c"), List.copyOf(small.keySet()));
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("b", 1L);
    expected.put("a", List.of(2L));
    expected.put("c", Map.of());
    assertEquals(expected, small);
    assertEquals(small, expected);
    assertEquals(expected.hashCode(), small.hashCode());
    assertTrue(small.containsKey("a") && !small.containsKey("d") && small.get("d") == null);
    assertThrows(UnsupportedOperationException.class, () -> small.put("d", 1L));
    assertThrows(UnsupportedOperationException.class, () -> small.remove("a"));
    assertThrows(UnsupportedOperationException.class, small::clear);
    assertSame(Json.parse("{}"), Json.parse(" { } "), "one shared empty object");
    assertSame(Json.parse("[]"), Json.parse("[ ]"), "one shared empty array");
    StringBuilder nine = new StringBuilder("{");
    for (int i = 0; i < 9; i++) {
      nine.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> large = (Map<String, Object>) Json.parse(nine.append('}').toString());
    assertEquals(List.of("k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8"), List.copyOf(large.keySet()));
    assertThrows(UnsupportedOperationException.class, () -> large.put("d", 1L));
  }
}
