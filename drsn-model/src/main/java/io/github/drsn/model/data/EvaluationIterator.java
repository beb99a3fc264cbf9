package io.github.drsn.model.data;

import io.github.drsn.datasets.features.WindowPipeline;
import io.github.drsn.datasets.split.Region;
import io.github.drsn.datasets.split.Window;
import io.github.drsn.datasets.split.WindowedDataset;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.nd4j.linalg.dataset.DataSet;
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
public final class EvaluationIterator extends WindowBatchIterator {

  private static final long serialVersionUID = 1L;

  private final transient List<Window> regionWindows;
  private final long seed;
  private int cursor;

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
    super(windows, pipeline.withoutAugmentation(), layout, batchSize);
    this.regionWindows = windows.windows(Objects.requireNonNull(region, "region"));
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
  public DataSet next(int num) {
    if (!hasNext()) {
      throw new NoSuchElementException("all " + regionWindows.size() + " windows returned; call reset()");
    }
    int end = Math.min(regionWindows.size(), cursor + num);
    List<Window> chosen = regionWindows.subList(cursor, end);
    cursor = end;
    DataSet batch = assembler.assemble(chosen, w -> WindowPipeline.evaluationRandom(seed, w));
    return preProcessed(batch);
  }

  @Override
  public void reset() {
    cursor = 0;
  }

}
