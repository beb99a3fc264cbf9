package io.github.drsn.datasets.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The factory writes exactly what the mappers it replaced wrote: committed JSON files depend on it byte for byte. */
class JsonMappersTest {

  record Cell(String modelName, double accuracy, float loss, long windows, List<double[]> curves,
      Map<String, Integer> perClass) {
  }

  private static Cell cell() {
    Map<String, Integer> perClass = new LinkedHashMap<>();
    perClass.put("inner", 3);
    perClass.put("outer", 0);
    return new Cell("drsn-cw", 0.1 + 0.2, 1e-7f, 12_345_678_901L, List.of(new double[] {1.0, -0.5, 1e21}),
        perClass);
  }

  @Test
  void compactAndIndentedWriteWhatJacksonsDefaultsWrite() throws Exception {
    assertEquals(new ObjectMapper().writeValueAsString(cell()), JsonMappers.compact().writeValueAsString(cell()));
    assertEquals(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(cell()),
        JsonMappers.indented().writeValueAsString(cell()));
  }

  @Test
  void indentedOutputKeepsItsLayoutNumberFormatsAndKeyOrder() throws Exception {
    String expected = """
        {
          "model_name" : "drsn-cw",
          "accuracy" : 0.30000000000000004,
          "loss" : 1.0E-7,
          "windows" : 12345678901,
          "curves" : [ [ 1.0, -0.5, 1.0E21 ] ],
          "per_class" : {
            "inner" : 3,
            "outer" : 0
          }
        }""";
    ObjectMapper snake = JsonMappers.indented().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    assertEquals(expected, snake.writeValueAsString(cell()));
  }

  @Test
  void everyCallGivesAnIndependentMapper() throws Exception {
    ObjectMapper snake = JsonMappers.compact().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    assertTrue(snake.writeValueAsString(cell()).startsWith("{\"model_name\":\"drsn-cw\","));
    assertTrue(JsonMappers.compact().writeValueAsString(cell()).startsWith("{\"modelName\":\"drsn-cw\","));
  }
}
