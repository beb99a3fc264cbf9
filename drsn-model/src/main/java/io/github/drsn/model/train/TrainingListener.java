package io.github.drsn.model.train;

/** Progress callbacks of {@link Trainer}; every method has a no-op default. */
public interface TrainingListener {

  /** After each minibatch of an epoch; {@code batchesInEpoch} is -1 when the iterator cannot tell. */
  default void onBatch(int epoch, int batch, int batchesInEpoch, double loss) {}

  /** After an epoch's validation; {@code improved} says whether it became the best checkpoint. */
  default void onEpoch(EpochRecord record, boolean improved) {}

  /** Once, before the first epoch run by this call (after a resume: the first epoch not yet done). */
  default void onStart(int firstEpoch, int maxEpochs) {}

  /**
   * Before the first epoch, once per finding about the data that does not stop the run but changes what its
   * figures mean (e.g. a class with training windows and no validation windows).
   */
  default void onWarning(String message) {}
}
