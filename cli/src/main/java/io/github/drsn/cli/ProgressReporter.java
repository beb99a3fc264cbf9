package io.github.drsn.cli;

import io.github.drsn.model.train.EpochRecord;
import io.github.drsn.model.train.TrainingListener;
import java.io.PrintWriter;
import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Training progress on stderr: a progress bar with epoch, loss, validation accuracy and ETA when stderr is
 * a terminal, one line per epoch otherwise (logs and CI).
 */
public final class ProgressReporter implements TrainingListener, AutoCloseable {

  private final PrintWriter err;
  private final boolean interactive;
  private final String label;
  private ProgressBar bar;
  private int maxEpochs;
  private int batchesPerEpoch;
  private String lastValidation = "";

  public ProgressReporter(PrintWriter err, boolean interactive, String label) {
    this.err = err;
    this.interactive = interactive;
    this.label = label;
  }

  @Override
  public void onWarning(String message) {
    err.printf("%s: warning: %s%n", label, message);
    err.flush();
  }

  @Override
  public void onStart(int firstEpoch, int maxEpochs) {
    this.maxEpochs = maxEpochs;
    if (firstEpoch > 0) {
      err.printf("%s: resuming after epoch %d of %d%n", label, firstEpoch, maxEpochs);
      err.flush();
    }
  }

  @Override
  public void onBatch(int epoch, int batch, int batchesInEpoch, double loss) {
    if (!interactive || batchesInEpoch <= 0) {
      return;
    }
    if (bar == null) {
      batchesPerEpoch = batchesInEpoch;
      bar = new ProgressBarBuilder()
          .setTaskName(label)
          .setInitialMax((long) maxEpochs * batchesInEpoch)
          .setStyle(ProgressBarStyle.ASCII)
          .setUpdateIntervalMillis(250)
          .startsFrom((long) epoch * batchesInEpoch, Duration.ZERO)
          .continuousUpdate()
          .build();
    }
    bar.stepTo((long) epoch * batchesPerEpoch + batch);
    bar.setExtraMessage(String.format(" epoch %d/%d loss %.4f%s", epoch + 1, maxEpochs, loss, lastValidation));
  }

  @Override
  public void onEpoch(EpochRecord r, boolean improved) {
    lastValidation = String.format(" val acc %.3f", r.validationAccuracy());
    if (!interactive) {
      err.printf("%s: epoch %d/%d  loss %.4f  val loss %.4f  val acc %.4f%s  lr %.4g  %.1f s%n", label, r.epoch(),
          maxEpochs, r.trainLoss(), r.validationLoss(), r.validationAccuracy(), improved ? " *" : "  ",
          r.learningRate(), r.seconds());
      err.flush();
    }
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}
