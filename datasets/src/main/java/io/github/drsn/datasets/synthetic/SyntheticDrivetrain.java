package io.github.drsn.datasets.synthetic;

import io.github.drsn.datasets.Dataset;
import io.github.drsn.datasets.OperatingCondition;
import io.github.drsn.datasets.Recording;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The built-in data set, used when no data is given: the eight {@link HealthState}s of the DRSN paper
 * at every speed × load of a {@link DrivetrainConfig} (default 3 × 3), one recording per
 * (state, speed, load), generated in memory from a seed.
 *
 * <p>Each recording's seed is derived from (seed, state, speed index, load index), so a recording does
 * not depend on which others are generated, and the same seed always gives the same data (recordings
 * are generated in parallel on the common fork-join pool and returned in state, speed, load order).
 *
 * <pre>{@code
 * Dataset synthetic = SyntheticDrivetrain.dataset(42);          // 72 recordings, 8 classes, 12.8 kHz
 * WindowedDataset w = WindowedDataset.cut(synthetic, SplitPlan.byTime(), WindowSpec.benchmark());
 * }</pre>
 */
public final class SyntheticDrivetrain {

  /** The class names, in label-index order ({@link HealthState} order). */
  public static final List<String> CLASSES = Arrays.stream(HealthState.values()).map(HealthState::label).toList();

  private SyntheticDrivetrain() {
  }

  /**
   * @param seed fixes all data
   * @return the default synthetic data set ({@link DrivetrainConfig#defaults()})
   */
  public static Dataset dataset(long seed) {
    return dataset(DrivetrainConfig.defaults(), seed);
  }

  /**
   * @param config the drivetrain and recording length
   * @param seed fixes all data
   * @return one recording per state × speed × load, named {@code "synthetic"}
   */
  public static Dataset dataset(DrivetrainConfig config, long seed) {
    DrivetrainSimulator simulator = new DrivetrainSimulator(config);
    int speeds = config.speedsRpm().size();
    int loads = config.loads().size();
    int perState = speeds * loads;
    // Recordings are independent (own seeds), so they are generated in parallel and kept in a fixed order.
    List<Recording> recordings = IntStream.range(0, HealthState.values().length * perState).parallel()
        .mapToObj(i -> {
          HealthState state = HealthState.values()[i / perState];
          int s = (i % perState) / loads;
          int l = i % loads;
          double rpm = config.speedsRpm().get(s);
          double load = config.loads().get(l);
          long recordingSeed = recordingSeed(seed, state, s, l);
          double[] x = simulator.simulate(state, rpm, load, config.samplesPerRecording(), recordingSeed);
          String id = String.format(Locale.ROOT, "synthetic-%s-%.0frpm-load%.2f", state.label(), rpm, load);
          return new Recording(id, state.label(), config.samplingRate(), List.of("housing"), new double[][] {x},
              new OperatingCondition(load, rpm), null, Map.of("generator", "DrivetrainSimulator",
                  "seed", Long.toString(seed), "recordingSeed", Long.toString(recordingSeed)));
        })
        .toList();
    return new Dataset("synthetic", CLASSES, recordings, List.of());
  }

  /**
   * @param seed the data set seed
   * @param state the state
   * @param speedIndex index into the configured speeds
   * @param loadIndex index into the configured loads
   * @return the seed of that recording
   */
  public static long recordingSeed(long seed, HealthState state, int speedIndex, int loadIndex) {
    long mixed = new SplittableRandom(seed).nextLong();
    mixed = new SplittableRandom(mixed ^ (state.ordinal() * 0x9e3779b97f4a7c15L)).nextLong();
    mixed = new SplittableRandom(mixed ^ ((speedIndex + 1L) * 0xbf58476d1ce4e5b9L)).nextLong();
    return new SplittableRandom(mixed ^ ((loadIndex + 1L) * 0x94d049bb133111ebL)).nextLong();
  }
}
