package io.github.drsn.datasets.features;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.github.drsn.signals.Equalizer;
import io.github.drsn.signals.Resampling;
import java.util.random.RandomGenerator;

/**
 * Random changes to a clean training window that mimic what differs between machines and recording sessions,
 * so that a model does not learn one rig's accidents (Iwana &amp; Uchida, "An empirical survey of data augmentation
 * for time series classification", PLOS ONE 2021, for the family of transforms). Applied before the noise, in
 * this order, with draws from the window's own generator:
 * <ol>
 *   <li><b>speed/rate jitter</b> {@code rateJitter} = j: the window becomes x(c + f(t − c)) with f uniform in
 *       [1 − j, 1 + j] and c its centre, by band-limited interpolation ({@link Resampling#interpolate}): every
 *       frequency, defect frequencies included, moves by the factor f, as a machine running f times faster or a
 *       sampling clock off by 1/f would move them. For f &gt; 1 the last and first (f − 1)/2 of the window are
 *       extended by odd reflection; the window never reads samples outside itself, so no split leaks;</li>
 *   <li><b>resonance</b> {@code resonanceDb} = g: a bell of gain uniform in [−g, g] dB, centre log-uniform in
 *       [fs/100, 0.45 fs], width uniform in [0.5, 2] octaves ({@link Equalizer#bell}), as another mounting or
 *       housing colours the spectrum; one draw per channel;</li>
 *   <li><b>polarity</b>: the sign of a channel flipped with probability ½ (a sensor mounted the other way);</li>
 *   <li><b>amplitude</b> {@code amplitudeScale} = a: a channel scaled by a factor log-uniform in [1/a, a]
 *       (sensitivity, load). A per-window z-score or min-max normalisation removes this again, so it changes
 *       nothing for such models; it matters for {@code normalization none}.</li>
 * </ol>
 * Evaluation never augments (the evaluation iterators and {@code Evaluation} drop it).
 *
 * <p>On an order-domain recording ({@code Resampler.toOrders}, a model trained with samples per revolution) the window
 * is in shaft revolutions and fs is S, samples per revolution: the rate and the speed are gone, so the jitter
 * stretches shaft orders by f, as an error f of the stated speed would (the one shift that remains), and the
 * resonance's centre is drawn in [S/100, 0.45 S] orders.
 *
 * @param rateJitter j in [0, 0.3]: the largest relative change of speed; 0 is off
 * @param resonanceDb g in [0, 24]: the largest bell gain in dB; 0 is off
 * @param polarity whether signs are flipped at random
 * @param amplitudeScale a in [1, 100]: the largest amplitude factor; 1 is off
 */
