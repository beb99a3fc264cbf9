package io.github.drsn.model.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.drsn.datasets.Dataset;
import io.github.drsn.datasets.OperatingCondition;
import io.github.drsn.datasets.Recording;
import io.github.drsn.contract.Representation;
import io.github.drsn.datasets.features.NoiseSpec;
import io.github.drsn.datasets.features.WindowPipeline;
import io.github.drsn.datasets.split.Region;
import io.github.drsn.datasets.split.SplitPlan;
import io.github.drsn.datasets.split.Window;
import io.github.drsn.datasets.split.WindowSpec;
import io.github.drsn.datasets.split.WindowedDataset;
import io.github.drsn.signals.NoiseType;
import io.github.drsn.signals.Normalization;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

class IteratorTest {

  private static final int L = 256;

  /** Class "big" has ten times the samples of class "small" (like CWRU's normal vs faults). */
  private static WindowedDataset windows() {
    SplittableRandom random = new SplittableRandom(3);
    List<Recording> recordings = new ArrayList<>();
    String[] labels = {"big", "small", "mid"};
    int[] lengths = {40_000, 4_000, 12_000};
    for (int k = 0; k < 3; k++) {
      double[] x = new double[lengths[k]];
      for (int i = 0; i < x.length; i++) {
        x[i] = Math.sin(0.05 * (k + 1) * i) + 0.1 * random.nextGaussian();
      }
      recordings.add(Recording.of("r" + k, labels[k], 1000, x, new OperatingCondition(k, 1500)));
    }
    Dataset d = new Dataset("toy", List.of(labels), recordings, List.of());
    return WindowedDataset.cut(d, SplitPlan.byTime(), WindowSpec.of(L, 64));
  }

  private static final WindowPipeline NOISY = WindowPipeline.noisy(new NoiseSpec(NoiseType.GAUSSIAN, -4));

  @Test
  void batchesHaveTheConfiguredLayoutAndOneHotLabels() {
    WindowedDataset w = windows();
    DataSet ncw = new TrainingIterator(w, NOISY, FeatureLayout.NCW, 16, Sampling.CLASS_BALANCED, 0, 1).next();
    assertArrayEquals(new long[] {16, 1, L}, ncw.getFeatures().shape());
    assertEquals(DataType.FLOAT, ncw.getFeatures().dataType());
    assertArrayEquals(new long[] {16, 3}, ncw.getLabels().shape());
    assertEquals(16.0, ncw.getLabels().sumNumber().doubleValue(), 0.0);
    assertArrayEquals(new double[16], ncw.getLabels().max(1).subi(1).toDoubleVector(), 0.0);

    DataSet nchw = new EvaluationIterator(w, Region.TEST, NOISY, FeatureLayout.NCHW, 8, 1).next();
    assertArrayEquals(new long[] {8, 1, 1, L}, nchw.getFeatures().shape());
    // z-scored per window after the noise
    float[] first = nchw.getFeatures().slice(0).dup().data().asFloat();
    double mean = 0;
    for (float v : first) {
      mean += v;
    }
    assertEquals(0, mean / first.length, 1e-5);

    WindowPipeline spectra = new WindowPipeline(null, Normalization.Z_SCORE, Representation.ENVELOPE_SPECTRUM);
    DataSet spectral = new EvaluationIterator(w, Region.TEST, spectra, FeatureLayout.NCW, 4, 1).next();
    assertArrayEquals(new long[] {4, 1, L / 2 + 1}, spectral.getFeatures().shape());
  }

  @Test
  void trainingIsDeterministicPerSeedAndFreshEachEpoch() {
    WindowedDataset w = windows();
    TrainingIterator a = new TrainingIterator(w, NOISY, FeatureLayout.NCW, 32, Sampling.CLASS_BALANCED, 3, 99);
    TrainingIterator b = new TrainingIterator(w, NOISY, FeatureLayout.NCW, 32, Sampling.CLASS_BALANCED, 3, 99);
    List<DataSet> epochOne = new ArrayList<>();
    while (a.hasNext()) {
      DataSet x = a.next();
      DataSet y = b.next();
      assertEquals(x.getFeatures(), y.getFeatures());
      assertEquals(x.getLabels(), y.getLabels());
      epochOne.add(x);
    }
    assertEquals(3, epochOne.size());
    assertThrows(java.util.NoSuchElementException.class, a::next);
    a.reset();
    assertTrue(a.hasNext());
    assertNotEquals(epochOne.get(0).getFeatures(), a.next().getFeatures(), "a new epoch must draw new noise");
    TrainingIterator other = new TrainingIterator(w, NOISY, FeatureLayout.NCW, 32, Sampling.CLASS_BALANCED, 3, 100);
    assertNotEquals(epochOne.get(0).getFeatures(), other.next().getFeatures());
  }

