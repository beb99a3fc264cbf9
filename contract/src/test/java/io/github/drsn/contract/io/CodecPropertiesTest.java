package io.github.drsn.contract.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Round trips of the contract's codecs over generated values: what is written reads back as it was. */
class CodecPropertiesTest {

  @Property(tries = 300)
  void jsonWrittenByTheWriterParsesBackToTheSameValue(@ForAll("json") Object value) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("value", value);
    assertEquals(root, Json.parse(Json.write(root)));
  }

  @Property(tries = 200)
  void npyFloatArraysRoundTrip(@ForAll @Size(max = 2000) List<Float> values) throws Exception {
    float[] data = new float[values.size()];
    for (int i = 0; i < data.length; i++) {
      data[i] = values.get(i);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Npy.write(bytes, NpyArray.ofFloats(data, data.length));
    assertArrayEquals(data, Npy.read(bytes.toByteArray(), Path.of("p.npy")).toFloatArray());
  }

  @Provide
  Arbitrary<Object> json() {
    Arbitrary<Object> scalars = Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(20).map(s -> (Object) s),
        Arbitraries.longs().map(l -> (Object) l),
        Arbitraries.doubles().filter(d -> d != Math.rint(d) || Math.abs(d) > 1e18).map(d -> (Object) d),
        Arbitraries.of(true, false).map(b -> (Object) b),
        Arbitraries.just(Json.NULL));
    return Arbitraries.recursive(() -> scalars,
        inner -> Arbitraries.oneOf(
            inner.list().ofMaxSize(4).map(l -> (Object) l),
            Arbitraries.maps(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(6), inner).ofMaxSize(4)
                .map(m -> (Object) new LinkedHashMap<>(m))),
        3);
  }
}