@JsonPropertyOrder({"rate_jitter", "resonance_db", "polarity", "amplitude_scale"})
public record Augmentation(
    @JsonProperty("rate_jitter") double rateJitter,
    @JsonProperty("resonance_db") double resonanceDb,
    @JsonProperty("polarity") boolean polarity,
    @JsonProperty("amplitude_scale") double amplitudeScale) {

  /** No augmentation. */
  public static final Augmentation NONE = new Augmentation(0, 0, false, 1);

  /** @throws IllegalArgumentException naming the setting out of its range */
  public Augmentation {
    if (!(rateJitter >= 0 && rateJitter <= 0.3)) {
      throw new IllegalArgumentException("rate jitter must be in [0, 0.3] (a relative speed change), got "
          + rateJitter);
    }
    if (!(resonanceDb >= 0 && resonanceDb <= 24)) {
      throw new IllegalArgumentException("resonance gain must be in [0, 24] dB, got " + resonanceDb);
    }
    if (!(amplitudeScale >= 1 && amplitudeScale <= 100)) {
      throw new IllegalArgumentException("amplitude scale must be in [1, 100], got " + amplitudeScale);
    }
  }

  /**
   * From JSON, where a left-out setting is off: {@code {"polarity": true}} is polarity alone.
   *
   * @return the augmentation
   */
  @JsonCreator
  static Augmentation fromJson(@JsonProperty("rate_jitter") Double rateJitter,
      @JsonProperty("resonance_db") Double resonanceDb, @JsonProperty("polarity") Boolean polarity,
      @JsonProperty("amplitude_scale") Double amplitudeScale) {
    return new Augmentation(rateJitter == null ? 0 : rateJitter, resonanceDb == null ? 0 : resonanceDb,
        polarity != null && polarity, amplitudeScale == null ? 1 : amplitudeScale);
  }

  /**
   * Parses the command-line form: comma-separated {@code rate=J}, {@code resonance=G}, {@code polarity},
   * {@code amplitude=A}, or {@code none}; e.g. {@code "rate=0.05,resonance=6,polarity"}.
   *
   * @param text the augmentation
   * @return the augmentation
   * @throws IllegalArgumentException naming the part that is not understood or out of range
   */
  public static Augmentation parse(String text) {
    double rate = 0;
    double resonance = 0;
    boolean polarity = false;
    double amplitude = 1;
    for (String part : text.split(",")) {
      String p = part.strip().toLowerCase(java.util.Locale.ROOT);
      if (p.isEmpty() || p.equals("none")) {
        continue;
      }
      String[] kv = p.split("=", 2);
      try {
        switch (kv[0]) {
          case "rate" -> rate = Double.parseDouble(kv[1]);
          case "resonance" -> resonance = Double.parseDouble(kv[1]);
          case "amplitude" -> amplitude = Double.parseDouble(kv[1]);
          case "polarity" -> {
            if (kv.length > 1) {
              throw new IllegalArgumentException("polarity takes no value");
            }
            polarity = true;
          }
          default -> throw new IllegalArgumentException("unknown part");
        }
      } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
        throw new IllegalArgumentException("augmentation '" + part.strip() + "' needs a number, e.g. rate=0.05");
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("augmentation '" + part.strip() + "': " + e.getMessage()
            + "; expected rate=J, resonance=DB, polarity, amplitude=A or none, comma-separated");
      }
    }
    return new Augmentation(rate, resonance, polarity, amplitude);
  }

  /** @return whether this changes nothing */
  @JsonIgnore
  public boolean isNone() {
    return rateJitter == 0 && resonanceDb == 0 && !polarity && amplitudeScale == 1;
  }

  /**
   * Augments one window in place (channel arrays may be replaced).
   *
   * @param channels the window's clean samples, one array per channel, all of one length
   * @param samplingRate Hz
   * @param random the window's generator
   */
  public void apply(double[][] channels, double samplingRate, RandomGenerator random) {
    if (isNone()) {
      return;
    }
    if (rateJitter > 0) {
      double f = 1 + rateJitter * (2 * random.nextDouble() - 1);
      for (int c = 0; c < channels.length; c++) {
        int n = channels[c].length;
        double centre = (n - 1) / 2.0;
        channels[c] = Resampling.interpolate(channels[c], centre * (1 - f), f, n);
      }
    }
    for (int c = 0; c < channels.length; c++) {
      double[] x = channels[c];
      if (resonanceDb > 0) {
        double gain = resonanceDb * (2 * random.nextDouble() - 1);
        double low = samplingRate / 100;
        double high = 0.45 * samplingRate;
        double centre = low * Math.pow(high / low, random.nextDouble());
        double octaves = 0.5 + 1.5 * random.nextDouble();
        x = Equalizer.bell(x, samplingRate, centre, gain, octaves);
      }
      double factor = 1;
      if (polarity && random.nextBoolean()) {
        factor = -1;
      }
      if (amplitudeScale > 1) {
        factor *= Math.pow(amplitudeScale, 2 * random.nextDouble() - 1);
      }
      if (factor != 1) {
        for (int i = 0; i < x.length; i++) {
          x[i] *= factor;
        }
      }
      channels[c] = x;
    }
  }

  /** E.g. {@code "rate±0.05, resonance±6dB, polarity"}, or {@code "none"}. */
  public String describe() {
    if (isNone()) {
      return "none";
    }
    java.util.List<String> parts = new java.util.ArrayList<>();
    if (rateJitter > 0) {
      parts.add("rate±" + rateJitter);
    }
    if (resonanceDb > 0) {
      parts.add("resonance±" + resonanceDb + "dB");
    }
    if (polarity) {
      parts.add("polarity");
    }
    if (amplitudeScale > 1) {
      parts.add("amplitude×/÷" + amplitudeScale);
    }
    return String.join(", ", parts);
  }
}
