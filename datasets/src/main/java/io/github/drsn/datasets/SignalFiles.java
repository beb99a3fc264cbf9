package io.github.drsn.datasets;

import io.github.drsn.contract.InputSpec;
import io.github.drsn.datasets.RecordingLoadException.Missing;
import io.github.drsn.datasets.csv.CsvLayout;
import io.github.drsn.datasets.csv.CsvTable;
import io.github.drsn.datasets.csv.HeaderMode;
import io.github.drsn.datasets.cwru.CwruCatalogue;
import io.github.drsn.datasets.cwru.CwruFile;
import io.github.drsn.datasets.io.WavAudio;
import io.github.drsn.datasets.io.WavReader;
import io.github.drsn.datasets.mat.MatContents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one vibration channel from a file of any supported kind, for diagnosis of unlabelled recordings:
 * MATLAB v5 MAT-files, CSV and WAV.
 *
 * <p>Channel choice: a MAT-file's variable matching {@code channel} (a regular expression; default: a
 * drive-end variable {@code X\d+_DE_time}, else the only numeric vector); a CSV column by name or 1-based
 * position (default: the only column that is not a time axis, {@link CsvLayout}); a WAV channel by 0-based index
 * (default: the only channel, or channel 0 when all are identical). Several candidates and no choice is an error
 * listing them: the channels of a vibration file are different sensors. Sampling rate: a WAV file's own; otherwise
 * the rate given, for a CWRU file the catalogue's (97.mat: 48 kHz), for a CSV file its time axis's. A directory is
 * refused, not searched. A MAT-file is recognised
 * as a CWRU file by its variable names first ({@code X105_DE_time}, {@code X105RPM}: file 105, whatever the file
 * is called), by its name ({@code 105.mat}) only when its variables do not tell.
 */
public final class SignalFiles {

  private static final Pattern DRIVE_END = Pattern.compile("X\\d+_DE_time");
  private static final Pattern RPM = Pattern.compile("X\\d+RPM");
  private static final Pattern FILE_NUMBER = Pattern.compile("(\\d+)\\.mat", Pattern.CASE_INSENSITIVE);
  private static final Pattern CWRU_VARIABLE = Pattern.compile("X(\\d+)(_(DE|FE|BA)_time|RPM)");

  /**
   * One channel of a file.
   *
   * @param samples the samples
   * @param samplingRate Hz
   * @param description where they came from, e.g. {@code "105.mat:X105_DE_time @ 12000 Hz"}
   */
  public record Signal(double[] samples, double samplingRate, String description) {}

  private SignalFiles() {}

  /**
   * @param file a .mat, .csv or .wav file
   * @param samplingRate the rate in Hz, or null to take it from the file (WAV) or the CWRU catalogue
   * @param channel which channel (see the class comment), or null for the default
   * @throws RecordingLoadException if the file is missing or unreadable, the channel is missing or
   *     ambiguous, a sample is NaN/Inf, or the rate is unknown; the message names the file
   */
  public static Signal read(Path file, Double samplingRate, String channel) throws RecordingLoadException {
    return read(new Source(file), samplingRate, channel);
  }

  /** {@link #read(Path, Double, String)} from a file's contents parsed at most once. */
  private static Signal read(Source source, Double samplingRate, String channel) throws RecordingLoadException {
    Path file = source.file;
    requireFile(file);
    Signal signal;
    if (isMat(file)) {
      signal = readMat(file, source.mat(), samplingRate, channel);
    } else if (isCsv(file)) {
      signal = readCsv(file, source.csv(), samplingRate, channel);
    } else if (isWav(file)) {
      signal = readWav(file, source.wav(), samplingRate, channel);
    } else {
      throw new RecordingLoadException(file, "unknown file type; expected .mat, .csv or .wav");
    }
    return checked(file, signal);
  }

