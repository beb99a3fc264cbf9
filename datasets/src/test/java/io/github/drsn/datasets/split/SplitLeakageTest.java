package io.github.drsn.datasets.split;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.datasets.Dataset;
import io.github.drsn.datasets.OperatingCondition;
import io.github.drsn.datasets.Recording;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SplitLeakageTest {

  /** Three classes × four loads, lengths varying so that region boundaries fall at awkward places. */
  private static Dataset dataset() {
    SplittableRandom random = new SplittableRandom(7);
    List<Recording> recordings = new ArrayList<>();
    List<String> classes = List.of("a", "b", "c");
    for (String label : classes) {
      for (int load = 0; load < 4; load++) {
        int n = 20_000 + random.nextInt(5_000);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
          x[i] = random.nextGaussian();
        }
        recordings.add(Recording.of(label + load, label, 12_000, x, new OperatingCondition(load, 1800 - 25 * load)));
      }
    }
    return new Dataset("toy", classes, recordings, List.of());
  }

  private static Map<Integer, BitSet> samplesUsed(List<Window> windows) {
    Map<Integer, BitSet> used = new HashMap<>();
    for (Window w : windows) {
      used.computeIfAbsent(w.recordingIndex(), k -> new BitSet()).set(w.start(), w.end());
    }
    return used;
  }

  private static void assertNoSharedSample(WindowedDataset w, Region a, Region b) {
    Map<Integer, BitSet> first = samplesUsed(w.windows(a));
    Map<Integer, BitSet> second = samplesUsed(w.windows(b));
    for (Map.Entry<Integer, BitSet> e : first.entrySet()) {
      BitSet other = second.get(e.getKey());
      if (other != null) {
        assertFalse(e.getValue().intersects(other), a + " and " + b + " share samples of recording " + e.getKey());
      }
    }
  }

  @Test
  void noSampleIndexOfATestWindowAppearsInAnyTrainingWindow() {
    Dataset data = dataset();
    for (SplitPlan plan : List.of(SplitPlan.byTime(), SplitPlan.byTime(0.6, 0.2, 0.2),
        SplitPlan.byRecording(0.5, 0.25, 0.25, 3), SplitPlan.byLoad(List.of(0.0, 1.0, 2.0), List.of(3.0), 0.1))) {
      WindowedDataset w = WindowedDataset.cut(data, plan, new WindowSpec(1000, 37, 1000));
      assertFalse(w.windows(Region.TRAIN).isEmpty(), plan.describe());
      assertFalse(w.windows(Region.TEST).isEmpty(), plan.describe());
      assertNoSharedSample(w, Region.TEST, Region.TRAIN);
      assertNoSharedSample(w, Region.VALIDATION, Region.TRAIN);
      assertNoSharedSample(w, Region.VALIDATION, Region.TEST);
      // every window lies inside its recording and inside one region span
      for (Region region : Region.values()) {
        for (Window win : w.windows(region)) {
          boolean inside = w.spans().stream().anyMatch(s -> s.recordingIndex() == win.recordingIndex()
              && s.region() == region && s.start() <= win.start() && win.end() <= s.end());
          assertTrue(inside, plan.describe() + ": window " + win + " crosses a region boundary");
        }
      }
    }
  }

  @Test
  void timeSplitPutsTheFirst70PercentInTrainingAndStridesPerRegion() {
    Dataset data = dataset();
    WindowedDataset w = WindowedDataset.cut(data, SplitPlan.byTime(), new WindowSpec(1000, 250, 1000));
    Recording first = data.recordings().get(0);
    int n = first.length();
    List<Window> train = w.windows(Region.TRAIN).stream().filter(x -> x.recordingIndex() == 0).toList();
    List<Window> test = w.windows(Region.TEST).stream().filter(x -> x.recordingIndex() == 0).toList();
    assertEquals(0, train.get(0).start());
    assertEquals(250, train.get(1).start() - train.get(0).start());
    assertTrue(train.get(train.size() - 1).end() <= (int) Math.floor(0.7 * n));
    assertEquals((int) Math.floor(0.8 * n), test.get(0).start());
    assertEquals(1000, test.get(1).start() - test.get(0).start());
    assertEquals(((int) Math.floor(0.7 * n) - 1000) / 250 + 1, train.size());
  }

  @Test
  void crossConditionSplitTestsOnlyOnTheHeldOutLoad() {
    WindowedDataset w = WindowedDataset.cut(dataset(), SplitPlan.byLoad(List.of(0.0, 1.0, 2.0), List.of(3.0), 0.1),
        WindowSpec.of(1000, 500));
    Dataset data = w.dataset();
    for (Window win : w.windows(Region.TEST)) {
      assertEquals(3.0, data.recordings().get(win.recordingIndex()).condition().load());
    }
    for (Region region : List.of(Region.TRAIN, Region.VALIDATION)) {
      for (Window win : w.windows(region)) {
        assertTrue(data.recordings().get(win.recordingIndex()).condition().load() < 3.0);
      }
    }
    assertThrows(IllegalArgumentException.class, () -> WindowedDataset.cut(data,
        SplitPlan.byLoad(List.of(0.0, 3.0), List.of(3.0), 0.1), WindowSpec.of(1000, 500)));
    // class c recorded at load 0 only, trained on loads 1-3: reported, not hidden
    List<Recording> fewer = new ArrayList<>(data.recordings());
    fewer.removeIf(r -> r.label().equals("c") && r.condition().load() > 0);
    Dataset partial = new Dataset("partial", data.classes(), fewer, List.of());
    WindowedDataset crossLoad = WindowedDataset.cut(partial,
        SplitPlan.byLoad(List.of(1.0, 2.0, 3.0), List.of(0.0), 0.1), WindowSpec.of(1000, 500));
    assertTrue(crossLoad.notes().contains("class c has no train windows"), crossLoad.notes().toString());
  }

  @Test
  void descriptionsGiveTheFractionsAsUsed() {
    assertEquals("by time 70/10/20", SplitPlan.byTime(0.7, 0.1, 0.2).describe());
    // The cross-load validation tail of the default fractions is 0.1 / 0.8: 12.5 %, not a rounded 13 %.
    assertTrue(SplitPlan.byLoad(List.of(0.0, 1.0, 2.0), List.of(3.0), 0.125).describe()
        .endsWith("validation = last 12.5 % of training recordings"),
        SplitPlan.byLoad(List.of(0.0, 1.0, 2.0), List.of(3.0), 0.125).describe());
    assertEquals("33.3", SplitPlan.percent(1.0 / 3));
  }

  @Test
  void recordingSplitIsStratifiedAndSeeded() {
    Dataset data = dataset();
    SplitPlan plan = SplitPlan.byRecording(0.5, 0.25, 0.25, 11);
    List<RegionSpan> spans = plan.spans(data);
    assertEquals(spans, plan.spans(data));
    for (String label : data.classes()) {
      Map<Region, Integer> perRegion = new HashMap<>();
      for (RegionSpan s : spans) {
        if (data.recordings().get(s.recordingIndex()).label().equals(label)) {
          perRegion.merge(s.region(), 1, Integer::sum);
          assertEquals(0, s.start());
        }
      }
      assertEquals(Map.of(Region.TRAIN, 2, Region.VALIDATION, 1, Region.TEST, 1), perRegion, label);
    }
    Set<List<RegionSpan>> different = new HashSet<>();
    for (long seed = 0; seed < 5; seed++) {
      different.add(SplitPlan.byRecording(0.5, 0.25, 0.25, seed).spans(data));
    }
    assertTrue(different.size() > 1, "the seed should change which recordings go where");
  }

  @Test
  void windowsWithASilentChannelAreLeftOutAndReported() {
    double[] x = new double[10_000];
    for (int i = 0; i < x.length; i++) {
      x[i] = i < 3_000 ? 0.0 : Math.sin(i);
    }
    Dataset data = new Dataset("dropout", List.of("a"),
        List.of(Recording.of("d", "a", 1000, x, OperatingCondition.UNKNOWN)), List.of());
    WindowedDataset w = WindowedDataset.cut(data, SplitPlan.byTime(), WindowSpec.of(1000, 1000));
    // train region [0, 7000): windows at 0, 1000, 2000 are silent; 3000..6000 remain
    assertEquals(List.of(3000, 4000, 5000, 6000), w.windows(Region.TRAIN).stream().map(Window::start).toList());
    assertTrue(w.notes().stream().anyMatch(n -> n.contains("3 train windows left out")), w.notes().toString());
  }

  @Test
  void regionsShorterThanAWindowAreReportedAndBadFractionsRejected() {
    Dataset data = dataset();
    WindowedDataset w = WindowedDataset.cut(data, SplitPlan.byTime(0.9, 0.0, 0.1), WindowSpec.of(4000, 1000));
    assertTrue(w.windows(Region.VALIDATION).isEmpty());
    assertTrue(w.notes().stream().anyMatch(n -> n.contains("validation region")), w.notes().toString());
    assertThrows(IllegalArgumentException.class, () -> SplitPlan.byTime(0.7, 0.2, 0.2));
    assertThrows(IllegalArgumentException.class, () -> new WindowSpec(0, 1, 1));
    DatasetSummary summary = w.summary();
    assertEquals(12, summary.recordings());
    assertEquals(List.of("train", "validation", "test"), List.copyOf(summary.windows().keySet()));
    assertTrue(summary.toJson().contains("\"recordings\" : 12"), summary.toJson());
  }
}
