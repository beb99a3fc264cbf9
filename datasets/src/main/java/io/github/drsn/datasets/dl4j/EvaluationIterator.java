package io.github.drsn.datasets.dl4j;

import io.github.drsn.datasets.features.WindowPipeline;
import io.github.drsn.datasets.split.Region;
import io.github.drsn.datasets.split.Window;
import io.github.drsn.datasets.split.WindowedDataset;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Streams the windows of a validation or test region in order, each with its one fixed noise
 * realisation ({@link WindowPipeline#evaluationRandom(long, Window)}), so that every run, model and
 * epoch sees exactly the same inputs. Noisy copies are made per batch, never stored.
 *
 * <pre>{@code
 * DataSetIterator test = new EvaluationIterator(windows, Region.TEST,
 *     WindowPipeline.noisy(new NoiseSpec(NoiseType.GAUSSIAN, -4)), FeatureLayout.NCHW, 256, 1234L);
 * Evaluation eval = model.evaluate(test);
 * }</pre>
 */
public final class EvaluationIterator implements DataSetIterator {

  private static final long serialVersionUID = 1L;

  private final transient WindowedDataset windows;
  private final transient List<Window> regionWindows;
  private final transient BatchAssembler assembler;
  private final int batchSize;
  private final long seed;
  private int cursor;
  private transient DataSetPreProcessor preProcessor;

  /**
   * @param windows the windowed data set
   * @param region which windows (usually VALIDATION or TEST)
   * @param pipeline noise, representation and normalisation
   * @param layout feature array layout
   * @param batchSize examples per batch (the last batch may be smaller)
   * @param seed the evaluation noise seed, to be recorded with results
   */
  public EvaluationIterator(WindowedDataset windows, Region region, WindowPipeline pipeline, FeatureLayout layout,
      int batchSize, long seed) {
    this.windows = Objects.requireNonNull(windows, "windows");
    this.regionWindows = windows.windows(Objects.requireNonNull(region, "region"));
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
    this.assembler = new BatchAssembler(windows.dataset(), pipeline, Objects.requireNonNull(layout, "layout"),
        windows.spec().length());
    this.batchSize = batchSize;
    this.seed = seed;
  }

  /** @return number of windows in one pass */
  public int size() {
    return regionWindows.size();
  }

  /** @return the windows in iteration order (for confusion matrices per recording or condition) */
  public List<Window> windows() {
    return regionWindows;
  }

  @Override
  public boolean hasNext() {
    return cursor < regionWindows.size();
  }

  @Override
  public DataSet next() {
    return next(batchSize);
  }

  @Override
  public DataSet next(int num) {
    if (!hasNext()) {
      throw new NoSuchElementException("all " + regionWindows.size() + " windows returned; call reset()");
    }
    int end = Math.min(regionWindows.size(), cursor + num);
    List<Window> chosen = regionWindows.subList(cursor, end);
    cursor = end;
    DataSet batch = assembler.assemble(chosen, w -> WindowPipeline.evaluationRandom(seed, w));
    if (preProcessor != null) {
      preProcessor.preProcess(batch);
    }
    return batch;
  }

  @Override
  public int inputColumns() {
    return assembler.channels() * assembler.featureLength();
  }

  @Override
  public int totalOutcomes() {
    return windows.dataset().classCount();
  }

  @Override
  public boolean resetSupported() {
    return true;
  }

  @Override
  public boolean asyncSupported() {
    return true;
  }

  @Override
  public void reset() {
    cursor = 0;
  }

  @Override
  public int batch() {
    return batchSize;
  }

  @Override
  public void setPreProcessor(DataSetPreProcessor preProcessor) {
    this.preProcessor = preProcessor;
  }

  @Override
  public DataSetPreProcessor getPreProcessor() {
    return preProcessor;
  }

  @Override
  public List<String> getLabels() {
    return windows.dataset().classes();
  }
}
