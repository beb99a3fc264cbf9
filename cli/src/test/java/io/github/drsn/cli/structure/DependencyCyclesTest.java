package io.github.drsn.cli.structure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The project's classes depend on each other without cycles, except where DL4J's layer API makes one: a layer
 * configuration ({@code model.layers}) instantiates its implementation ({@code model.layers.impl}), which reads its
 * configuration back. Measured on the compiled classes of every module on this test's class path with the JDK's
 * {@code jdeps}; nested classes count as their top-level class.
 */
class DependencyCyclesTest {

  private static final Pattern EDGE =
      Pattern.compile("^\\s+(io\\.github\\.drsn\\.[\\w.$]+)\\s+->\\s+(io\\.github\\.drsn\\.[\\w.$]+)");

  @Test
  void theOnlyCyclesAreDl4jLayerConfigurationsWithTheirImplementations() {
    List<String> roots = projectClassRoots();
    assertTrue(roots.size() >= 5, "the class path holds the project's modules: " + roots);
    Map<String, Set<String>> edges = new TreeMap<>();
    for (String root : roots) {
      StringWriter out = new StringWriter();
      int code = ToolProvider.findFirst("jdeps").orElseThrow()
          .run(new PrintWriter(out), new PrintWriter(new StringWriter()), "-verbose:class", "-filter:none", root);
      assertEquals(0, code, "jdeps on " + root);
      for (String line : out.toString().split("\n")) {
        Matcher m = EDGE.matcher(line);
        if (m.find()) {
          String from = topLevel(m.group(1));
          String to = topLevel(m.group(2));
          if (!from.equals(to)) {
            edges.computeIfAbsent(from, k -> new TreeSet<>()).add(to);
          }
        }
      }
    }
    assertTrue(edges.size() > 100, "jdeps saw the project's classes: " + edges.size());
    List<Set<String>> disallowed = new ArrayList<>();
    for (Set<String> cycle : stronglyConnected(edges)) {
      boolean layerPair = cycle.stream().allMatch(c -> c.startsWith("io.github.drsn.model.layers."));
      if (!layerPair) {
        disallowed.add(cycle);
      }
    }
    assertEquals(List.of(), disallowed, "classes that depend on each other in a cycle");
  }

  private static String topLevel(String name) {
    int nested = name.indexOf('$');
    return nested < 0 ? name : name.substring(0, nested);
  }

  /** Main-code class folders and jars of this repository's modules (not test classes, not third-party jars). */
  private static List<String> projectClassRoots() {
    Path repository = Path.of("").toAbsolutePath().getParent();
    List<String> roots = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(entry).toAbsolutePath();
      String name = p.getFileName().toString();
      if (p.startsWith(repository) && Files.exists(p) && !name.equals("test-classes") && !name.endsWith("-tests.jar")) {
        roots.add(p.toString());
      }
    }
    return roots;
  }

  /** Tarjan's strongly connected components with more than one class. */
  private static List<Set<String>> stronglyConnected(Map<String, Set<String>> edges) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new HashSet<>();
    List<Set<String>> components = new ArrayList<>();
    int[] counter = {0};
    Set<String> nodes = new TreeSet<>(edges.keySet());
    edges.values().forEach(nodes::addAll);
    for (String v : nodes) {
      if (!index.containsKey(v)) {
        connect(v, edges, index, low, stack, onStack, components, counter);
      }
    }
    return components;
  }

  private static void connect(String v, Map<String, Set<String>> edges, Map<String, Integer> index,
      Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<Set<String>> components, int[] counter) {
    index.put(v, counter[0]);
    low.put(v, counter[0]++);
    stack.push(v);
    onStack.add(v);
    for (String w : edges.getOrDefault(v, Set.of())) {
      if (!index.containsKey(w)) {
        connect(w, edges, index, low, stack, onStack, components, counter);
        low.put(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.contains(w)) {
        low.put(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v).equals(index.get(v))) {
      Set<String> component = new TreeSet<>();
      String w;
      do {
        w = stack.pop();
        onStack.remove(w);
        component.add(w);
      } while (!w.equals(v));
      if (component.size() > 1) {
        components.add(component);
      }
    }
  }
}
