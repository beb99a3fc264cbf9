package io.github.drsn.cli;

import io.github.drsn.contract.Architecture;
import io.github.drsn.contract.Shortcut;
import io.github.drsn.experiments.ModelSettings;
import io.github.drsn.model.Optimizer;
import io.github.drsn.model.schedule.Schedules;
import java.util.Arrays;
import picocli.CommandLine.Option;

/**
 * Which network, its sizes, and how it is optimised. Defaults are the paper's Table II and Sec. III-B. The options
 * are the command-line form of the library's {@link ModelSettings}.
 */
public final class ModelOptions {

  /** Normalisation names on the command line. */
  public enum Norm {
    batch,
    group
  }

  /** Normalisation names for the threshold sub-networks: also none, which the trunk cannot have. */
  public enum ThresholdNorm {
    batch,
    group,
    none
  }

  @Option(
      names = "--model",
      paramLabel = "NAME",
      converter = ArchitectureName.class,
      defaultValue = "drsn-cw",
      description = "drsn-cw, drsn-cs, resnet or convnet (default: ${DEFAULT-VALUE}).")
  public Architecture model = Architecture.DRSN_CW;

  @Option(names = "--norm", paramLabel = "KIND", description = "batch or group normalisation everywhere (default: ${DEFAULT-VALUE}).")
  public Norm norm = Norm.batch;

  @Option(names = "--groups", paramLabel = "G", description = "Groups of GroupNorm (default: ${DEFAULT-VALUE}).")
  public int groups = 2;

  @Option(names = "--threshold-norm", paramLabel = "KIND",
      description = "batch, group or none: the normalisation inside the threshold sub-networks (default: --norm's)."
          + " Group norm there removes each window's own level of FC1(z), which is what lets the thresholds differ"
          + " between windows; none keeps it and, with --norm group, leaves no batch statistics in the network.")
  public ThresholdNorm thresholdNorm;

  @Option(
      names = "--channels",
      split = ",",
      paramLabel = "C1,C2,..",
      hideParamSyntax = true,
      description = "Channels per stage (default: 4,8,16).")
  public int[] channels = {4, 8, 16};

  @Option(names = "--units", paramLabel = "N", description = "Residual units per stage (default: ${DEFAULT-VALUE}).")
  public int unitsPerStage = 4;

  @Option(names = "--kernel-size", paramLabel = "K",
      description = "Convolution kernel width (default: ${DEFAULT-VALUE}; not to be confused with --kernels, the layers'"
          + " implementation).")
  public int kernel = 3;

  @Option(
      names = "--shortcut",
      paramLabel = "KIND",
      description = "Widening shortcut: ZERO_PAD (the paper's reference code) or PROJECTION (1x1 conv) (default: ${DEFAULT-VALUE}).")
  public Shortcut shortcut = Shortcut.ZERO_PAD;

  @Option(
      names = "--optimizer",
      paramLabel = "NAME",
      description = "${COMPLETION-CANDIDATES}: SGD_MOMENTUM is Nesterov's (DL4J), SGD_CLASSIC_MOMENTUM is"
          + " PyTorch's SGD(momentum) (default: ${DEFAULT-VALUE}).")
  public Optimizer optimizer = Optimizer.SGD_MOMENTUM;

  @Option(
      names = "--schedule",
      paramLabel = "SPEC",
      converter = ScheduleText.class,
      description = {
        "Learning-rate schedule, e.g. 'paper', 'step:0.1@0,0.01@40,0.001@80',",
        "'triangular:base=0.001,max=0.1,step=500', 'sgdr:max=0.1,min=1e-4,t0=10,mult=2',",
        "'warmup(iters=200):sgdr:max=0.1,min=0,t0=10'.",
        "Default: the paper's 0.1/0.01/0.001 steps at 40 %%/80 %% of the epochs; 'paper' fixes them at epochs 40",
        "and 80 (a 100-epoch run), 'reference' at 20 and 40 (50)."
      })
  public String schedule;

  @Option(names = "--momentum", paramLabel = "M", description = "Momentum of SGD (default: ${DEFAULT-VALUE}).")
  public double momentum = 0.9;

  @Option(names = "--l2", paramLabel = "L2", description = "L2 weight decay (default: ${DEFAULT-VALUE}).")
  public double l2 = 1e-4;

  @Option(names = "--l2-bias", paramLabel = "L2",
      description = "L2 on biases and normalisation gamma/beta (default: ${DEFAULT-VALUE}, as the paper's code;"
          + " PyTorch's weight_decay uses the --l2 value for them too).")
  public double l2Bias = 0;

  @Option(names = "--weight-init", paramLabel = "INIT",
      description = "Weight initialisation: ${COMPLETION-CANDIDATES}; PYTORCH is U(-1/sqrt(fan_in), 1/sqrt(fan_in)),"
          + " PyTorch's default (biases stay 0) (default: ${DEFAULT-VALUE}).")
  public ModelSettings.WeightInit weightInit = ModelSettings.WeightInit.HE;

  /** The model settings these options give (the library's form, recorded in run settings). */
  public ModelSettings settings() {
    return new ModelSettings(model.label(), ModelSettings.Norm.valueOf(norm.name()),
        groups, Arrays.stream(channels).boxed().toList(), unitsPerStage, kernel, shortcut, optimizer, schedule,
        momentum, l2, l2Bias, weightInit,
        thresholdNorm == null ? null : ModelSettings.Norm.valueOf(thresholdNorm.name()));
  }

  /** Checks a schedule's text when the command line is parsed, so a bad one is a usage error. */
  public static final class ScheduleText implements picocli.CommandLine.ITypeConverter<String> {
    @Override
    public String convert(String value) {
      try {
        Schedules.parse(value);
        return value;
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  /** Picocli converter of the architectures' names ({@link Architecture#parse}: drsn-cw, DRSN_CW, ...). */
  public static final class ArchitectureName implements picocli.CommandLine.ITypeConverter<Architecture> {
    @Override
    public Architecture convert(String value) {
      try {
        return Architecture.parse(value);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
