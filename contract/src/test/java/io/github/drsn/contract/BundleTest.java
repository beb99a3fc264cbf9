package io.github.drsn.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.contract.io.Json;
import io.github.drsn.signals.Normalization;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleTest {

  @TempDir Path dir;

  private static final InputSpec INPUT = new InputSpec(12_000, 64, 1, Normalization.Z_SCORE, Representation.TIME);

  private static ModelLayout small(Architecture architecture, NormKind norm) {
    return new ModelLayout(architecture, 64, 1, new int[] {4, 8}, 1, 3, 2, 3, norm, 2, Shortcut.ZERO_PAD);
  }

  private Path write(String name) throws Exception {
    Path file = dir.resolve(name);
    RandomBundles.write(file, small(Architecture.DRSN_CW, NormKind.BATCH_NORM), List.of("a", "b", "c"), INPUT, 7);
    return file;
  }

  @Test
  void roundTripsEveryArchitectureNormAndPrecision() throws Exception {
    for (Architecture architecture : Architecture.values()) {
      for (NormKind norm : List.of(NormKind.BATCH_NORM, NormKind.GROUP_NORM)) { // NONE is no trunk norm
        for (Bundle.Precision precision : Bundle.Precision.values()) {
          Bundle random = RandomBundles.random(small(architecture, norm), List.of("a", "b", "c"), INPUT, 3);
          Map<String, Object> metrics = new LinkedHashMap<>();
          metrics.put("test", Map.of("accuracy", 0.875, "windows", 64L));
          double[] parameters = random.parameters();
          parameters[0] = Math.PI; // a double that float32 cannot hold: must survive as float64 only
          Bundle original = new Bundle(random.layout(), random.classes(), INPUT, precision, parameters, "0.1.0-test",
              Instant.parse("2026-11-26T12:00:00Z"), Map.of("epochs", 3L), Map.of("seed", 42L), metrics);
          Path file = dir.resolve(architecture + "-" + norm + "-" + precision + ".drsn");
          original.write(file);
          Bundle loaded = Bundle.read(file);
          assertEquals(original.layout(), loaded.layout());
          assertEquals(original.input(), loaded.input());
          assertEquals(metrics, loaded.metrics());
          assertEquals(Map.of("epochs", 3L), loaded.training());
          assertEquals(precision == Bundle.Precision.DOUBLE ? Math.PI : (float) Math.PI, loaded.parameters()[0]);
          assertArrayEquals(Arrays.copyOfRange(original.floatParameters(), 1, parameters.length),
              Arrays.copyOfRange(loaded.floatParameters(), 1, parameters.length));
        }
      }
    }
  }

  @Test
  void aCalibrationSectionRoundTripsExactlyAndItsAbsenceMeansUncalibrated() throws Exception {
    ModelLayout layout = small(Architecture.DRSN_CW, NormKind.BATCH_NORM);
    Bundle plain = RandomBundles.random(layout, List.of("a", "b", "c"), INPUT, 3);
    assertEquals(null, plain.calibration());
    assertEquals(1.0, plain.temperature());
    Calibration calibration = RandomBundles.calibration(layout, 5);
    Bundle calibrated = plain.withCalibration(calibration);
    Path file = dir.resolve("calibrated.drsn");
    calibrated.write(file);
    Bundle loaded = Bundle.read(file);
    assertEquals(calibration, loaded.calibration());
    assertEquals(calibrated, loaded);
    assertEquals(1.5, loaded.temperature());
    assertEquals(3.5, loaded.calibration().threshold());
    assertEquals(OodMethod.MAHALANOBIS, loaded.calibration().method());
    // Units of 4 and 8 channels, then the 8 pooled features.
    assertEquals(3, loaded.calibration().layers().count());
    assertEquals(8, loaded.calibration().layers().layer(1).features());
    assertEquals(4.25, loaded.calibration().thresholds().get(OodMethod.MAHALANOBIS_LAYERS));
    // The background Gaussian of the relative Mahalanobis distance: one mean of the 8 pooled features, bit for bit.
    assertEquals(2.75, loaded.calibration().thresholds().get(OodMethod.RELATIVE_MAHALANOBIS));
    assertEquals(1, loaded.calibration().background().classCount());
    assertArrayEquals(calibration.background().precision(), loaded.calibration().background().precision(), 0.0);
    Bundle relative = plain.withCalibration(calibration.withMethod(OodMethod.RELATIVE_MAHALANOBIS));
    relative.write(file);
    assertEquals(relative, Bundle.read(file));
    assertEquals(2.75, Bundle.read(file).calibration().threshold());
    Path old = dir.resolve("plain.drsn");
    plain.write(old);
    assertEquals(null, Bundle.read(old).calibration());
  }

  @Test
  void aNanScoreIsUnknown() {
    Calibration c = RandomBundles.calibration(small(Architecture.DRSN_CW, NormKind.BATCH_NORM), 5);
    assertEquals(3.5, c.threshold());
    assertTrue(c.unknown(Double.NaN), "a NaN score vouches for nothing");
    assertTrue(c.unknown(Double.POSITIVE_INFINITY));
    assertTrue(c.unknown(Math.nextUp(3.5)));
    assertFalse(c.unknown(3.5), "at the threshold a window is still known");
    assertFalse(c.unknown(Double.NEGATIVE_INFINITY));
  }

  @Test
  void corruptCalibrationValuesAreRefusedNamingTheField() throws Exception {
    ModelLayout layout = small(Architecture.DRSN_CW, NormKind.BATCH_NORM);
    Path file = dir.resolve("c.drsn");
    RandomBundles.random(layout, List.of("a", "b", "c"), INPUT, 3).withCalibration(RandomBundles.calibration(layout, 5))
        .write(file);
    assertRefused(rewrite(file, "t0.drsn", root -> calibration(root).put("temperature", 0.0)),
        "calibration.temperature is 0.0, expected T in [0.01, 100.0]");
    // A T no fit gives would flatten every window to the uniform distribution (bundle.json has no checksum).
    assertRefused(rewrite(file, "thuge.drsn", root -> calibration(root).put("temperature", 1e300)),
        "calibration.temperature is 1.0E300, expected T in [0.01, 100.0]");
    assertRefused(rewrite(file, "tneg.drsn", root -> calibration(root).put("temperature", -2.0)),
        "calibration.temperature is -2.0");
    assertRefused(rewrite(file, "tnull.drsn", root -> calibration(root).put("temperature", Json.NULL)),
        "calibration.temperature must be a number");
    assertRefused(rewrite(file, "far.drsn", root -> calibration(root).put("false_alarm_rate", 1.5)),
        "calibration.false_alarm_rate is 1.5, expected a fraction in (0, 1)");
    assertRefused(rewrite(file, "ece.drsn", root -> calibration(root).put("ece_after", -0.1)),
        "calibration.ece_after is -0.1");
    assertRefused(rewrite(file, "method.drsn", root -> calibration(root).put("ood_method", "VIBES")),
        "calibration.ood_method names 'VIBES'");
    assertRefused(rewrite(file, "nothreshold.drsn", root -> calibration(root).put("thresholds", Map.of("ENERGY", -1.0))),
        "calibration.ood_method is MAHALANOBIS but calibration.thresholds has no MAHALANOBIS entry");
    assertRefused(rewrite(file, "features.drsn", root -> mahalanobis(root).put("features", 9L)),
        "calibration.mahalanobis.features is 9, the network pools 8 features");
    assertRefused(rewrite(file, "means.drsn", root -> mahalanobis(root).put("class_means", List.of(List.of(1.0)))),
        "calibration.mahalanobis.class_means has 1 entries, expected 3");
    assertRefused(rewrite(file, "nan.drsn", root -> {
      @SuppressWarnings("unchecked")
      List<Object> row = new java.util.ArrayList<>((List<Object>) ((List<Object>) mahalanobis(root).get("precision"))
          .get(2));
      row.set(1, Json.NULL);
      List<Object> rows = new java.util.ArrayList<>((List<Object>) mahalanobis(root).get("precision"));
      rows.set(2, row);
      mahalanobis(root).put("precision", rows);
    }), "calibration.mahalanobis.precision[2][1] must be a number, found null");
    assertRefused(rewrite(file, "asym.drsn", root -> {
      @SuppressWarnings("unchecked")
      List<Object> row = new java.util.ArrayList<>((List<Object>) ((List<Object>) mahalanobis(root).get("precision"))
          .get(2));
      row.set(1, 7.0);
      List<Object> rows = new java.util.ArrayList<>((List<Object>) mahalanobis(root).get("precision"));
      rows.set(2, row);
      mahalanobis(root).put("precision", rows);
    }), "calibration.mahalanobis.precision is not symmetric at [2][1]");
    assertRefused(rewrite(file, "notobject.drsn", root -> root.put("calibration", 3L)),
        "calibration must be an object");
  }

  @Test
  void aBundleCalibratedBeforeTheLayerEnsembleLoadsWithoutItAndOneClaimingItWithoutStatisticsIsRefused()
      throws Exception {
    ModelLayout layout = small(Architecture.DRSN_CW, NormKind.BATCH_NORM);
    Path file = dir.resolve("layers.drsn");
    RandomBundles.random(layout, List.of("a", "b", "c"), INPUT, 3).withCalibration(RandomBundles.calibration(layout, 5))
        .write(file);
    // The layer ensemble's threshold is in its own section: the thresholds an older drsn reads name methods it knows.
    rewrite(file, "look.drsn", root -> {
      assertEquals(Set.of("MAX_SOFTMAX", "ENERGY", "MAHALANOBIS"), ((Map<?, ?>) calibration(root).get("thresholds"))
          .keySet());
      assertEquals(4.25, section(root).get("threshold"));
    });
    // A bundle written before the layer ensemble (or read by a drsn that ignores the section): no such method.
    Bundle older = Bundle.read(rewrite(file, "older.drsn", root -> calibration(root).remove("mahalanobis_layers")));
    assertEquals(null, older.calibration().layers());
    assertEquals(Map.of(OodMethod.MAX_SOFTMAX, -0.6, OodMethod.ENERGY, -1.25, OodMethod.MAHALANOBIS, 3.5,
        OodMethod.RELATIVE_MAHALANOBIS, 2.75), older.calibration().thresholds());
    assertEquals(Bundle.read(file).calibration().mahalanobis(), older.calibration().mahalanobis());
    assertOwnSectionIsRequired(file, "MAHALANOBIS_LAYERS", "mahalanobis_layers", "statistics and threshold");
    assertRefused(rewrite(file, "count.drsn", root -> {
      List<Object> two = layers(root).subList(0, 2);
      section(root).put("layers", two);
    }),
        "calibration.mahalanobis_layers.layers has 2 entries, expected 3");
    assertRefused(rewrite(file, "width.drsn", root -> layer(root, 1).put("features", 9L)),
        "calibration.mahalanobis_layers.layers[1].features is 9, the network's layer has 8 channels");
    assertRefused(rewrite(file, "sd.drsn", root -> layer(root, 0).put("distance_sd", 0.0)),
        "calibration.mahalanobis_layers.layers[0].distance_sd is 0.0, expected a finite standard deviation >= ");
    // The floor is relative to the distances' scale: 1e-9 x max(1, |distance_mean|), as the fit applies it.
    assertRefused(rewrite(file, "relative.drsn", root -> {
      layer(root, 2).put("distance_mean", 4.0e6);
      layer(root, 2).put("distance_sd", 1.0e-3);
    }), "calibration.mahalanobis_layers.layers[2].distance_sd is 0.001, expected a finite standard deviation >= 0.004");
    Bundle atFloor = Bundle.read(rewrite(file, "floor.drsn", root -> {
      layer(root, 2).put("distance_mean", 4.0e6);
      layer(root, 2).put("distance_sd", 4.0e-3);
    }));
    assertEquals(4.0e-3, atFloor.calibration().layers().distanceSd(2));
    // bundle.json cannot hold a non-finite number (Json writes null); a program building the statistics can.
    Calibration.LayerEnsemble stats = Bundle.read(file).calibration().layers();
    double[] sd = stats.distanceSd();
    sd[1] = Double.POSITIVE_INFINITY;
    IllegalArgumentException infinite = assertThrows(IllegalArgumentException.class,
        () -> new Calibration.LayerEnsemble(stats.layers(), stats.distanceMean(), sd));
    assertTrue(infinite.getMessage().startsWith("calibration.mahalanobis_layers.layers[1].distance_sd is Infinity,"),
        infinite.getMessage());
    sd[1] = Double.NaN;
    assertThrows(IllegalArgumentException.class,
        () -> new Calibration.LayerEnsemble(stats.layers(), stats.distanceMean(), sd));
    // A layer's own checks name the layer's field, once, and nothing of calibration.mahalanobis.
    Path asymmetric = rewrite(file, "asym.drsn", root -> {
      @SuppressWarnings("unchecked")
      List<Object> rows = new java.util.ArrayList<>((List<Object>) layer(root, 1).get("precision"));
      @SuppressWarnings("unchecked")
      List<Object> row = new java.util.ArrayList<>((List<Object>) rows.get(2));
      row.set(1, 7.0);
      rows.set(2, row);
      layer(root, 1).put("precision", rows);
    });
    BundleFormatException e = assertThrows(BundleFormatException.class, () -> Bundle.read(asymmetric));
    assertTrue(e.getMessage().endsWith("invalid bundle.json: calibration.mahalanobis_layers.layers[1].precision is not"
        + " symmetric at [2][1] (7.0 vs " + Bundle.read(file).calibration().layers().layer(1).precision(1, 2) + ")"),
        e.getMessage());
    assertRefused(rewrite(file, "diagonal.drsn", root -> {
      @SuppressWarnings("unchecked")
      List<Object> rows = new java.util.ArrayList<>((List<Object>) layer(root, 0).get("precision"));
      @SuppressWarnings("unchecked")
      List<Object> row = new java.util.ArrayList<>((List<Object>) rows.get(3));
      row.set(3, -1.0);
      rows.set(3, row);
      layer(root, 0).put("precision", rows);
    }), "invalid bundle.json: calibration.mahalanobis_layers.layers[0].precision[3][3] is -1.0; a precision matrix has"
        + " a positive diagonal");
    assertRefused(rewrite(file, "mean.drsn", root -> layer(root, 2).put("distance_mean", Json.NULL)),
        "calibration.mahalanobis_layers.layers[2].distance_mean must be a number, found null");
  }

  @Test
  void aBundleCalibratedBeforeTheRelativeMahalanobisLoadsWithoutItAndMalformedStatisticsAreRefusedByField()
      throws Exception {
    ModelLayout layout = small(Architecture.DRSN_CW, NormKind.BATCH_NORM);
    Path file = dir.resolve("relative.drsn");
    Calibration calibration = RandomBundles.calibration(layout, 5);
    RandomBundles.random(layout, List.of("a", "b", "c"), INPUT, 3).withCalibration(calibration).write(file);
    // Its threshold and Gaussian are in their own section; the thresholds an older drsn reads name methods it knows.
    rewrite(file, "look.drsn", root -> {
      assertEquals(Set.of("MAX_SOFTMAX", "ENERGY", "MAHALANOBIS"), ((Map<?, ?>) calibration(root).get("thresholds"))
          .keySet());
      assertEquals(Set.of("threshold", "background"), relative(root).keySet());
      assertEquals(2.75, relative(root).get("threshold"));
      assertEquals(8L, background(root).get("features"));
    });
    Bundle older = Bundle.read(rewrite(file, "older.drsn", root -> {
      calibration(root).remove("relative_mahalanobis");
      calibration(root).remove("mahalanobis_layers");
    }));
    assertEquals(null, older.calibration().background());
    assertEquals(Map.of(OodMethod.MAX_SOFTMAX, -0.6, OodMethod.ENERGY, -1.25, OodMethod.MAHALANOBIS, 3.5),
        older.calibration().thresholds());
    assertEquals(calibration.mahalanobis(), older.calibration().mahalanobis());
    assertOwnSectionIsRequired(file, "RELATIVE_MAHALANOBIS", "relative_mahalanobis",
        "background Gaussian and threshold");
    assertRefused(rewrite(file, "nogaussian.drsn", root -> relative(root).remove("background")),
        "calibration.relative_mahalanobis.background must be an object, found null");
    assertRefused(rewrite(file, "twomeans.drsn", root -> {
      @SuppressWarnings("unchecked")
      List<Object> mean = (List<Object>) ((List<Object>) background(root).get("class_means")).get(0);
      background(root).put("class_means", List.of(mean, mean));
    }), "calibration.relative_mahalanobis.background.class_means has 2 entries, expected 1");
    assertRefused(rewrite(file, "width.drsn", root -> background(root).put("features", 9L)),
        "calibration.relative_mahalanobis.background.features is 9, the network pools 8 features");
    assertRefused(rewrite(file, "asym.drsn", root -> {
      @SuppressWarnings("unchecked")
      List<Object> rows = new java.util.ArrayList<>((List<Object>) background(root).get("precision"));
      @SuppressWarnings("unchecked")
      List<Object> row = new java.util.ArrayList<>((List<Object>) rows.get(2));
      row.set(1, 7.0);
      rows.set(2, row);
      background(root).put("precision", rows);
    }), "calibration.relative_mahalanobis.background.precision is not symmetric at [2][1]");
    assertRefused(rewrite(file, "nan.drsn", root -> {
      @SuppressWarnings("unchecked")
      List<Object> mean = new java.util.ArrayList<>((List<Object>) ((List<Object>) background(root)
          .get("class_means")).get(0));
      mean.set(4, Json.NULL);
      background(root).put("class_means", List.of(mean));
    }), "calibration.relative_mahalanobis.background.class_means[0][4] must be a number, found null");
    // Relative to nothing: a background Gaussian without the class Gaussians it is subtracted from.
    assertRefused(rewrite(file, "alone.drsn", root -> {
      calibration(root).remove("mahalanobis");
      calibration(root).remove("mahalanobis_layers");
      calibration(root).put("ood_method", "ENERGY");
      calibration(root).put("thresholds", Map.of("ENERGY", -1.25));
    }), "calibration.relative_mahalanobis needs the class Gaussians of calibration.mahalanobis, and there are none");
    // Built in code: the same rules, naming the same fields.
    Calibration.Mahalanobis twoMeans = new Calibration.Mahalanobis(new double[2][8], identity(8));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Calibration(1.5,
        OodMethod.MAHALANOBIS, calibration.thresholds(), 0.05, "test", 300, 0.08, 0.015, 0.4, 0.3,
        calibration.mahalanobis(), calibration.layers(), twoMeans, null));
    assertEquals("calibration.relative_mahalanobis.background.class_means has 2 rows, expected 1 (μ_0, the mean of"
        + " all training features)", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Calibration(1.5, OodMethod.MAHALANOBIS,
        calibration.thresholds(), 0.05, "test", 300, 0.08, 0.015, 0.4, 0.3, calibration.mahalanobis(),
        calibration.layers(), null, null));
    assertEquals("a RELATIVE_MAHALANOBIS threshold but no calibration.relative_mahalanobis.background statistics",
        e.getMessage());
  }

  /** {@code n} rows of {@code d} float32 values of unit L2 norm, pseudo-random. */
  private static float[] unitRows(int n, int d, long seed) {
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    float[] out = new float[n * d];
    for (int i = 0; i < n; i++) {
      double[] row = new double[d];
      double norm = 0;
      for (int j = 0; j < d; j++) {
        row[j] = random.nextGaussian();
        norm += row[j] * row[j];
      }
      for (int j = 0; j < d; j++) {
        out[i * d + j] = (float) (row[j] / Math.sqrt(norm));
      }
    }
    return out;
  }

  @Test
  void aKnnCalibrationKeepsItsFeaturesAsAnNpyEntryRoundTripsBitForBitAndOlderBundlesLoadWithoutIt() throws Exception {
    ModelLayout layout = small(Architecture.DRSN_CW, NormKind.BATCH_NORM);
    Bundle plain = RandomBundles.random(layout, List.of("a", "b", "c"), INPUT, 3);
    float[] rows = unitRows(60, 8, 11);
    Calibration calibration = RandomBundles.calibration(layout, 5)
        .withNeighbours(new Calibration.Neighbours(5, 8, rows), 0.625).withMethod(OodMethod.KNN);
    Path file = dir.resolve("knn.drsn");
    plain.withCalibration(calibration).write(file);
    Bundle loaded = Bundle.read(file);
    assertEquals(calibration, loaded.calibration());
    assertEquals(0.625, loaded.calibration().threshold());
    assertEquals(60, loaded.calibration().neighbours().count());
    assertArrayEquals(rows, loaded.calibration().neighbours().values(), 0f);
    // The features are an .npy entry of 60 x 8 float32 (not JSON numbers), its SHA-256 in the section.
    try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(file.toFile())) {
      ZipEntry entry = zip.getEntry(Calibration.NEIGHBOURS_ENTRY);
      io.github.drsn.contract.io.NpyArray npy = io.github.drsn.contract.io.Npy.read(
          zip.getInputStream(entry).readAllBytes(), file);
      assertArrayEquals(new int[] {60, 8}, npy.shape());
      assertEquals(io.github.drsn.contract.io.NpyArray.DType.FLOAT32, npy.dtype());
    }
    rewrite(file, "look.drsn", root -> {
      assertEquals(Set.of("MAX_SOFTMAX", "ENERGY", "MAHALANOBIS"), ((Map<?, ?>) calibration(root).get("thresholds"))
          .keySet());
      Map<String, Object> knn = editable(calibration(root), "knn");
      assertEquals(List.of("threshold", "k", "windows", "features", "sha256"), List.copyOf(knn.keySet()));
      assertEquals(5L, knn.get("k"));
      assertEquals(60L, knn.get("windows"));
    });
    // A bundle from before the method: no section (and an entry, if any, ignored): loads with the other methods.
    Bundle older = Bundle.read(rewrite(file, "older.drsn", root -> {
      calibration(root).remove("knn");
      calibration(root).put("ood_method", "MAHALANOBIS");
    }));
    assertEquals(null, older.calibration().neighbours());
    assertEquals(calibration.withMethod(OodMethod.MAHALANOBIS).thresholds().keySet().stream()
        .filter(m -> m != OodMethod.KNN).collect(java.util.stream.Collectors.toSet()),
        older.calibration().thresholds().keySet());
    // Asking such a bundle for KNN names the file and what is missing.
    assertOwnSectionIsRequired(file, "KNN", "knn", "threshold and normalised training features");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> older.calibration().withMethod(OodMethod.KNN));
    assertTrue(e.getMessage().startsWith("calibration.ood_method is KNN but calibration.thresholds has no KNN entry"),
        e.getMessage());
    // The section without its entry, a corrupt entry, sizes that disagree.
    Path noEntry = dir.resolve("noentry.drsn");
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(file));
        ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(noEntry))) {
      for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
        byte[] content = in.readAllBytes();
        if (!entry.getName().equals(Calibration.NEIGHBOURS_ENTRY)) {
          zip.putNextEntry(new ZipEntry(entry.getName()));
          zip.write(content);
          zip.closeEntry();
        }
      }
    }
    assertRefused(noEntry, "calibration.knn is present but there is no knn-features.npy entry");
    assertRefused(rewrite(file, "sha.drsn", root -> editable(calibration(root), "knn").put("sha256", "00")),
        "knn-features.npy does not match its recorded SHA-256");
    assertRefused(rewrite(file, "count.drsn", root -> editable(calibration(root), "knn").put("windows", 61L)),
        "knn-features.npy holds 480 values, calibration.knn records 61 windows x 8 features");
    assertRefused(rewrite(file, "k.drsn", root -> editable(calibration(root), "knn").put("k", 61L)),
        "calibration.knn.k is 61, expected 1 to the 60 training windows stored");
    assertRefused(rewrite(file, "width.drsn", root -> editable(calibration(root), "knn").put("features", 9L)),
        "calibration.knn.features is 9, the network pools 8 features");
    // Built in code: rows must be unit vectors (what the score assumes of them).
    e = assertThrows(IllegalArgumentException.class, () -> new Calibration.Neighbours(1, 2, new float[] {3, 4}));
    assertEquals("knn-features.npy row 0 has L2 norm 5.0, expected 1 (the features are stored normalised)",
        e.getMessage());
  }

  @Test
  void anEnsembleRefusesLayerStatistics() {
    ModelLayout layout = small(Architecture.DRSN_CW, NormKind.BATCH_NORM);
    Bundle one = RandomBundles.random(layout, List.of("a", "b", "c"), INPUT, 3);
    Calibration single = RandomBundles.calibration(layout, 5);
    // The ensemble's Mahalanobis statistics cover both members' pooled features: 16.
    Calibration.Mahalanobis both = new Calibration.Mahalanobis(new double[3][16], identity(16));
    Map<OodMethod, Double> thresholds = new java.util.EnumMap<>(single.thresholds());
    thresholds.remove(OodMethod.RELATIVE_MAHALANOBIS);
    Calibration withLayers = new Calibration(1.5, OodMethod.MAHALANOBIS, thresholds, 0.05, "test", 300, 0.08,
        0.015, 0.4, 0.3, both, single.layers(), null, null);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Bundle(layout, one.classes(),
        INPUT, Bundle.Precision.FLOAT, one.parameters(), "test", one.createdUtc(), Map.of(), Map.of(), Map.of(),
        withLayers, List.of(new Bundle.Member(layout, one.parameters()))));
    assertEquals("calibration.mahalanobis_layers is for a single network; this bundle is an ensemble", e.getMessage());
  }

  private static double[] identity(int d) {
    double[] out = new double[d * d];
    for (int i = 0; i < d; i++) {
      out[i * d + i] = 1;
    }
    return out;
  }

  /**
   * The refusals of a method whose threshold lives in its own section {@code key} of the calibration: the runtime's
   * method without the section, its threshold among the others, the section without a threshold.
   */
  private void assertOwnSectionIsRequired(Path file, String method, String key, String holds) throws Exception {
    assertRefused(rewrite(file, "claims.drsn", root -> {
      calibration(root).remove(key);
      calibration(root).put("ood_method", method);
    }), "calibration.ood_method is " + method + " but there is no calibration." + key + " section with its " + holds);
    assertRefused(rewrite(file, "misplaced.drsn", root -> calibration(root).put("thresholds",
        Map.of("MAHALANOBIS", 3.5, method, 1.0))),
        "calibration.thresholds has a " + method + " entry; its threshold belongs in calibration." + key + ".threshold");
    assertRefused(rewrite(file, "nothreshold.drsn", root -> editable(calibration(root), key).remove("threshold")),
        "calibration." + key + ".threshold must be a number, found null");
  }

  /** The object {@code parent} holds under {@code key}, replaced by an editable copy. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> editable(Map<String, Object> parent, String key) {
    Map<String, Object> copy = new java.util.LinkedHashMap<>((Map<String, Object>) parent.get(key));
    parent.put(key, copy);
    return copy;
  }

  /** The relative Mahalanobis distance's section, replaced by an editable copy. */
  private static Map<String, Object> relative(Map<String, Object> root) {
    return editable(calibration(root), "relative_mahalanobis");
  }

  /** Its background Gaussian, replaced by an editable copy. */
  private static Map<String, Object> background(Map<String, Object> root) {
    return editable(relative(root), "background");
  }

  /** The layer ensemble's section, replaced by an editable copy. */
  private static Map<String, Object> section(Map<String, Object> root) {
    return editable(calibration(root), "mahalanobis_layers");
  }

  @SuppressWarnings("unchecked")
  private static List<Object> layers(Map<String, Object> root) {
    return (List<Object>) section(root).get("layers");
  }

  /** Layer {@code l}'s object, replaced by an editable copy. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> layer(Map<String, Object> root, int l) {
    List<Object> all = new java.util.ArrayList<>(layers(root));
    Map<String, Object> copy = new java.util.LinkedHashMap<>((Map<String, Object>) all.get(l));
    all.set(l, copy);
    section(root).put("layers", all);
    return copy;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> calibration(Map<String, Object> root) {
    return (Map<String, Object>) root.get("calibration");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> mahalanobis(Map<String, Object> root) {
    return (Map<String, Object>) calibration(root).get("mahalanobis");
  }

  @Test
  void truncatedMissingForeignAndFolderInputsNameTheFile() throws Exception {
    byte[] bytes = Files.readAllBytes(write("m.drsn"));
    Path truncated = dir.resolve("truncated.drsn");
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
    assertRefused(truncated, "truncated.drsn");
    assertRefused(dir.resolve("nope.drsn"), "no such file");
    Path text = dir.resolve("text.drsn");
    Files.writeString(text, "not a bundle");
    assertRefused(text, "text.drsn");
    assertRefused(dir, "is a folder");
  }

  @Test
  void anOrderDomainBundleRoundTripsAsVersionThreeAndOthersStayAsTheyWere() throws Exception {
    InputSpec orders = new InputSpec(12_800, 128, 1, Normalization.Z_SCORE, Representation.ENVELOPE_SPECTRUM, 512);
    assertEquals(65, orders.featureLength());
    assertEquals(512, orders.featureRate(), 0);
    assertEquals(25 * 512, orders.windowRate(25), 0); // 1500 rpm: 12,800 samples per second
    ModelLayout layout = new ModelLayout(Architecture.DRSN_CW, 65, 1, new int[] {4, 8}, 1, 3, 2, 3,
        NormKind.BATCH_NORM, 2, Shortcut.ZERO_PAD);
    Path file = dir.resolve("orders.drsn");
    RandomBundles.write(file, layout, List.of("a", "b", "c"), orders, 7);
    Bundle loaded = Bundle.read(file);
    assertEquals(orders, loaded.input());
    assertEquals(512, loaded.input().samplesPerRevolution(), 0);
    Map<String, Object> root = metadata(file);
    assertEquals(3L, root.get("format_version"));
    assertEquals(512.0, ((Map<?, ?>) root.get("input")).get("samples_per_revolution"));
    assertTrue(loaded.card().toMarkdown().contains("Sees 128 samples per window at 512 samples per shaft revolution"
        + " (0.25 revolutions, orders up to 256)"), loaded.card().toMarkdown());
    // a model that is not order domain is written exactly as before: version 1, no key
    Map<String, Object> plain = metadata(write("plain.drsn"));
    assertEquals(1L, plain.get("format_version"));
    assertTrue(!((Map<?, ?>) plain.get("input")).containsKey("samples_per_revolution"));
    assertEquals(0, Bundle.read(dir.resolve("plain.drsn")).input().samplesPerRevolution(), 0);
    // version 1 with the key would be read by an old drsn that ignores it: refused
    assertRefused(rewrite(file, "v1.drsn", r -> r.put("format_version", 1L)),
        "input.samples_per_revolution needs format version 3");
    assertRefused(rewrite(file, "negative.drsn", r -> ((Map<String, Object>) r.get("input"))
        .put("samples_per_revolution", -512.0)), "samples per revolution must be finite and > 0");
  }

  @Test
  @SuppressWarnings("unchecked")
  void channelNamesRoundTripInOrderAndABundleWithoutThemLoadsAsBefore() throws Exception {
    InputSpec named = new InputSpec(12_000, 64, 2, Normalization.Z_SCORE, Representation.TIME, 0,
        List.of("DE", "FE"));
    ModelLayout layout = new ModelLayout(Architecture.DRSN_CW, 64, 2, new int[] {4, 8}, 1, 3, 2, 3,
        NormKind.BATCH_NORM, 2, Shortcut.ZERO_PAD);
    Path file = dir.resolve("named.drsn");
    RandomBundles.write(file, layout, List.of("a", "b", "c"), named, 7);
    Bundle loaded = Bundle.read(file);
    assertEquals(List.of("DE", "FE"), loaded.input().channelNames());
    assertEquals(named, loaded.input());
    Map<String, Object> root = metadata(file);
    // No new version: an older drsn ignores the key and chooses channels as it always did.
    assertEquals(1L, root.get("format_version"));
    assertEquals(List.of("DE", "FE"), ((Map<?, ?>) root.get("input")).get("channel_names"));
    assertEquals(List.of("DE", "FE"), ((Map<?, ?>) ((Map<?, ?>) loaded.card().json().get("model_details"))
        .get("input")).get("channel_names"));
    assertTrue(loaded.input().toString().contains("2 channels [DE, FE] x 64 samples"), loaded.input().toString());

    // Without names (every bundle written before they were recorded): loads, names unknown, key left out again.
    Bundle old = Bundle.read(rewrite(file, "old.drsn", r -> ((Map<String, Object>) r.get("input"))
        .remove("channel_names")));
    assertEquals(List.of(), old.input().channelNames());
    assertFalse(old.input().namedChannels());
    assertEquals(named.withChannelNames(List.of()), old.input());
    assertTrue(old.card().toJson().contains("not recorded in this bundle"), old.card().toJson());
    Map<String, Object> plain = metadata(write("plain.drsn"));
    assertFalse(((Map<?, ?>) plain.get("input")).containsKey("channel_names"));

    // A malformed list is refused naming the field.
    assertRefused(rewrite(file, "count.drsn", r -> ((Map<String, Object>) r.get("input"))
        .put("channel_names", List.of("DE"))), "1 channel names [DE] for 2 channels");
    assertRefused(rewrite(file, "same.drsn", r -> ((Map<String, Object>) r.get("input"))
        .put("channel_names", List.of("DE", "de"))), "channel names must be distinct");
    assertRefused(rewrite(file, "number.drsn", r -> ((Map<String, Object>) r.get("input"))
        .put("channel_names", List.of("DE", 3L))), "input.channel_names must be strings");
    assertRefused(rewrite(file, "empty.drsn", r -> ((Map<String, Object>) r.get("input"))
        .put("channel_names", List.of())), "input.channel_names is empty");
    assertRefused(rewrite(file, "blank.drsn", r -> ((Map<String, Object>) r.get("input"))
        .put("channel_names", List.of("DE", " "))), "must be non-blank");
  }

  @Test
  void aRecordingsChannelsAreChosenByNameAndAMissingOneIsRefusedNamingBoth() {
    InputSpec named = new InputSpec(12_000, 64, 2, Normalization.Z_SCORE, Representation.TIME, 0,
        List.of("DE", "FE"));
    // CWRU variables offer their position; the file's order does not matter.
    assertArrayEquals(new int[] {1, 0}, named.channelIndices(List.of("X097_FE_time", "X097_DE_time"), "97.mat"));
    assertArrayEquals(new int[] {0, 2}, named.channelIndices(List.of("de", "time", "fe"), "a.csv"));
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> named.channelIndices(List.of("X097_DE_time", "X097_BA_time"), "97.mat"));
    assertTrue(missing.getMessage().contains("97.mat has channels [X097_DE_time, X097_BA_time] but the model expects"
        + " [DE, FE] (in that order), and [FE] is missing"), missing.getMessage());
    IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
        () -> named.channelIndices(List.of("DE", "X1_DE_time", "FE"), "x.mat"));
    assertTrue(twice.getMessage().contains("several channels [DE, X1_DE_time]"), twice.getMessage());
    assertEquals("DE", InputSpec.channelName("X105_DE_time"));
    assertEquals("acc_x", InputSpec.channelName("acc_x"));
    assertThrows(IllegalStateException.class, () -> INPUT.channelIndices(List.of("DE"), "x"));
    // The members of an ensemble must have been trained on the same channels.
    ModelLayout layout = new ModelLayout(Architecture.DRSN_CW, 64, 2, new int[] {4, 8}, 1, 3, 2, 3,
        NormKind.BATCH_NORM, 2, Shortcut.ZERO_PAD);
    Bundle de = RandomBundles.random(layout, List.of("a", "b", "c"), named, 1);
    Bundle swapped = RandomBundles.random(layout, List.of("a", "b", "c"), named.withChannelNames(List.of("FE", "DE")),
        2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ensemble(de, swapped));
    assertTrue(e.getMessage().contains("must share the input specification"), e.getMessage());
    assertEquals(named, ensemble(de, RandomBundles.random(layout, List.of("a", "b", "c"), named, 3)).input());
    // A member written before names were recorded may join; the ensemble then records none.
    Bundle unnamed = RandomBundles.random(layout, List.of("a", "b", "c"), named.withChannelNames(List.of()), 4);
    assertEquals(List.of(), ensemble(de, unnamed).input().channelNames());
  }

  @Test
  @SuppressWarnings("unchecked")
  void aThresholdNormOtherThanTheTrunksHasItsOwnStatisticsAndIsRecordedOnlyWhenItDiffers() throws Exception {
    // DRSN-CW, one stage of 4 channels with one unit, 3 classes: group norm in the trunk, batch norm in the
    // threshold sub-network. By hand: stem 4·1·3 + 4 = 16; unit n1 γ,β 8, conv1 4·4·3 + 4 = 52, n2 γ,β 8,
    // conv2 52, FC1 16 + 4 = 20, tn γ,β 8, FC2 16 + 4 = 20 and tn's running mean and variance 8 (176); head γ,β 8;
    // output 4·3 + 3 = 15: 215. Group norm there too has no running statistics (207); batch norm everywhere adds
    // n1's, n2's and the head's (239).
    ModelLayout mixed = new ModelLayout(Architecture.DRSN_CW, 64, 1, new int[] {4}, 1, 3, 2, 3, NormKind.GROUP_NORM,
        2, Shortcut.ZERO_PAD, NormKind.BATCH_NORM);
    assertEquals(215, mixed.parameterCount());
    assertEquals(207, new ModelLayout(Architecture.DRSN_CW, 64, 1, new int[] {4}, 1, 3, 2, 3, NormKind.GROUP_NORM,
        2, Shortcut.ZERO_PAD).parameterCount());
    assertEquals(239, new ModelLayout(Architecture.DRSN_CW, 64, 1, new int[] {4}, 1, 3, 2, 3, NormKind.BATCH_NORM,
        2, Shortcut.ZERO_PAD).parameterCount());
    List<String> names = mixed.parameters().stream().map(ModelLayout.Param::name).toList();
    assertEquals(List.of("1_t2W", "1_t2b", "1_tnMean", "1_tnVar", "2_nGamma"), names.subList(14, 19));
    assertTrue(!names.contains("1_n1Mean") && !names.contains("2_nMean"), names.toString());
    assertTrue(mixed.toString().contains("group norm (2), batch norm in the threshold sub-networks"), mixed.toString());

    Path file = dir.resolve("mixed.drsn");
    RandomBundles.write(file, mixed, List.of("a", "b", "c"), INPUT, 5);
    assertEquals(mixed, Bundle.read(file).layout());
    assertEquals("BATCH_NORM", model(metadata(file)).get("threshold_normalization"));
    String card = Bundle.read(file).card().toMarkdown();
    assertTrue(card.contains("- norm: \"group_norm\"") && card.contains("- threshold_norm: \"batch_norm\""), card);
    assertEquals(1L, metadata(file).get("format_version"));
    // the same norm everywhere is written exactly as before: no key, and its absence reads as the trunk's norm
    assertTrue(!model(metadata(write("plain.drsn"))).containsKey("threshold_normalization"));
    assertEquals(NormKind.BATCH_NORM, Bundle.read(dir.resolve("plain.drsn")).layout().thresholdNormalization());
    // a reader that ignores the key (an older drsn) expects the trunk's norm there and refuses the layout
    assertRefused(rewrite(file, "no-key.drsn", r -> model(r).remove("threshold_normalization")),
        "its parameter layout records 22 arrays, the architecture it names has 20");
    assertRefused(rewrite(file, "bad-key.drsn", r -> model(r).put("threshold_normalization", "LAYER_NORM")),
        "model.threshold_normalization");
  }

  @Test
  void noNormInTheThresholdSubNetworksHasNoParametersThereAndRoundTripsBitForBit() throws Exception {
    // The layout of the test above with no norm in the threshold sub-network: 207 (group norm there) minus tn's
    // γ and β (8) = 199, and no tn array at all.
    ModelLayout none = new ModelLayout(Architecture.DRSN_CW, 64, 1, new int[] {4}, 1, 3, 2, 3, NormKind.GROUP_NORM,
        2, Shortcut.ZERO_PAD, NormKind.NONE);
    assertEquals(199, none.parameterCount());
    List<String> names = none.parameters().stream().map(ModelLayout.Param::name).toList();
    assertEquals(List.of("1_t1W", "1_t1b", "1_t2W", "1_t2b", "2_nGamma"), names.subList(10, 15));
    assertTrue(names.stream().noneMatch(n -> n.startsWith("1_tn")), names.toString());
    assertTrue(none.toString().contains("group norm (2), no norm in the threshold sub-networks"), none.toString());
    // under a batch-norm trunk: 239 minus tn's γ, β, running mean and variance (16)
    assertEquals(223, new ModelLayout(Architecture.DRSN_CW, 64, 1, new int[] {4}, 1, 3, 2, 3, NormKind.BATCH_NORM,
        2, Shortcut.ZERO_PAD, NormKind.NONE).parameterCount());

    Path file = dir.resolve("none.drsn");
    float[] written = RandomBundles.write(file, none, List.of("a", "b", "c"), INPUT, 5);
    Bundle read = Bundle.read(file);
    assertEquals(none, read.layout());
    assertArrayEquals(written, read.floatParameters());
    assertEquals("NONE", model(metadata(file)).get("threshold_normalization"));
    assertTrue(read.card().toMarkdown().contains("- threshold_norm: \"none\""), read.card().toMarkdown());
    Path again = dir.resolve("none-again.drsn");
    read.write(again);
    assertArrayEquals(entries(file).get(Bundle.PARAMETERS_ENTRY), entries(again).get(Bundle.PARAMETERS_ENTRY));
    assertArrayEquals(entries(file).get(Bundle.METADATA_ENTRY), entries(again).get(Bundle.METADATA_ENTRY));
    // an older reader that ignores the key expects group norm's γ and β there and refuses the layout
    assertRefused(rewrite(file, "none-no-key.drsn", r -> model(r).remove("threshold_normalization")),
        "its parameter layout records 18 arrays, the architecture it names has 20");
    // no norm is only for the threshold sub-networks
    assertRefused(rewrite(file, "none-trunk.drsn", r -> model(r).put("normalization", "NONE")),
        "normalization NONE is only for the threshold sub-networks");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ModelLayout(
        Architecture.DRSN_CW, 64, 1, new int[] {4}, 1, 3, 2, 3, NormKind.NONE, 2, Shortcut.ZERO_PAD));
    assertTrue(e.getMessage().contains("BATCH_NORM or GROUP_NORM"), e.getMessage());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> metadata(Path file) throws Exception {
    try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(file.toFile())) {
      return (Map<String, Object>) Json.parse(new String(zip.getInputStream(zip.getEntry(Bundle.METADATA_ENTRY))
          .readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void otherVersionsTamperedLayoutsAndChecksumsAreRefused() throws Exception {
    Path file = write("m.drsn");
    assertRefused(rewrite(file, "future.drsn", root -> root.put("format_version", 4L)),
        "format version 4 (written by drsn test); this drsn reads format versions 1 to 3; upgrade drsn");
    assertRefused(rewrite(file, "v2-single.drsn", root -> root.put("format_version", 2L)),
        "must have an ensemble section");
    assertRefused(rewrite(file, "wider.drsn", root -> model(root).put("stage_channels", List.of(8L, 8L))),
        "parameter 0 is 0_W[4, 1, 1, 3], the architecture it names has 0_W[8, 1, 1, 3]");
    assertRefused(rewrite(file, "sha.drsn", root -> parameters(root).put("sha256", "0".repeat(64))), "SHA-256");
    assertRefused(rewrite(file, "arch.drsn", root -> root.put("architecture", "lenet")), "unknown architecture 'lenet'");
    assertRefused(rewrite(file, "norm.drsn", root -> model(root).put("normalization", "LAYER_NORM")),
        "model.normalization is 'LAYER_NORM'");
  }

  @Test
  void absurdSizesAreRefusedBeforeAnythingIsAllocated() throws Exception {
    Path file = write("m.drsn");
    assertRefused(rewrite(file, "units.drsn", root -> model(root).put("units_per_stage", 200_000L)),
        "units per stage must be between 1 and 64");
    assertRefused(rewrite(file, "channels.drsn", root -> model(root).put("stage_channels", List.of(4096L, 4096L))),
        "parameters, more than the limit");
    assertRefused(rewrite(file, "classes.drsn", root -> model(root).put("classes", 2_000_000_000L)),
        "classes must be between");
    assertRefused(rewrite(file, "wide.drsn", root -> {
      model(root).put("input_length", 4_194_304L);
      model(root).put("stage_channels", List.of(600L));
    }), "feature maps of");
    assertRefused(rewrite(file, "stages.drsn", root -> model(root).put("stage_channels", java.util.Collections.nCopies(
        100_000, 4L))), "at most 16 are allowed");
  }

  @Test
  void nonFiniteParametersDuplicateEntriesAndInflationBombsAreRefused() throws Exception {
    Bundle good = Bundle.read(write("m.drsn"));
    double[] p = good.parameters();
    p[5] = Double.NaN;
    IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> new Bundle(good.layout(),
        good.classes(), good.input(), good.precision(), p, "x", Instant.EPOCH, null, null, null));
    assertTrue(nan.getMessage().contains("parameter value 5 (0_W) is NaN"), nan.getMessage());

    Path twice = dir.resolve("twice.drsn");
    byte[] metadata = entries(write("m2.drsn")).get(Bundle.METADATA_ENTRY);
    Files.write(twice, duplicateFirstEntry(zip(Bundle.METADATA_ENTRY, metadata)));
    assertRefused(twice, "two entries named bundle.json");

    Path bomb = dir.resolve("bomb.drsn");
    Files.write(bomb, zip(Bundle.METADATA_ENTRY, new byte[17 << 20])); // 17 MB of zeros deflate to ~17 KB
    assertRefused(bomb, "inflates to more than");
  }

  @Test
  void aBundleWrittenBeforeEnsemblesExistedLoadsAsOneMemberAndIsRewrittenAsVersion1() throws Exception {
    // A version-1 bundle committed before ensembles were added (the fuzz corpus's valid seed, without card entries).
    Path old = Path.of(getClass().getResource(
        "/io/github/drsn/contract/fuzz/ContractReadersFuzzTestInputs/bundleArchive/valid").toURI());
    Bundle bundle = Bundle.read(old);
    assertEquals(1, bundle.members().size());
    assertTrue(!bundle.isEnsemble());
    assertEquals(List.of("a", "b", "c"), bundle.classes());
    assertArrayEquals(bundle.parameters(), bundle.members().get(0).parameters());
    Path again = dir.resolve("again.drsn");
    bundle.write(again);
    Map<String, byte[]> before = entries(old);
    Map<String, byte[]> after = entries(again);
    // A single network is still written as version 1, byte for byte: older drsn versions keep reading it.
    assertArrayEquals(before.get(Bundle.METADATA_ENTRY), after.get(Bundle.METADATA_ENTRY));
    assertArrayEquals(before.get(Bundle.PARAMETERS_ENTRY), after.get(Bundle.PARAMETERS_ENTRY));
    assertEquals(bundle, Bundle.read(again));
  }

  private static Bundle part(Architecture architecture, long seed) {
    return RandomBundles.random(small(architecture, NormKind.BATCH_NORM), List.of("a", "b", "c"), INPUT, seed);
  }

  private static Bundle ensemble(Bundle... parts) {
    return Bundle.ensembleOf(List.of(parts), "test", Instant.parse("2026-01-01T00:00:00Z"), Map.of("k", 1L),
        Map.of("members_from", List.of("x", "y", "z")), Map.of());
  }

  @Test
  void anEnsembleRoundTripsExactlyAsVersion2WithOneParameterEntryPerMember() throws Exception {
    Bundle a = part(Architecture.DRSN_CW, 1);
    Bundle b = part(Architecture.RESNET, 2);
    ModelLayout deeper = new ModelLayout(Architecture.DRSN_CS, 64, 1, new int[] {4, 8, 12}, 2, 3, 2, 3,
        NormKind.GROUP_NORM, 2, Shortcut.ZERO_PAD);
    Bundle c = RandomBundles.random(deeper, List.of("a", "b", "c"), INPUT, 3);
    Bundle e = ensemble(a, b, c);
    assertEquals(3, e.members().size());
    assertTrue(e.isEnsemble());
    assertEquals(8 + 8 + 12, e.pooledFeatures());
    assertEquals(deeper, e.members().get(2).layout());
    Path file = dir.resolve("e.drsn");
    e.write(file);
    Bundle read = Bundle.read(file);
    assertEquals(e, read);
    for (int m = 0; m < 3; m++) {
      assertArrayEquals(List.of(a, b, c).get(m).parameters(), read.members().get(m).parameters(), "member " + m);
    }
    Map<String, byte[]> entries = entries(file);
    assertTrue(entries.containsKey("member-1.npy") && entries.containsKey("member-2.npy"), entries.keySet().toString());
    Map<String, Object> root = deepCopy(Json.parse(new String(entries.get(Bundle.METADATA_ENTRY),
        StandardCharsets.UTF_8)));
    // An older drsn reads format version 1 only and refuses 2 ("upgrade drsn to load it"): never member 0 alone.
    assertEquals(2L, root.get("format_version"));

    assertRefused(rewrite(file, "no-ensemble.drsn", r -> r.remove("ensemble")), "must have an ensemble section");
    assertRefused(rewrite(file, "v1-ensemble.drsn", r -> r.put("format_version", 1L)),
        "format version 1 has no ensemble section");
    assertRefused(rewrite(file, "member-sha.drsn", r -> parameters(others(r).get(0)).put("sha256", "0".repeat(64))),
        "member-1.npy does not match its recorded SHA-256");
    assertRefused(rewrite(file, "member-arch.drsn", r -> others(r).get(1).put("architecture", "resnet")),
        "the architecture it names has");
    assertRefused(rewrite(file, "member-classes.drsn", r -> model(others(r).get(0)).put("classes", 4L)),
        "ensemble.others[0].parameter 30 is 4_W[8, 3]");
    assertRefused(rewrite(file, "member-precision.drsn", r -> model(others(r).get(0)).put("data_type", "DOUBLE")),
        "ensemble.others[0].model.data_type is DOUBLE, the first member's is FLOAT");
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> others(Map<String, Object> root) {
    return (List<Map<String, Object>>) ((Map<String, Object>) root.get("ensemble")).get("others");
  }

  @Test
  void membersOfOtherClassesInputsOrPrecisionAreRefusedNamingTheModel() {
    Bundle a = part(Architecture.DRSN_CW, 1);
    Bundle otherClasses = RandomBundles.random(small(Architecture.DRSN_CW, NormKind.BATCH_NORM),
        List.of("a", "c", "b"), INPUT, 2);
    IllegalArgumentException classes = assertThrows(IllegalArgumentException.class,
        () -> ensemble(a, part(Architecture.RESNET, 3), otherClasses));
    assertEquals("model 3 has classes [a, c, b], model 1 has [a, b, c]; the members of an ensemble must give the same"
        + " classes in the same order", classes.getMessage());
    Bundle otherRate = RandomBundles.random(small(Architecture.DRSN_CW, NormKind.BATCH_NORM), List.of("a", "b", "c"),
        new InputSpec(48_000, 64, 1, Normalization.Z_SCORE, Representation.TIME), 2);
    IllegalArgumentException input = assertThrows(IllegalArgumentException.class, () -> ensemble(a, otherRate));
    assertTrue(input.getMessage().startsWith("model 2 takes input"), input.getMessage());
    assertTrue(input.getMessage().contains("must share the input specification"), input.getMessage());
    IllegalArgumentException nested = assertThrows(IllegalArgumentException.class,
        () -> ensemble(a, ensemble(a, a)));
    assertTrue(nested.getMessage().contains("model 2 is itself an ensemble of 2 members"), nested.getMessage());
    IllegalArgumentException one = assertThrows(IllegalArgumentException.class, () -> ensemble(a));
    assertEquals("an ensemble needs at least 2 models, got 1", one.getMessage());
    // The record itself refuses a member whose sizes do not give the ensemble's classes.
    ModelLayout fourClasses = new ModelLayout(Architecture.RESNET, 64, 1, new int[] {4, 8}, 1, 3, 2, 4,
        NormKind.BATCH_NORM, 2, Shortcut.ZERO_PAD);
    Bundle.Member wrong = new Bundle.Member(fourClasses, new double[fourClasses.parameterCount()]);
    IllegalArgumentException member = assertThrows(IllegalArgumentException.class, () -> new Bundle(a.layout(),
        a.classes(), a.input(), a.precision(), a.parameters(), "x", Instant.EPOCH, null, null, null, null,
        List.of(wrong)));
    assertTrue(member.getMessage().startsWith("ensemble member 1 ("), member.getMessage());
    assertTrue(member.getMessage().contains("has 4 outputs, the ensemble has 3 classes"), member.getMessage());
  }

  private static void assertRefused(Path file, String expected) {
    BundleFormatException e = assertThrows(BundleFormatException.class, () -> Bundle.read(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> model(Map<String, Object> root) {
    return (Map<String, Object>) root.get("model");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> parameters(Map<String, Object> root) {
    return (Map<String, Object>) root.get("parameters");
  }

  private static Map<String, byte[]> entries(Path file) throws Exception {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(file))) {
      for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
        entries.put(entry.getName(), in.readAllBytes());
      }
    }
    return entries;
  }

  private static byte[] zip(String name, byte[] content) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry(name));
      zip.write(content);
      zip.closeEntry();
    }
    return out.toByteArray();
  }

  /**
   * The archive with its first local entry repeated in front: a streaming reader sees the entry twice (a writer
   * such as ZipOutputStream refuses to make such a file, an attacker's tool does not).
   */
  private static byte[] duplicateFirstEntry(byte[] zip) {
    int central = indexOf(zip, new byte[] {0x50, 0x4b, 0x01, 0x02});
    byte[] entry = Arrays.copyOfRange(zip, 0, central);
    byte[] out = new byte[entry.length + zip.length];
    System.arraycopy(entry, 0, out, 0, entry.length);
    System.arraycopy(zip, 0, out, entry.length, zip.length);
    return out;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new IllegalStateException("no central directory");
  }

  private Path rewrite(Path file, String name, Consumer<Map<String, Object>> edit) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(file));
        ZipOutputStream zip = new ZipOutputStream(out)) {
      for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
        byte[] content = in.readAllBytes();
        if (entry.getName().equals(Bundle.METADATA_ENTRY)) {
          Map<String, Object> root = deepCopy(Json.parse(new String(content, StandardCharsets.UTF_8)));
          edit.accept(root);
          content = Json.write(root).getBytes(StandardCharsets.UTF_8);
        }
        zip.putNextEntry(new ZipEntry(entry.getName()));
        zip.write(content);
        zip.closeEntry();
      }
    }
    Path target = dir.resolve(name);
    Files.write(target, out.toByteArray());
    return target;
  }

  @SuppressWarnings("unchecked")
  private static <T> T deepCopy(Object value) {
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> copy = new LinkedHashMap<>();
      m.forEach((k, v) -> copy.put((String) k, deepCopy(v)));
      return (T) copy;
    }
    if (value instanceof List<?> l) {
      return (T) l.stream().map(BundleTest::deepCopy).toList();
    }
    return (T) value;
  }
}
