package io.github.drsn.model.data;

import io.github.drsn.datasets.features.WindowPipeline;
import io.github.drsn.datasets.split.Region;
import io.github.drsn.datasets.split.Window;
import io.github.drsn.datasets.split.WindowedDataset;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Streams training batches: windows of the TRAIN region chosen by {@link Sampling}, each passed through
 * the {@link WindowPipeline} with noise drawn from one seeded stream at the moment the batch is built.
 * Only clean recordings and window positions are held; every use of a window gets a fresh noise
 * realisation (docs/protocol.md), and the whole sequence of batches over all epochs is fixed by the seed.
 *
 * <p>An epoch has {@code ceil(trainWindows / batchSize)} batches unless {@code batchesPerEpoch} says
 * otherwise; {@link #reset()} starts the next epoch and does not rewind the random stream. With
 * {@link Sampling#SHUFFLED} and the default epoch length, each epoch is one pass over a new random order
 * of all training windows, the last batch holding the remainder (so it may be smaller).
 *
 * <pre>{@code
 * DataSetIterator train = new TrainingIterator(windows, WindowPipeline.noisy(new NoiseSpec(GAUSSIAN, -4)),
 *     FeatureLayout.NCHW, 128, Sampling.CLASS_BALANCED, 0, 42L);
 * model.fit(train, 10);
 * }</pre>
 */
public final class TrainingIterator extends WindowBatchIterator {

  private static final long serialVersionUID = 1L;

  private final transient List<Window> train;
  private final transient List<List<Window>> byClass;
  private final Sampling sampling;
  private final int batchesPerEpoch;
  private final long seed;
  private transient SplittableRandom random;
  private transient List<Window> epochOrder;
  private int cursor;
  private int batchInEpoch;

  /**
   * @param windows the windowed data set; its TRAIN windows are used
   * @param pipeline noise, representation and normalisation
   * @param layout feature array layout
   * @param batchSize examples per batch
   * @param sampling class-balanced draws or shuffled epochs
   * @param batchesPerEpoch batches per epoch, or 0 for {@code ceil(trainWindows / batchSize)}
   * @param seed fixes window choice and noise
   * @throws IllegalArgumentException if there are no training windows or a size is not positive
   */
  public TrainingIterator(WindowedDataset windows, WindowPipeline pipeline, FeatureLayout layout, int batchSize,
      Sampling sampling, int batchesPerEpoch, long seed) {
    super(windows, pipeline, layout, batchSize);
    this.train = windows.windows(Region.TRAIN);
    if (train.isEmpty()) {
      throw new IllegalArgumentException("data set " + windows.dataset().name() + " has no training windows");
    }
    if (batchesPerEpoch < 0) {
      throw new IllegalArgumentException("batches per epoch must be >= 0, got " + batchesPerEpoch);
    }
    this.sampling = Objects.requireNonNull(sampling, "sampling");
    this.batchesPerEpoch = batchesPerEpoch > 0 ? batchesPerEpoch : (train.size() + batchSize - 1) / batchSize;
    this.seed = seed;
    this.byClass = new ArrayList<>();
    for (int k = 0; k < windows.dataset().classCount(); k++) {
      byClass.add(new ArrayList<>());
    }
    train.forEach(w -> byClass.get(w.classIndex()).add(w));
    this.byClass.removeIf(List::isEmpty);
    this.random = new SplittableRandom(seed);
    startEpoch();
  }

  private void startEpoch() {
    batchInEpoch = 0;
    if (sampling == Sampling.SHUFFLED) {
      shuffleOrder();
    }
  }

  /** A new random order of all training windows (Fisher-Yates), consumed from its start. */
  private void shuffleOrder() {
    epochOrder = new ArrayList<>(train);
    for (int i = epochOrder.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      Window swap = epochOrder.get(i);
      epochOrder.set(i, epochOrder.get(j));
      epochOrder.set(j, swap);
    }
    cursor = 0;
  }

  /** @return the seed this iterator was made with */
  public long seed() {
    return seed;
  }

  /** @return batches per epoch */
  public int batchesPerEpoch() {
    return batchesPerEpoch;
  }

  @Override
  public boolean hasNext() {
    return batchInEpoch < batchesPerEpoch;
  }

  @Override
  public DataSet next(int num) {
    if (!hasNext()) {
      throw new NoSuchElementException("epoch finished after " + batchesPerEpoch + " batches; call reset()");
    }
    List<Window> chosen = new ArrayList<>(num);
    if (sampling == Sampling.CLASS_BALANCED) {
      for (int i = 0; i < num; i++) {
        List<Window> cls = byClass.get(random.nextInt(byClass.size()));
        chosen.add(cls.get(random.nextInt(cls.size())));
      }
    } else {
      if (cursor == epochOrder.size()) {
        shuffleOrder();
      }
      int end = Math.min(epochOrder.size(), cursor + num);
      chosen.addAll(epochOrder.subList(cursor, end));
      cursor = end;
    }
    batchInEpoch++;
    // One child stream per batch keeps the noise independent of how many draws the pipeline makes.
    SplittableRandom batchRandom = random.split();
    DataSet batch = assembler.assemble(chosen, w -> batchRandom);
    return preProcessed(batch);
  }

  /** Starts the next epoch; the random stream continues, so its noise is new. */
  @Override
  public void reset() {
    startEpoch();
  }

}
