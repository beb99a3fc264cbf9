package io.github.drsn.model.data;

import io.github.drsn.datasets.features.WindowPipeline;
import io.github.drsn.datasets.split.WindowedDataset;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * What the training and evaluation iterators share: the data set, the batch assembler, the batch size, an
 * optional pre-processor and the DL4J bookkeeping. Subclasses decide which windows a batch holds and
 * where its noise comes from.
 */
abstract class WindowBatchIterator implements DataSetIterator {

  private static final long serialVersionUID = 1L;

  protected final transient WindowedDataset windows;
  protected final transient BatchAssembler assembler;
  protected final int batchSize;
  private transient DataSetPreProcessor preProcessor;

  WindowBatchIterator(WindowedDataset windows, WindowPipeline pipeline, FeatureLayout layout, int batchSize) {
    this.windows = Objects.requireNonNull(windows, "windows");
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
    this.assembler = new BatchAssembler(windows.dataset(), pipeline, Objects.requireNonNull(layout, "layout"),
        windows.spec().length());
    this.batchSize = batchSize;
  }

  /** Applies the pre-processor, if any, to a freshly assembled batch. */
  protected DataSet preProcessed(DataSet batch) {
    if (preProcessor != null) {
      preProcessor.preProcess(batch);
    }
    return batch;
  }

  @Override
  public DataSet next() {
    return next(batchSize);
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
