package io.github.drsn.signals;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every public entry point, fed each kind of bad input, throws IllegalArgumentException naming it. */
class BadInputTest {

  private static final double[] EMPTY = {};
  private static final double[] WITH_NAN = {1, 2, Double.NaN, 4};
  private static final double[] WITH_INF = {1, Double.NEGATIVE_INFINITY, 3, 4};
  private static final double[] SHORT = new double[64];

  private static Arguments bad(String problem, Executable call, String fragment) {
    return Arguments.of(problem, call, fragment);
  }

  static Stream<Arguments> cases() {
    SplittableRandom rng = new SplittableRandom(0);
    Butterworth low = Butterworth.lowPass(4, 100, 1000);
    return Stream.of(
        bad("amplitude spectrum of empty", () -> Fft.amplitudeSpectrum(EMPTY, 1000), "x must not be empty"),
        bad("amplitude spectrum with NaN", () -> Fft.amplitudeSpectrum(WITH_NAN, 1000), "x[2] is NaN"),
        bad("amplitude spectrum with -Inf", () -> Fft.amplitudeSpectrum(WITH_INF, 1000), "x[1] is -Infinity"),
        bad("amplitude spectrum at fs 0", () -> Fft.amplitudeSpectrum(SHORT, 0), "sampling rate fs must be positive"),
        bad("windowed spectrum at fs -1", () -> Fft.amplitudeSpectrum(SHORT, -1, Window.HANN), "sampling rate fs"),
        bad("power spectrum of empty", () -> Fft.powerSpectrum(EMPTY, 1), "x must not be empty"),
        bad("welch of NaN", () -> Welch.psd(WITH_NAN, 1, 2, 0, Window.HANN), "x[2] is NaN"),
        bad("welch segment too long", () -> Welch.psd(SHORT, 1, 65, 0, Window.HANN),
            "segmentLength 65 is longer than the signal x (64 samples)"),
        bad("welch at fs NaN", () -> Welch.psd(SHORT, Double.NaN, 8, 0, Window.HANN), "sampling rate fs"),
        bad("stft frame too long", () -> Stft.compute(SHORT, 1, 65, 1, Window.HANN),
            "frameLength 65 is longer than the signal x (64 samples)"),
        bad("stft of Inf", () -> Stft.compute(WITH_INF, 1, 2, 1, Window.HANN), "x[1] is -Infinity"),
        bad("envelope of empty", () -> Envelope.envelope(EMPTY), "x must not be empty"),
        bad("hilbert of NaN", () -> Envelope.hilbert(WITH_NAN), "x[2] is NaN"),
        bad("envelope spectrum at fs 0", () -> Envelope.spectrum(SHORT, 0), "sampling rate fs"),
        bad("band envelope above Nyquist", () -> Envelope.spectrum(SHORT, 1000, 100, 600), "highHz"),
        bad("band envelope of a signal shorter than the padding", () -> Envelope.spectrum(new double[20], 1000,
            100, 200), "filtfilt needs more than the 27-sample edge padding"),
        bad("butterworth at fs -3", () -> Butterworth.lowPass(2, 1, -3), "sampling rate fs"),
        bad("butterworth order 0", () -> Butterworth.highPass(0, 1, 10), "order must be in [1, 32]"),
        bad("butterworth cutoff at Nyquist", () -> Butterworth.lowPass(2, 500, 1000), "cutoffHz"),
        bad("butterworth reversed band", () -> Butterworth.bandPass(2, 200, 100, 1000), "lowHz < highHz"),
        bad("filter of NaN", () -> low.filter(WITH_NAN), "x[2] is NaN"),
        bad("filtfilt of empty", () -> low.filtfilt(EMPTY), "x must not be empty"),
        bad("filtfilt of a too short signal", () -> low.filtfilt(new double[10]), "10 samples"),
        bad("decimate empty", () -> Resampling.decimate(EMPTY, 2), "x must not be empty"),
        bad("decimate NaN", () -> Resampling.decimate(WITH_NAN, 2), "x[2] is NaN"),
        bad("decimate by 0", () -> Resampling.decimate(SHORT, 0), "decimation factor must be positive"),
        bad("resample at fsIn 0", () -> Resampling.resample(SHORT, 0.0, 1.0), "sampling rate fsIn"),
        bad("resample at fsOut Inf", () -> Resampling.resample(SHORT, 1.0, Double.POSITIVE_INFINITY),
            "sampling rate fsOut"),
        bad("polyphase ratio of an irrational rate change", () -> Resampling.ratio(1.0, Math.E),
            "not a ratio up/down"),
        bad("resample NaN by interpolation", () -> Resampling.resample(WITH_NAN, 1.0, Math.E), "x[2] is NaN"),
        bad("resample to more samples than an array holds", () -> Resampling.resample(SHORT, 1.0, 1e9 * Math.E),
            "more than an array holds"),
        bad("normalise empty", () -> Normalization.Z_SCORE.apply(EMPTY), "window must not be empty"),
        bad("normalise NaN", () -> Normalization.MIN_MAX.apply(WITH_NAN), "window[2] is NaN"),
        bad("normalise float range outside array", () -> Normalization.Z_SCORE.applyInPlace(new float[8], 6, 4),
            "does not fit in an array of length 8"),
        bad("segment window longer than region", () -> Segmentation.windowStarts(0, 100, 101, 1),
            "windowLength 101 is longer than the region [0, 100)"),
        bad("segment empty region", () -> Segmentation.windowStarts(5, 5, 1, 1), "region [5, 5) is empty"),
        bad("segment stride 0", () -> Segmentation.windowStarts(0, 5, 1, 0), "stride must be positive"),
        bad("noise on empty", () -> Noise.addAtSnr(EMPTY, NoiseType.GAUSSIAN, 0, rng), "clean must not be empty"),
        bad("noise on NaN", () -> Noise.addAtSnr(WITH_NAN, NoiseType.PINK, 0, rng), "clean[2] is NaN"),
        bad("noise on silence", () -> Noise.addAtSnr(SHORT, NoiseType.LAPLACIAN, 0, rng), "zero power"),
        bad("noise at Inf dB", () -> Noise.addAtSnr(new double[] {1}, NoiseType.GAUSSIAN,
            Double.POSITIVE_INFINITY, rng), "snrDb must be finite"),
        bad("noise at NaN dB", () -> Noise.addAtSnr(new double[] {1}, NoiseType.GAUSSIAN, Double.NaN, rng),
            "snrDb must be finite"),
        bad("snr of Inf", () -> Noise.snrDb(new double[] {1, 2, 3, 4}, WITH_INF), "noisy[1] is -Infinity"),
        bad("snr of different lengths", () -> Noise.snrDb(new double[] {1}, new double[] {1, 2}), "same length"),
        bad("window of length 0", () -> Window.BLACKMAN.coefficients(0, Window.Symmetry.SYMMETRIC),
            "window length n must be positive"),
        bad("spectrum peak in empty range", () -> Fft.amplitudeSpectrum(SHORT, 64).peakIndex(40, 50), "no bin"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void badInputThrowsIllegalArgumentNamingTheProblem(String problem, Executable call, String fragment) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call, problem);
    assertTrue(e.getMessage().contains(fragment), problem + ": message '" + e.getMessage() + "' lacks '"
        + fragment + "'");
  }
}