  /**
   * One channel of a file with what the file says about the machine, from one read of the file (a MAT-file is
   * parsed once): the CWRU file it is and the shaft speed it records.
   *
   * @param signal the channel, as {@link #read} reads it
   * @param cwru the catalogued CWRU file it is ({@link #cwruFile}), empty for other files
   * @param speed the shaft speed it records ({@code X<digits>RPM}), empty when it records none
   */
  public record Described(Signal signal, Optional<CwruFile> cwru, Optional<RecordedSpeed> speed) {

    /**
     * The unit the samples are known to be in: {@code "g"} for a catalogued CWRU file (its accelerometers read in
     * g, MANIFEST.md), else empty.
     */
    public Optional<String> units() {
      return cwru.isPresent() ? Optional.of("g") : Optional.empty();
    }

    /**
     * The catalogued bearing whose accelerometer the channel reads: {@code cwru-de} for a CWRU file's default or
     * drive-end channel, {@code cwru-fe} for its fan-end channel, else empty.
     *
     * @param channel the channel asked for (null: the default)
     */
    public Optional<String> bearing(String channel) {
      if (cwru.isEmpty()) {
        return Optional.empty();
      }
      if (channel == null || channel.contains("DE")) {
        return Optional.of("cwru-de");
      }
      return channel.contains("FE") ? Optional.of("cwru-fe") : Optional.empty();
    }
  }

  /**
   * {@link #read} with what the file says about the machine ({@link Described}), reading the file once.
   *
   * @throws RecordingLoadException as {@link #read}, or if a MAT-file's speed variable is ambiguous or not a
   *     positive number
   */
  public static Described readDescribed(Path file, Double samplingRate, String channel)
      throws RecordingLoadException {
    if (!isMat(file) || !Files.isRegularFile(file)) {
      return new Described(read(file, samplingRate, channel), Optional.empty(), Optional.empty());
    }
    return readDescribed(file, MatContents.read(file), samplingRate, channel);
  }

  /**
   * {@link #readDescribed(Path, Double, String)} of a MAT-file already parsed: the file is not read again.
   *
   * @param file the MAT-file (for its name and messages)
   * @param mat its contents
   */
  public static Described readDescribed(Path file, MatContents mat, Double samplingRate, String channel)
      throws RecordingLoadException {
    Signal signal = checked(file, readMat(file, mat, samplingRate, channel));
    return new Described(signal, cwruFile(file, mat), recordedSpeed(file, mat));
  }

  /**
   * File name endings the readers take: MAT-files, CSV text (also as {@code .txt}, as many data-acquisition systems
   * export it) and WAV. The one list for every tool that picks recordings out of a folder.
   */
  public static final List<String> RECORDING_TYPES = List.of(".mat", ".csv", ".txt", ".wav");

  /** Whether {@code file}'s name ends with one of {@link #RECORDING_TYPES}, ignoring case. */
  public static boolean isRecordingName(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return RECORDING_TYPES.stream().anyMatch(name::endsWith);
  }

