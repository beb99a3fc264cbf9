package io.github.drsn.cli;

import java.util.List;
import picocli.CommandLine.Option;

/**
 * The training recipes of issue #17, each off by default; they become {@code TrainingSettings} (and so the run's
 * {@code run.json}, report and bundle) and are checked there, the error naming the flag.
 */
public final class RecipeOptions {

  @Option(names = "--label-smoothing", paramLabel = "EPS", description = "Label smoothing: targets (1-EPS) one-hot +"
      + " EPS/K, EPS in [0, 1) (Szegedy et al. 2016; default: ${DEFAULT-VALUE}, off).")
  public double labelSmoothing = 0;

  @Option(names = "--focal-gamma", paramLabel = "G", description = "Focal loss -alpha_t (1-p_t)^G log p_t, G >= 0"
      + " (Lin et al. 2017; default: ${DEFAULT-VALUE} = cross-entropy).")
  public double focalGamma = 0;

  @Option(names = "--focal-alpha", paramLabel = "A,A,...", split = ",", description = "Focal loss weight alpha per"
      + " class, one per class in the data's class order (default: 1 for every class).")
  public List<Double> focalAlpha;

  @Option(names = "--flood", paramLabel = "B", description = "Flooding: the batch loss becomes |loss - B| + B, B >= 0"
      + " (Ishida et al. 2020; default: ${DEFAULT-VALUE}, off).")
  public double flood = 0;

  @Option(names = "--dropout", paramLabel = "P", description = "Dropout of the pooled features before the classifier,"
      + " P in [0, 1), training only (default: ${DEFAULT-VALUE}, off).")
  public double dropout = 0;

  @Option(names = "--ema", paramLabel = "D", description = "Weight EMA with decay D in (0, 1): the averaged weights"
      + " (batch-norm statistics included) are validated, kept and exported (default: ${DEFAULT-VALUE}, off).")
  public double ema = 0;

  @Option(names = "--fgm", paramLabel = "EPS", description = "Adversarial training (fast gradient method on the input):"
      + " x_adv = x + EPS rms(x) g/|g|, each step fits the clean and the adversarial windows; EPS >= 0 (default:"
      + " ${DEFAULT-VALUE}, off).")
  public double fgm = 0;

  @Option(names = "--spatial-dropout", paramLabel = "P", description = "Spatial dropout inside every residual unit:"
      + " whole channels of the input of its second convolution dropped per window with probability P, kept ones"
      + " scaled by 1/(1-P); training only (Tompson et al. 2015; default: ${DEFAULT-VALUE}, off).")
  public double spatialDropout = 0;

  @Option(names = "--snapshots", paramLabel = "K", description = "Snapshot ensemble (Huang et al. 2017): with a cyclic"
      + " --schedule (sgdr, triangular...), keep the weights at the end of each of the last K cycles, evaluate each"
      + " and their average, and write them as an ensemble bundle snapshots.drsn beside model.drsn (default:"
      + " ${DEFAULT-VALUE}, off).")
  public int snapshots = 0;
}
