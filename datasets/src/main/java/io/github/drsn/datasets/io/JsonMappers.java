package io.github.drsn.datasets.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one place the project's Jackson {@link ObjectMapper}s are made, so that a project-wide JSON setting is made
 * once for every module that uses Jackson (datasets, drsn-model, the CLI). The drsn-runtime module does not use
 * Jackson and keeps its own small parser.
 *
 * <p>The settings are Jackson's defaults, on purpose: committed result files are compared byte for byte with what
 * the code writes, so a change here is a change of every JSON file the project writes. Each call returns a new
 * mapper, which callers may configure further (e.g. snake_case property names) without affecting others.
 */
public final class JsonMappers {

  private JsonMappers() {
  }

  /** A mapper with compact output (one line, no spaces), as Jackson writes by default. */
  public static ObjectMapper compact() {
    return JsonMapper.builder().build();
  }

  /**
   * A mapper with indented output: Jackson's default pretty printer (objects indented by two spaces with
   * {@code "key" : value}, arrays of numbers on one line).
   */
  public static ObjectMapper indented() {
    return JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
  }
}