  private static boolean isMat(Path file) {
    return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".mat");
  }

  private static boolean isWav(Path file) {
    return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".wav");
  }

  /**
   * A file whose contents are parsed at most once, on first use, however many channels are chosen and read from it:
   * a MAT-file's variables, a CSV file's table, a WAV file's audio.
   */
  private static final class Source {

    private final Path file;
    private MatContents mat;
    private CsvTable csv;
    private WavAudio wav;

    Source(Path file) {
      this.file = file;
    }

    MatContents mat() throws RecordingLoadException {
      if (mat == null) {
        mat = MatContents.read(file);
      }
      return mat;
    }

    CsvTable csv() throws RecordingLoadException {
      if (csv == null) {
        csv = CsvTable.read(file, HeaderMode.AUTO);
      }
      return csv;
    }

    WavAudio wav() throws RecordingLoadException {
      if (wav == null) {
        try {
          wav = WavReader.read(file);
        } catch (IOException e) {
          throw new RecordingLoadException(file, problem(e));
        }
      }
      return wav;
    }
  }

  /** The signal, after checking that it has samples and all are finite. */
  private static Signal checked(Path file, Signal signal) throws RecordingLoadException {
    for (int i = 0; i < signal.samples().length; i++) {
      if (!Double.isFinite(signal.samples()[i])) {
        throw new RecordingLoadException(file, "sample " + i + " of " + signal.description() + " is "
            + signal.samples()[i] + "; expected finite values");
      }
    }
    if (signal.samples().length == 0) {
      throw new RecordingLoadException(file, signal.description() + " holds no samples");
    }
    return signal;
  }

  /**
   * Several channels of one file, in the order given, for a model that takes several (each as
   * {@link #read(Path, Double, String)} reads one), from the file parsed once.
   *
   * @param source a .mat, .csv or .wav file
   * @param samplingRate the rate in Hz, or null to take it from the file or the CWRU catalogue
   * @param channels the channels, in the model's order; empty for the file's default channel when one is wanted,
   *     or, when {@code count} &gt; 1, every channel of a WAV or CSV file that has exactly {@code count} of them
   * @param count the number of channels the model takes
   * @return {@code count} channels of equal length and rate
   * @throws RecordingLoadException as {@link #read}, or if the number of channels named is not {@code count},
   *     the file's channels cannot be chosen without names, or the channels differ in length
   */
  private static List<Signal> readChannels(Source source, Double samplingRate, List<String> channels, int count)
      throws RecordingLoadException {
    Path file = source.file;
    if (count < 1) {
      throw new IllegalArgumentException("channel count must be positive, got " + count);
    }
    List<String> names = channels;
    if (names.isEmpty() && count == 1) {
      return List.of(read(source, samplingRate, null));
    }
    if (!names.isEmpty() && names.size() != count) {
      throw new RecordingLoadException(file, names.size() + " channel(s) named " + names + " for a model that takes "
          + count + "; name one per model input channel, in the model's order");
    }
    if (isCsv(file)) {
      // One parse for all channels, and columns carried by index: a header "time,1,2" names its columns "1" and "2".
      return readCsvChannels(source, samplingRate, names, count);
    }
    if (names.isEmpty()) {
      names = defaultChannels(source, count);
    }
    List<Signal> signals = new java.util.ArrayList<>();
    for (String name : names) {
      Signal signal = read(source, samplingRate, name);
      if (!signals.isEmpty() && (signal.samples().length != signals.get(0).samples().length
          || signal.samplingRate() != signals.get(0).samplingRate())) {
        throw new RecordingLoadException(file, signal.description() + " has " + signal.samples().length
            + " samples but " + signals.get(0).description() + " has " + signals.get(0).samples().length
            + "; expected channels of one recording, of equal length and rate");
      }
      signals.add(signal);
    }
    return List.copyOf(signals);
  }

  /**
   * The channels of a recording read for a model, in the model's order, as {@code Diagnoser.diagnose} takes them.
   *
   * @param samples one array per channel, all of one length
   * @param samplingRate Hz, common to the channels
   * @param description where they came from, the channels' descriptions joined with {@code " + "}
   */
  public record Channels(double[][] samples, double samplingRate, String description) {

    /** One channel as the channels of a one-channel model. */
    public static Channels of(Signal signal) {
      return new Channels(new double[][] {signal.samples()}, signal.samplingRate(), signal.description());
    }
  }

  /**
   * A recording read for a model, from one parse of the file: the channels of {@code file} that a model with this
   * input takes, in the model's order, and how they were chosen. They are those the user names ({@code given}, which
   * override the model's names), else those the file offers under the model's channel names
   * ({@link InputSpec#channelIndices}: a CWRU variable {@code X097_FE_time} is the channel {@code FE}), else, for a
   * model whose names are not recorded or a file whose channels have none (WAV, CSV without a header), the file's
   * defaults: for a model of one channel, its channel as {@link #read(Path, Double, String)} reads it without a
   * choice; for a model of several, every channel of a WAV or CSV file that has exactly as many. A one-channel model
   * given a file of one channel under another name takes it, as before names were recorded, and says so in the basis:
   * sensors are named differently from rig to rig ({@link InputSpec#takenChannels}, the rule the runtime and the
   * data-set path follow too). So does a one-channel model of another rig's sensor (not a CWRU position DE, FE or BA)
   * given a MAT-file with none of its channel's name but a drive-end variable ({@code X105_DE_time}): the readers'
   * default channel of a MAT-file, as they took it before names were recorded.
   *
   * @param file a .mat, .csv or .wav file
   * @param samplingRate the rate given, or null (a CSV's channels are told from its time axis with it)
   * @param given the channels the user chose (e.g. {@code --channel}), empty for none
   * @param input the model's input
   * @return the choice and its channels, of equal length and rate
   * @throws RecordingLoadException naming the file, the channels it has and the channels the model expects, when
   *     one of the model's named channels is not in the file (or is there twice), tagged {@link Missing#CHANNEL};
   *     as {@link #read} for each channel (a file missing or unreadable, a channel missing or ambiguous, a sample
   *     NaN/Inf, the rate unknown); or when the number of channels given is not the model's, the file's channels
   *     cannot be chosen without names, or they differ in length or rate
   */
  public static ModelRead readForModel(Path file, Double samplingRate, List<String> given, InputSpec input)
      throws RecordingLoadException {
    Source source = new Source(file);
    ChannelChoice choice = chooseChannels(source, samplingRate, given, input);
    List<Signal> signals = readChannels(source, samplingRate, choice.channels(), input.channels());
    return new ModelRead(file, choice, signals, source.mat);
  }

  /**
   * A recording read for a model ({@link #readForModel(Path, Double, List, InputSpec)}): how its channels were chosen,
   * the channels, and what the file says about the machine, all from one parse of the file.
   */
  public static final class ModelRead {

    private final Path file;
    private final ChannelChoice choice;
    private final List<Signal> signals;
    private final Channels channels;
    private final MatContents mat;

    private ModelRead(Path file, ChannelChoice choice, List<Signal> signals, MatContents mat) {
      this.file = file;
      this.choice = choice;
      this.signals = List.copyOf(signals);
      this.channels = new Channels(signals.stream().map(Signal::samples).toArray(double[][]::new),
          signals.get(0).samplingRate(), String.join(" + ", signals.stream().map(Signal::description).toList()));
      this.mat = mat;
    }

    /** The file, as given. */
    public Path file() {
      return file;
    }

    /** How the channels were chosen: {@link ChannelChoice#basis()} for people, {@link ChannelChoice#first()}. */
    public ChannelChoice choice() {
      return choice;
    }

    /** Each channel as read, in the model's order. */
    public List<Signal> signals() {
      return signals;
    }

    /** The channels as {@code Diagnoser.diagnose} takes them. */
    public Channels channels() {
      return channels;
    }

    /**
     * The first channel with what the file says about the machine, without reading the file again: for a model of
     * one channel, what {@link #readDescribed(Path, Double, String)} gives for {@code choice().first()}. Asked for
     * only when needed (the physics, an order-domain model's speed): a MAT-file's speed variable is checked here, so
     * that one a time-domain model never uses (a stopped machine's 0 rpm) does not refuse the file.
     *
     * @throws RecordingLoadException as {@link #readDescribed(Path, Double, String)}: a MAT-file's speed variable is
     *     ambiguous or not a positive number
     */
    public Described described() throws RecordingLoadException {
      Signal first = signals.get(0);
      return mat == null ? new Described(first, Optional.empty(), Optional.empty())
          : new Described(first, cwruFile(file, mat), recordedSpeed(file, mat));
    }
  }

  /**
   * How a model's channels were chosen from a file, and which: the {@code --channel} values to read them with.
   *
   * @param channels what was read, as {@code --channel} names it (a MAT variable as a quoted pattern, a CSV column
   *     name); empty for the file's default channels, as before names were recorded
   * @param expected the model's channel names in its order, empty when the bundle does not record them
   * @param basis how they were chosen, for people: e.g. {@code "by name"}, {@code "as --channel gives them"}
   */
  public record ChannelChoice(List<String> channels, List<String> expected, String basis) {

    public ChannelChoice {
      channels = List.copyOf(channels);
      expected = List.copyOf(expected);
    }

    /** The one channel of a one-channel model's choice, or null for the file's default. */
    public String first() {
      return channels.isEmpty() ? null : channels.get(0);
    }
  }

  /**
   * How the channels of {@code source} that a model with this input takes are chosen
   * ({@link #readForModel(Path, Double, List, InputSpec)}).
   */
  private static ChannelChoice chooseChannels(Source source, Double samplingRate, List<String> given,
      InputSpec input) throws RecordingLoadException {
    Path file = source.file;
    List<String> expected = input.channelNames();
    if (!given.isEmpty()) {
      return new ChannelChoice(given, expected, "as --channel gives them" + (expected.isEmpty() ? ""
          : " (the model was trained on " + String.join(", ", expected) + ")"));
    }
    if (expected.isEmpty()) {
      return new ChannelChoice(List.of(), expected, "the file's default (the model does not record its channels'"
          + " names)");
    }
    List<String> offered = offeredChannels(source, samplingRate);
    if (offered.isEmpty()) {
      return new ChannelChoice(List.of(), expected, "by position: the file's channels have no names, taken as the"
          + " model's " + String.join(", ", expected));
    }
    int[] indices;
    try {
      // The one rule of every reader (the runtime's and the data-set path's too), one-channel exception included.
      indices = input.takenChannels(offered, "the file", "choose the channels to use explicitly (--channel), one per"
          + " model channel in the model's order");
    } catch (IllegalArgumentException e) {
      List<String> driveEnd = offered.stream().filter(name -> DRIVE_END.matcher(name).matches()).toList();
      boolean cwruPosition = List.of("DE", "FE", "BA").contains(expected.get(0).toUpperCase(Locale.ROOT));
      if (input.channels() == 1 && isMat(file) && driveEnd.size() == 1 && !cwruPosition) {
        // The reader's default channel of a MAT-file, as before names were recorded: a one-channel model of another
        // rig's sensor (the synthetic drivetrain's "housing") still reads a CWRU file's drive end, and says so. A
        // model of a CWRU position the file lacks (BA) is refused: the file names its sensors, and not that one.
        return new ChannelChoice(List.of(select(file, driveEnd.get(0))), expected, "the file's default channel "
            + driveEnd.get(0) + " (the drive end), though the model was trained on " + expected.get(0));
      }
      throw new RecordingLoadException(file, e.getMessage(), Missing.CHANNEL);
    }
    if (input.onlyChannelUnderAnotherName(offered)) {
      return new ChannelChoice(List.of(select(file, offered.get(0))), expected, "the file's only channel "
          + offered.get(0) + ", though the model was trained on " + expected.get(0));
    }
    List<String> channels = new java.util.ArrayList<>();
    for (int index : indices) {
      channels.add(select(file, offered.get(index)));
    }
    return new ChannelChoice(channels, expected, "by name: " + String.join(", ", expected));
  }

  /** What selects the channel {@code name} of a file: a MAT variable as a quoted pattern, else the name itself. */
  private static String select(Path file, String name) {
    return isMat(file) ? Pattern.quote(name) : name;
  }

  /** A CSV column name that only counts the columns ({@code col1}, as {@link CsvTable} names a headerless file's). */
  private static final Pattern POSITIONAL = Pattern.compile("(col|ch|channel)?\\s*\\d+", Pattern.CASE_INSENSITIVE);

  /**
   * Whether a channel name only gives a position ({@code col2}, {@code ch0}, {@code 3}) rather than a sensor: such a
   * name is not recorded in a bundle, nor matched against one.
   */
  public static boolean positionalName(String name) {
    return POSITIONAL.matcher(name).matches();
  }

  /**
   * The names under which a file offers its channels, in its order, for choosing a model's by name: a MAT-file's
   * numeric vectors, a CSV file's signal columns (its time axes aside) when its header names them; empty for a WAV
   * file or a CSV file without a header, whose channels are known by position only.
   *
   * @throws RecordingLoadException if the file cannot be read
   */
  private static List<String> offeredChannels(Source source, Double samplingRate) throws RecordingLoadException {
    Path file = source.file;
    requireFile(file);
    if (isMat(file)) {
      return vectors(source.mat());
    }
    if (isCsv(file)) {
      CsvTable table = source.csv();
      List<String> names = CsvLayout.of(file, table, samplingRate, List.of()).signalColumns().stream()
          .map(c -> table.columnNames().get(c)).toList();
      return names.stream().allMatch(SignalFiles::positionalName) ? List.of() : names;
    }
    return List.of();
  }

  /** A MAT-file's real numeric vectors (n x 1 or 1 x n, n &gt; 1): the variables a channel is read from. */
  private static List<String> vectors(MatContents mat) {
    return mat.numericVariables().stream()
        .filter(v -> {
          try {
            int[] d = mat.dimensions(v);
            return d.length == 2 && Math.min(d[0], d[1]) == 1 && Math.max(d[0], d[1]) > 1;
          } catch (RecordingLoadException e) {
            return false;
          }
        })
        .toList();
  }

  /** A directory is not a recording (the caller lists its files: which ones, and how deep, is the caller's call). */
  private static void requireFile(Path file) throws RecordingLoadException {
    if (Files.isDirectory(file)) {
      throw new RecordingLoadException(file, "is a directory; expected a MAT, CSV or WAV file");
    }
    if (!Files.isRegularFile(file)) {
      throw new RecordingLoadException(file, "no such file; expected a MAT, CSV or WAV file");
    }
  }

  private static List<String> defaultChannels(Source source, int count) throws RecordingLoadException {
    Path file = source.file;
    requireFile(file);
    if (!isWav(file)) {
      throw new RecordingLoadException(file, "the model takes " + count + " channels; name the variables with"
          + " --channel, once per channel in the model's order");
    }
    int available = source.wav().numChannels();
    if (available != count) {
      throw new RecordingLoadException(file, "has " + available + " channels and the model takes " + count
          + "; name the ones to use with --channel, once per channel in the model's order");
    }
    List<String> names = new java.util.ArrayList<>();
    for (int i = 0; i < count; i++) {
      names.add(Integer.toString(i));
    }
    return names;
  }

  private static Signal readMat(Path file, MatContents mat, Double samplingRate, String channel)
      throws RecordingLoadException {
    String variable;
    if (channel != null) {
      variable = mat.requireSingleMatch(Pattern.compile(channel));
    } else {
      List<String> driveEnd = mat.matching(DRIVE_END);
      List<String> vectors = vectors(mat);
      if (driveEnd.size() == 1) {
        variable = driveEnd.get(0);
      } else if (vectors.size() == 1) {
        variable = vectors.get(0);
      } else {
        if (vectors.isEmpty()) {
          // A matrix of several channels is the likeliest: name it with its shape, so the user can pick a column.
          List<String> matrices = new java.util.ArrayList<>();
          for (String v : mat.numericVariables()) {
            int[] d = mat.dimensions(v);
            if (d.length >= 2 && java.util.Arrays.stream(d).allMatch(n -> n > 1)) {
              matrices.add(v + " (" + java.util.Arrays.stream(d).mapToObj(String::valueOf)
                  .collect(java.util.stream.Collectors.joining("x")) + ")");
            }
          }
          throw new RecordingLoadException(file, "holds no real numeric vector to read as a signal"
              + (matrices.isEmpty() ? "" : "; its matrices " + matrices + " hold several channels each, which a"
              + " recording is not read from: save each channel as its own vector (x1 = M(:,1) in MATLAB), or list"
              + " the file in a manifest, which reads a matrix's columns as its channels")
              + (mat.otherVariables().isEmpty() ? "" : "; its other variables are " + mat.otherVariables()
              + " (character, complex, sparse, cell and struct arrays are not signals)")
              + "; expected a real numeric vector such as X105_DE_time");
        }
        throw new RecordingLoadException(file, "cannot tell which variable holds the signal among " + vectors
            + "; name it with --channel (a variable name or pattern)");
      }
    }
    String description = file.getFileName() + ":" + variable;
    double rate;
    if (samplingRate != null) {
      rate = samplingRate;
    } else {
      CwruFile cwru = cwruFile(file, mat).orElseThrow(() -> new RecordingLoadException(file,
          "unknown sampling rate; give it (neither its variable names nor its file name make it a catalogued CWRU"
              + " file)"));
      rate = cwru.samplingRate();
      if (!file.getFileName().toString().equalsIgnoreCase(cwru.fileName())) {
        description += " (CWRU file " + cwru.fileName() + " by its variable names)";
      }
    }
    return new Signal(mat.vector(variable), rate, description + " @ " + rate + " Hz");
  }

  /**
   * The CWRU file a MAT-file is, by the one number in its CWRU-style variable names (a renamed download is
   * still recognised), else by its file name.
   *
   * @param file the MAT-file (for its name)
   * @param mat its contents
   * @return the catalogue entry, if either tells it unambiguously
   */
  public static Optional<CwruFile> cwruFile(Path file, MatContents mat) {
    java.util.Set<Integer> numbers = new java.util.TreeSet<>();
    for (String name : mat.matching(CWRU_VARIABLE)) {
      Matcher v = CWRU_VARIABLE.matcher(name);
      if (v.matches() && v.group(1).length() <= 6) {
        numbers.add(Integer.parseInt(v.group(1)));
      }
    }
    if (numbers.size() == 1) {
      List<CwruFile> byVariables = CwruCatalogue.findByVariableNumber(numbers.iterator().next());
      if (byVariables.size() == 1) {
        return Optional.of(byVariables.get(0));
      }
    }
    Matcher m = FILE_NUMBER.matcher(file.getFileName().toString());
    if (!m.matches() || m.group(1).length() > 6) {
      return Optional.empty();
    }
    return CwruCatalogue.find(Integer.parseInt(m.group(1)));
  }

  /**
   * A shaft speed recorded in a file.
   *
   * @param rpm revolutions per minute
   * @param source where it was read, e.g. {@code "file variable X105RPM"}
   */
  public record RecordedSpeed(double rpm, String source) {}

  /**
   * The shaft speed a MAT-file records: its one variable named {@code X<digits>RPM} (as CWRU files carry), read
   * as a scalar; empty when there is none.
   *
   * @throws RecordingLoadException if the file holds several such variables, or the speed is not a finite positive
   *     number; the message names the file and variable
   */
  private static Optional<RecordedSpeed> recordedSpeed(Path file, MatContents mat) throws RecordingLoadException {
    List<String> names = mat.matching(RPM);
    if (names.isEmpty()) {
      return Optional.empty();
    }
    if (names.size() > 1) {
      throw new RecordingLoadException(file, "holds several speed variables " + names + "; give the speed");
    }
    double rpm = mat.scalar(names.get(0));
    if (!(rpm > 0) || Double.isInfinite(rpm)) {
      throw new RecordingLoadException(file, "variable " + names.get(0) + " is " + rpm + ", expected a speed > 0 rpm");
    }
    return Optional.of(new RecordedSpeed(rpm, "file variable " + names.get(0)));
  }

  private static boolean isCsv(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".csv") || name.endsWith(".txt");
  }

  private static Signal readCsv(Path file, CsvTable table, Double samplingRate, String channel)
      throws RecordingLoadException {
    CsvLayout layout = CsvLayout.of(file, table, samplingRate, channel == null ? List.of() : List.of(channel));
    if (layout.signalColumns().size() != 1) {
      throw new RecordingLoadException(file, "has " + layout.signalColumns().size() + " signal columns "
          + layout.signalNames(table) + "; choose one by name or 1-based position", Missing.CHANNEL);
    }
    return csvSignal(file, table, layout, layout.signalColumns().get(0));
  }

  /** The CSV channels of a model of {@code count}: those named, else every signal column when there are that many. */
  private static List<Signal> readCsvChannels(Source source, Double samplingRate, List<String> channels, int count)
      throws RecordingLoadException {
    Path file = source.file;
    requireFile(file);
    CsvTable table = source.csv();
    // The time axis is no channel: "time,de,fe" holds two.
    CsvLayout layout = CsvLayout.of(file, table, samplingRate, channels);
    if (layout.signalColumns().size() != count) {
      throw new RecordingLoadException(file, "has " + layout.signalColumns().size() + " signal columns and the"
          + " model takes " + count + "; name the ones to use with --channel, once per channel in the model's order");
    }
    List<Signal> signals = new java.util.ArrayList<>();
    for (int column : layout.signalColumns()) {
      signals.add(checked(file, csvSignal(file, table, layout, column)));
    }
    return List.copyOf(signals);
  }

  private static Signal csvSignal(Path file, CsvTable table, CsvLayout layout, int column) {
    return new Signal(table.columns()[column], layout.samplingRate(), file.getFileName() + ":"
        + table.columnNames().get(column) + " @ " + layout.samplingRate() + " Hz" + layout.remarks());
  }

  /** An I/O failure's message without the file's name when it already leads it (a FileFormatException's). */
  private static String problem(IOException e) {
    return e instanceof io.github.drsn.contract.io.FileFormatException f ? f.problem() : e.getMessage();
  }

  private static Signal readWav(Path file, WavAudio audio, Double samplingRate, String channel)
      throws RecordingLoadException {
    int index = 0;
    if (channel == null && audio.numChannels() > 1 && !identicalChannels(audio)) {
      throw new RecordingLoadException(file, "has " + audio.numChannels() + " channels; choose one by its 0-based"
          + " index 0.." + (audio.numChannels() - 1), Missing.CHANNEL);
    }
    if (channel != null) {
      try {
        index = Integer.parseInt(channel);
      } catch (NumberFormatException e) {
        index = -1;
      }
      if (index < 0 || index >= audio.numChannels()) {
        throw new RecordingLoadException(file, "no channel '" + channel + "'; a WAV channel is an index 0.."
            + (audio.numChannels() - 1));
      }
    }
    if (samplingRate != null && samplingRate != audio.sampleRateHz()) {
      throw new RecordingLoadException(file, "the WAV header says " + audio.sampleRateHz() + " Hz but "
          + samplingRate + " Hz was given");
    }
    return new Signal(audio.channel(index), audio.sampleRateHz(),
        file.getFileName() + ":channel " + index + " @ " + audio.sampleRateHz() + " Hz"
            + (channel == null && audio.numChannels() > 1 ? " (its " + audio.numChannels() + " channels are identical)"
            : ""));
  }

  /** Whether every channel equals the first, sample for sample: a mono sensor recorded as stereo. */
  private static boolean identicalChannels(WavAudio audio) {
    double[] first = audio.channel(0);
    for (int c = 1; c < audio.numChannels(); c++) {
      if (!java.util.Arrays.equals(first, audio.channel(c))) {
        return false;
      }
    }
    return true;
  }
}