  @Test
  void classBalancedSamplingEqualisesImbalancedClasses() {
    WindowedDataset w = windows();
    int[] available = w.classCounts(Region.TRAIN);
    assertTrue(available[0] > 8 * available[1], java.util.Arrays.toString(available));
    TrainingIterator it = new TrainingIterator(w, WindowPipeline.clean(), FeatureLayout.NCW, 100,
        Sampling.CLASS_BALANCED, 60, 5);
    double[] drawn = new double[3];
    while (it.hasNext()) {
      double[] perClass = it.next().getLabels().sum(0).toDoubleVector();
      for (int k = 0; k < 3; k++) {
        drawn[k] += perClass[k];
      }
    }
    for (int k = 0; k < 3; k++) {
      assertEquals(2000, drawn[k], 150, "class " + k + " drawn " + drawn[k] + " of 6000");
    }
  }

  @Test
  void shuffledSamplingUsesEveryTrainingWindowOncePerEpoch() {
    WindowedDataset w = windows();
    int total = w.windows(Region.TRAIN).size();
    int batch = 50;
    assertTrue(total % batch != 0, "the last batch should be a remainder in this test");
    TrainingIterator it = new TrainingIterator(w, WindowPipeline.clean(), FeatureLayout.NCW, batch, Sampling.SHUFFLED,
        0, 5);
    assertEquals((total + batch - 1) / batch, it.batchesPerEpoch());
    for (int epoch = 0; epoch < 2; epoch++) {
      double[] perClass = new double[3];
      int examples = 0;
      while (it.hasNext()) {
        DataSet d = it.next();
        examples += d.numExamples();
        double[] s = d.getLabels().sum(0).toDoubleVector();
        for (int k = 0; k < 3; k++) {
          perClass[k] += s[k];
        }
      }
      assertEquals(total, examples);
      int[] expected = w.classCounts(Region.TRAIN);
      for (int k = 0; k < 3; k++) {
        assertEquals(expected[k], perClass[k], 0.0, "epoch " + epoch + " class " + k);
      }
      it.reset();
    }
  }

  @Test
  void evaluationNoiseIsFixedPerWindowWhateverTheBatchingAndRun() {
    WindowedDataset w = windows();
    List<Window> test = w.windows(Region.TEST);
    EvaluationIterator bySeven = new EvaluationIterator(w, Region.TEST, NOISY, FeatureLayout.NCW, 7, 1234);
    EvaluationIterator all = new EvaluationIterator(w, Region.TEST, NOISY, FeatureLayout.NCW, test.size(), 1234);
    DataSet whole = all.next();
    int row = 0;
    while (bySeven.hasNext()) {
      DataSet part = bySeven.next();
      for (int i = 0; i < part.numExamples(); i++, row++) {
        assertEquals(whole.getFeatures().slice(row), part.getFeatures().slice(i), "window " + row);
      }
    }
    assertEquals(test.size(), row);
    bySeven.reset();
    assertEquals(whole.getFeatures().slice(0), bySeven.next().getFeatures().slice(0), "same after reset");
    DataSet otherSeed = new EvaluationIterator(w, Region.TEST, NOISY, FeatureLayout.NCW, test.size(), 1235).next();
    assertNotEquals(whole.getFeatures(), otherSeed.getFeatures());
  }

  @Test
  void addedNoiseHasExactlyTheStatedSnr() {
    WindowedDataset w = windows();
    Window window = w.windows(Region.TEST).get(0);
    Recording r = w.dataset().recordings().get(window.recordingIndex());
    WindowPipeline raw = new WindowPipeline(new NoiseSpec(NoiseType.LAPLACIAN, -4), Normalization.NONE,
        Representation.TIME);
    double[] noisy = raw.apply(r, window, WindowPipeline.evaluationRandom(1, window))[0];
    double signal = 0;
    double noise = 0;
    for (int i = 0; i < L; i++) {
      double clean = r.channel(0)[window.start() + i];
      signal += clean * clean;
      noise += (noisy[i] - clean) * (noisy[i] - clean);
    }
    assertEquals(-4.0, 10 * Math.log10(signal / noise), 1e-9);
    Map<String, Integer> seen = new HashMap<>();
    for (Window x : w.windows(Region.TEST)) {
      seen.merge(x.key(), 1, Integer::sum);
    }
    assertFalse(seen.values().stream().anyMatch(n -> n > 1), "window keys must be unique");
  }
}
