package io.github.drsn.contract;

import io.github.drsn.contract.io.AtomicFiles;
import io.github.drsn.contract.io.FileFormatException;
import io.github.drsn.contract.io.ZipEntries;
import io.github.drsn.contract.io.Json;
import io.github.drsn.contract.io.NpyArray;
import io.github.drsn.contract.io.Npy;
import io.github.drsn.signals.Normalization;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A trained model with everything needed to use it alone, and the one reader and writer of its file format
 * ({@value #FORMAT} version {@value #FORMAT_VERSION}): a zip archive with
 * <ul>
 *   <li>{@code bundle.json}: format and version, project version, creation time, the architecture and its sizes
 *       ({@link ModelLayout}), class names, the {@link InputSpec}, the parameter layout (name and shape of every
 *       parameter array, in order) with the SHA-256 of {@code parameters.npy}, and free-form {@code training},
 *       {@code provenance} and {@code metrics} objects, and optionally a typed {@code calibration} object
 *       ({@link Calibration}: temperature, out-of-distribution statistics and thresholds);
 *   <li>{@code parameters.npy}: the flat parameter vector (float32, or float64 for double-precision networks),
 *       batch-norm running statistics included, in {@link ModelLayout#parameters()} order;
 *   <li>{@code knn-features.npy} ({@link Calibration#NEIGHBOURS_ENTRY}), only when the calibration has the
 *       nearest-neighbour method: the normalised training features (float32, n × d), with their SHA-256 in
 *       {@code calibration.knn.sha256} (see {@link Calibration} for why an older reader still loads such a bundle);
 *   <li>{@code card.json} and {@code card.md}: the {@link ModelCard}, derived from the metadata when written and
 *       ignored when read (older bundles lack them; {@code drsn card} renders any bundle's).
 * </ul>
 * Reading checks, before building anything: the format and version, that each entry appears once and is not
 * larger than its limit (sizes are counted while inflating, not taken from the archive's headers), the SHA-256,
 * that the sizes are within {@link ModelLayout#LIMITS}, that the recorded layout is exactly the layout of the
 * architecture it names, and that every parameter is finite. Every failure is a {@link BundleFormatException}
 * naming the file. Nothing in the file is interpreted as a class name and no Java object is deserialised. Files
 * are written atomically (temp file in the same folder, then rename).
 *
 * <p><b>Ensembles</b> (format version {@value #ENSEMBLE_FORMAT_VERSION}). A bundle may hold several networks, its
 * {@link #members()}, that share the classes, the input specification and the precision; each member may have its own
 * architecture and sizes. The first member is stored exactly as a single network is (top-level {@code architecture},
 * {@code model}, {@code parameters}, {@code parameters.npy}); the others are listed in an {@code ensemble} object,
 * each with the same three keys, their parameters in {@code member-1.npy}, {@code member-2.npy}, ... (each with its
 * SHA-256, checked like the first). What an ensemble predicts is the mean of its members' softmax probabilities
 * (Lakshminarayanan et al. 2017; Huang et al. 2017 for snapshot ensembles). A single-network bundle is still written
 * as version {@value #FORMAT_VERSION}, byte for byte as before, so older readers keep loading it; an ensemble is
 * written as version {@value #ENSEMBLE_FORMAT_VERSION}, which readers of version 1 refuse ("reads format version 1
 * only; upgrade drsn") instead of silently using the first member. This reader reads both.
 *
 * <p>Versioning of the {@code calibration} section: it was added without raising {@link #FORMAT_VERSION}, because it
 * is optional and a reader of this format ignores top-level keys it does not know (this reader reads only the keys
 * it names). The consequence, stated honestly: an older drsn loads a calibrated bundle as an uncalibrated one
 * (softmax at T = 1, never "unknown"); it does not refuse it. A bundle without the section reads as uncalibrated
 * here too. When present, every value of the section is checked (finite, T &gt; 0, rates in range, sizes matching
 * the layout) and a bad value is a {@link BundleFormatException} naming the file and the field.
 *
 * <p>Versioning of {@link ModelLayout#thresholdNormalization()} (key {@code model.threshold_normalization}): written
 * only when it differs from {@code model.normalization}, and read as that when absent. An older reader that ignores
 * the key refuses such a bundle rather than misreading it: the threshold norm's running statistics (or, for
 * {@link NormKind#NONE}, its missing γ and β) make the recorded parameter layout differ from the one it expects; a
 * reader that knows the key but not the value refuses it as an unknown constant.
 *
 * <p>Versioning of the channel names ({@link InputSpec#channelNames()}, key {@code input.channel_names}, written only
 * when known): added without raising the version, as the calibration section was. A reader that ignores the key
 * chooses a recording's channels as drsn did before names were recorded (by position or by the user's choice), which
 * is what it did with every bundle before; a bundle without the key reads as one whose names are unknown and is used
 * as before. When present, the key must list one distinct name per input channel.
 *
 * <p>Versioning of the order domain ({@link InputSpec#samplesPerRevolution()}, key
 * {@code input.samples_per_revolution}): an order-domain model cannot be used by a reader that would ignore the key
 * (it would feed windows at the wrong rate and answer confidently wrong), so such a bundle is written as format
 * version {@value #ORDER_DOMAIN_FORMAT_VERSION}, which older readers refuse with "upgrade drsn to load it". Every
 * other bundle is written as before (1, or 2 for an ensemble), and this reader reads all three.
 *
 * @param layout the network
 * @param classes class names in output order
 * @param input what a window must be and how it becomes network input
 * @param precision the parameters' floating-point type (the network's data type)
 * @param parameters the flat parameter vector (float values are held exactly)
 * @param projectVersion the drsn version that wrote the bundle
 * @param createdUtc when it was written
 * @param training the training configuration (free-form JSON as {@link Json#parse} returns it)
 * @param provenance data files with SHA-256, seeds, split, versions (free-form JSON)
 * @param metrics validation and test metrics (free-form JSON)
 * @param calibration temperature and out-of-distribution statistics, or null for an uncalibrated model
 * @param others the members after the first ({@code layout}, {@code parameters}); empty for a single network
 */
public record Bundle(ModelLayout layout, List<String> classes, InputSpec input, Precision precision,
    double[] parameters, String projectVersion, Instant createdUtc, Map<String, Object> training,
    Map<String, Object> provenance, Map<String, Object> metrics, Calibration calibration, List<Member> others) {

  /**
   * One network of a bundle: its architecture and sizes and its flat parameter vector (in
   * {@link ModelLayout#parameters()} order, batch-norm statistics included).
   *
   * @param layout the network
   * @param parameters its parameters (a copy is kept; float values are held exactly)
   */
  public record Member(ModelLayout layout, double[] parameters) {

    /** @throws IllegalArgumentException if the parameter count does not fit the layout or a value is not finite */
    public Member {
      parameters = keep(parameters);
      Objects.requireNonNull(layout, "layout");
      checkParameters(layout, parameters);
    }

    @Override
    public double[] parameters() {
      return parameters.clone();
    }

    /**
     * The parameters as float32, for float inference.
     *
     * @throws IllegalArgumentException naming the index and the parameter of a value beyond the float32 range (a
     *     double-precision network may hold one; as float it would be an infinity, and every output NaN)
     */
    public float[] floatParameters() {
      float[] out = new float[parameters.length];
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) parameters[i];
        if (Float.isInfinite(out[i])) {
          throw new IllegalArgumentException(beyondFloat(layout, parameters, i));
        }
      }
      return out;
    }

    /** The number of pooled features (the dense layer's input: the last stage's channels). */
    public int pooledFeatures() {
      int[] stages = layout.stageChannels();
      return stages[stages.length - 1];
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Member m && layout.equals(m.layout) && java.util.Arrays.equals(parameters, m.parameters);
    }

    @Override
    public int hashCode() {
      return 31 * layout.hashCode() + java.util.Arrays.hashCode(parameters);
    }

    @Override
    public String toString() {
      return "Member[" + layout + "]";
    }
  }

  /** The format name in bundle.json. */
  public static final String FORMAT = "drsn-model-bundle";
  /** The format version of a single-network bundle (the version every drsn reads). */
  public static final int FORMAT_VERSION = 1;
  /** The format version of a bundle with more than one member: version 1 plus the {@code ensemble} section. */
  public static final int ENSEMBLE_FORMAT_VERSION = 2;
  /**
   * The format version of an order-domain bundle ({@code input.samples_per_revolution}), one network or several: a
   * reader of versions 1 and 2 would ignore the key and feed the model windows at the wrong rate, so it must refuse.
   */
  public static final int ORDER_DOMAIN_FORMAT_VERSION = 3;
  /** The largest number of members an ensemble bundle may hold (each is checked and loaded). */
  public static final int MAX_MEMBERS = 16;
  /** The metadata entry of the archive. */
  public static final String METADATA_ENTRY = "bundle.json";
  /** The parameter entry of the archive. */
  public static final String PARAMETERS_ENTRY = "parameters.npy";
  /** The model card as JSON ({@link ModelCard}), derived from the metadata; readers ignore it. */
  public static final String CARD_JSON_ENTRY = "card.json";
  /** The model card rendered as Markdown; readers ignore it. */
  public static final String CARD_MARKDOWN_ENTRY = "card.md";

  private static final long MAX_METADATA_BYTES = 16L << 20;
  /**
   * The share of the heap ({@link Runtime#maxMemory()}) that {@link #read} may fill with the archive's entries and
   * the values it decodes from them, checked before each array is allocated. The entries alone may take a third
   * ({@link ZipEntries#totalLimit()}); their float32 parameters then take twice their bytes as float64. Half leaves
   * the other half for the JSON tree, the caller (a float runtime copies the parameters once more) and the rest of
   * the JVM. At the launcher's 512 MB a network of the layout limit (10 M parameters, 120 MB read) fits.
   */
  private static final double READ_HEAP_SHARE = 0.5;

  /**
   * An array {@link #read} just created and hands to a constructor, which keeps it instead of a copy: nothing else
   * holds it, so the copy that protects a caller's array would only double the reader's memory. Compared by
   * identity and cleared when taken, so any other array is still copied.
   */
  private static final ThreadLocal<double[]> HANDED_OVER = new ThreadLocal<>();
  private static final long MAX_PARAMETER_BYTES = 8 * ModelLayout.LIMITS.parameters() + 4096;
  private static final long MAX_NEIGHBOUR_BYTES = 4L * Calibration.Neighbours.MAX_VALUES + 4096;

  /** The floating-point type of a network's parameters; names as in bundle.json's {@code model.data_type}. */
  public enum Precision {
    FLOAT,
    DOUBLE
  }

  /**
   * Checks that the parts fit together.
   *
   * @throws IllegalArgumentException if the class names, the input or the parameter count do not fit the layout,
   *     or a parameter is not finite
   */
  public Bundle {
    parameters = keep(parameters);
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(precision, "precision");
    Objects.requireNonNull(createdUtc, "createdUtc");
    classes = List.copyOf(classes);
    projectVersion = projectVersion == null ? "unknown" : projectVersion;
    others = others == null ? List.of() : List.copyOf(others);
    training = copy(training);
    provenance = copy(provenance);
    metrics = copy(metrics);
    if (classes.size() != layout.classes()) {
      throw new IllegalArgumentException(classes.size() + " class names for a network with " + layout.classes()
          + " outputs");
    }
    if (new HashSet<>(classes).size() != classes.size()) {
      throw new IllegalArgumentException("class names must be distinct, got " + classes);
    }
    for (String name : classes) {
      OutcomeLabels.requireClassName(name, "class names " + classes);
    }
    if (input.channels() != layout.inputChannels() || input.featureLength() != layout.inputLength()) {
      throw new IllegalArgumentException("input " + input + " does not give the network's input of "
          + layout.inputChannels() + " x " + layout.inputLength());
    }
    checkParameters(layout, parameters);
    if (1 + others.size() > MAX_MEMBERS) {
      throw new IllegalArgumentException("an ensemble of " + (1 + others.size()) + " members; a bundle holds at most "
          + MAX_MEMBERS);
    }
    for (int m = 0; m < others.size(); m++) {
      checkMember(m + 1, others.get(m).layout(), classes, input);
    }
    if (calibration != null) {
      calibration.checkFits(layout.classes(), pooledFeatures(layout, others),
          others.isEmpty() ? Calibration.LayerEnsemble.widths(layout) : null);
      if (others.isEmpty() && calibration.thresholds().containsKey(OodMethod.ENSEMBLE_DISAGREEMENT)) {
        throw new IllegalArgumentException("calibration.thresholds has an " + OodMethod.ENSEMBLE_DISAGREEMENT
            + " entry but the bundle holds one network; only an ensemble has a disagreement");
      }
    }
  }

  /** Member {@code index} (from 0) must give these classes from this input. */
  private static void checkMember(int index, ModelLayout member, List<String> classes, InputSpec input) {
    if (member.classes() != classes.size()) {
      throw new IllegalArgumentException("ensemble member " + index + " (" + member + ") has " + member.classes()
          + " outputs, the ensemble has " + classes.size() + " classes " + classes);
    }
    if (member.inputChannels() != input.channels() || member.inputLength() != input.featureLength()) {
      throw new IllegalArgumentException("ensemble member " + index + " (" + member + ") takes inputs of "
          + member.inputChannels() + " x " + member.inputLength() + ", the ensemble's input " + input + " gives "
          + input.channels() + " x " + input.featureLength());
    }
  }

  private static int pooledFeatures(ModelLayout first, List<Member> others) {
    int[] stages = first.stageChannels();
    int total = stages[stages.length - 1];
    for (Member m : others) {
      total += m.pooledFeatures();
    }
    return total;
  }

  /** A single-network bundle, calibrated or not (null). */
  public Bundle(ModelLayout layout, List<String> classes, InputSpec input, Precision precision, double[] parameters,
      String projectVersion, Instant createdUtc, Map<String, Object> training, Map<String, Object> provenance,
      Map<String, Object> metrics, Calibration calibration) {
    this(layout, classes, input, precision, parameters, projectVersion, createdUtc, training, provenance, metrics,
        calibration, List.of());
  }

  /** An uncalibrated bundle (no {@code calibration} section). */
  public Bundle(ModelLayout layout, List<String> classes, InputSpec input, Precision precision, double[] parameters,
      String projectVersion, Instant createdUtc, Map<String, Object> training, Map<String, Object> provenance,
      Map<String, Object> metrics) {
    this(layout, classes, input, precision, parameters, projectVersion, createdUtc, training, provenance, metrics,
        null, List.of());
  }

  /**
   * The ensemble of several single-network bundles, e.g. models of one recipe trained from other seeds (a "deep
   * ensemble", Lakshminarayanan et al. 2017) or the snapshots of one cyclic run (Huang et al. 2017): their networks
   * become the members in the order given; classes, input and precision are the first bundle's. The ensemble is
   * uncalibrated (a member's calibration describes that member alone; calibrate the ensemble on its own).
   *
   * <p>Channel names: a member whose names are not recorded (written before they were) may join members that record
   * them, but every two members that record names must record the same names in the same order, whichever member
   * comes first. The ensemble records the names only when every member records them: a member without names may have
   * been trained on its channels in another order, so the ensemble cannot vouch for names, and readers take its
   * channels by position (as for any bundle without names).
   *
   * @param parts at least two bundles, each holding one network
   * @param training, provenance, metrics the ensemble's sections (free-form JSON)
   * @throws IllegalArgumentException naming the part that differs from the first in classes (names or order),
   *     input specification (channel names aside) or precision, or that is itself an ensemble; naming both parts when
   *     two record different channel names
   */
  public static Bundle ensembleOf(List<Bundle> parts, String projectVersion, Instant createdUtc,
      Map<String, Object> training, Map<String, Object> provenance, Map<String, Object> metrics) {
    if (parts.size() < 2) {
      throw new IllegalArgumentException("an ensemble needs at least 2 models, got " + parts.size());
    }
    Bundle first = parts.get(0);
    // The first member that records channel names: every other that records them must record the same, so no two
    // named members differ even when the first member is unnamed.
    int namedIndex = -1;
    for (int i = 0; i < parts.size() && namedIndex < 0; i++) {
      if (parts.get(i).input().namedChannels()) {
        namedIndex = i;
      }
    }
    List<Member> others = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      Bundle b = parts.get(i);
      if (b.isEnsemble()) {
        throw new IllegalArgumentException("model " + (i + 1) + " is itself an ensemble of " + b.members().size()
            + " members; give its single-network bundles instead");
      }
      if (!b.classes().equals(first.classes())) {
        throw new IllegalArgumentException("model " + (i + 1) + " has classes " + b.classes() + ", model 1 has "
            + first.classes() + "; the members of an ensemble must give the same classes in the same order");
      }
      // A member whose channel names are not recorded (written before they were) may join members that record them;
      // members that record different names were trained on other sensors or in another order.
      if (b.input().namedChannels()
          && !b.input().channelNames().equals(parts.get(namedIndex).input().channelNames())) {
        throw new IllegalArgumentException("model " + (i + 1) + " records channels " + b.input().channelNames()
            + ", model " + (namedIndex + 1) + " records " + parts.get(namedIndex).input().channelNames()
            + "; the members of an ensemble must share the input specification, the same channel names in the same"
            + " order for every two that record them");
      }
      if (!b.input().withChannelNames(List.of()).equals(first.input().withChannelNames(List.of()))) {
        throw new IllegalArgumentException("model " + (i + 1) + " takes input " + b.input() + ", model 1 takes "
            + first.input() + "; the members of an ensemble must share the input specification");
      }
      if (b.precision() != first.precision()) {
        throw new IllegalArgumentException("model " + (i + 1) + " is " + b.precision() + ", model 1 is "
            + first.precision() + "; the members of an ensemble must share the precision");
      }
      if (i > 0) {
        others.add(new Member(b.layout(), handOver(b.parameters)));
      }
    }
    // The ensemble records the channel names only when every member does (all the same, as checked above): an
    // unnamed member's order is unknown, so names would claim more than the ensemble knows.
    boolean allNamed = parts.stream().allMatch(b -> b.input().namedChannels());
    InputSpec input = allNamed ? first.input() : first.input().withChannelNames(List.of());
    return new Bundle(first.layout(), first.classes(), input, first.precision(), handOver(first.parameters),
        projectVersion, createdUtc, training, provenance, metrics, null, others);
  }

  /** Every network of the bundle, the first ({@link #layout()}, {@link #parameters()}) first. */
  public List<Member> members() {
    List<Member> all = new ArrayList<>(1 + others.size());
    all.add(new Member(layout, handOver(parameters))); // both hold it read-only and copy it out
    all.addAll(others);
    return all;
  }

  /** Whether the bundle holds more than one network. */
  public boolean isEnsemble() {
    return !others.isEmpty();
  }

  /**
   * The number of pooled features the calibration's Mahalanobis statistics describe: the last stage's channels of a
   * single network; for an ensemble, the members' pooled features concatenated in member order.
   */
  public int pooledFeatures() {
    return pooledFeatures(layout, others);
  }

  /** This bundle with another calibration section (null removes it). */
  public Bundle withCalibration(Calibration other) {
    return new Bundle(layout, classes, input, precision, handOver(parameters), projectVersion, createdUtc, training,
        provenance, metrics, other, others);
  }

  /** This bundle with other metrics. */
  public Bundle withMetrics(Map<String, Object> other) {
    return new Bundle(layout, classes, input, precision, handOver(parameters), projectVersion, createdUtc, training,
        provenance, other, calibration, others);
  }

  /** The calibration temperature: the section's T, or 1 for an uncalibrated bundle. */
  public double temperature() {
    return calibration == null ? 1.0 : calibration.temperature();
  }

  private static Map<String, Object> copy(Map<String, Object> section) {
    return section == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(section));
  }

  /** {@code parameters} itself when it was {@linkplain #handOver handed over}, else a copy. */
  private static double[] keep(double[] parameters) {
    double[] handed = HANDED_OVER.get();
    HANDED_OVER.remove(); // whichever array comes, so that none stays referenced from the thread
    return parameters != null && parameters == handed ? parameters : parameters.clone();
  }

  /** Marks {@code parameters} as owned by nobody else, for the next constructor on this thread to keep. */
  private static double[] handOver(double[] parameters) {
    HANDED_OVER.set(parameters);
    return parameters;
  }

  /** @throws IllegalArgumentException if the parameter count does not fit the layout or a value is not finite */
  private static void checkParameters(ModelLayout layout, double[] parameters) {
    if (parameters.length != layout.parameterCount()) {
      throw new IllegalArgumentException(parameters.length + " parameter values, but " + layout + " has "
          + layout.parameterCount());
    }
    for (int i = 0; i < parameters.length; i++) {
      if (!Double.isFinite(parameters[i])) {
        throw new IllegalArgumentException("parameter value " + i + " (" + parameterName(layout, i) + ") is "
            + parameters[i] + "; a usable model has finite parameters");
      }
    }
  }

  private static String beyondFloat(ModelLayout layout, double[] parameters, int i) {
    return "parameter value " + i + " (" + parameterName(layout, i) + ") is " + parameters[i]
        + ", beyond the float32 range (\u00b1" + Float.MAX_VALUE + ") a float runtime computes in";
  }

  /**
   * Checks that every member's parameters fit float32, as a runtime that computes in float (the lean diagnoser)
   * needs before it converts them: a double-precision bundle may hold finite values beyond ±3.4e38 that a double
   * network runs as they are, but that become infinities in float32 and make every output NaN. (A float bundle's
   * parameters are float32 values, within range by construction.)
   *
   * @param file the file the bundle was read from, for the message
   * @throws BundleFormatException naming the file, the member's entry, the index and the parameter of the first
   *     value beyond the range
   */
  public void requireFloatRange(Path file) {
    List<Member> all = members();
    for (int m = 0; m < all.size(); m++) {
      Member member = all.get(m);
      for (int i = 0; i < member.parameters.length; i++) {
        if (Float.isInfinite((float) member.parameters[i])) {
          throw new BundleFormatException(file, parametersEntry(m) + ": "
              + beyondFloat(member.layout, member.parameters, i) + "; this bundle can be run in double precision"
              + " only");
        }
      }
    }
  }

  private static String parameterName(ModelLayout layout, int index) {
    int at = 0;
    for (ModelLayout.Param p : layout.parameters()) {
      if (index < at + p.size()) {
        return p.name();
      }
      at += p.size();
    }
    return "?";
  }

  @Override
  public double[] parameters() {
    return parameters.clone();
  }

  /** The parameters as float32 (exact for {@link Precision#FLOAT} bundles), for float inference. */
  public float[] floatParameters() {
    return new Member(layout, handOver(parameters)).floatParameters();
  }

  /** @return this model's card, derived from its metadata ({@link ModelCard}) */
  public ModelCard card() {
    return ModelCard.of(layout, classes, input, precision.name().toLowerCase(java.util.Locale.ROOT), projectVersion,
        createdUtc, training, provenance, metrics, calibration, others.stream().map(Member::layout).toList());
  }

  /** Writes the bundle to {@code file} atomically. */
  public void write(Path file) throws IOException {
    List<byte[]> npy = new ArrayList<>();
    for (Member m : members()) {
      npy.add(parameterBytes(m.parameters));
    }
    byte[] neighbours = neighbourBytes();
    Map<String, Object> root = metadata(npy);
    if (neighbours != null) {
      knnSection(root).put("sha256", sha256(neighbours));
    }
    byte[] metadata = Json.write(root).getBytes(StandardCharsets.UTF_8);
    AtomicFiles.write(file, out -> {
      ZipOutputStream zip = new ZipOutputStream(out);
      zip.putNextEntry(new ZipEntry(METADATA_ENTRY));
      zip.write(metadata);
      zip.closeEntry();
      for (int m = 0; m < npy.size(); m++) {
        zip.putNextEntry(new ZipEntry(parametersEntry(m)));
        zip.write(npy.get(m));
        zip.closeEntry();
      }
      if (neighbours != null) {
        zip.putNextEntry(new ZipEntry(Calibration.NEIGHBOURS_ENTRY));
        zip.write(neighbours);
        zip.closeEntry();
      }
      ModelCard card = card();
      zip.putNextEntry(new ZipEntry(CARD_JSON_ENTRY));
      zip.write(card.toJson().getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry(CARD_MARKDOWN_ENTRY));
      zip.write(card.toMarkdown().getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
      zip.finish();
    });
  }

  /** The archive entry of member {@code m}'s parameters: {@value #PARAMETERS_ENTRY} for the first. */
  public static String parametersEntry(int m) {
    return m == 0 ? PARAMETERS_ENTRY : "member-" + m + ".npy";
  }

  /** The {@value Calibration#NEIGHBOURS_ENTRY} entry (n × d float32), or null when the calibration has no KNN. */
  private byte[] neighbourBytes() throws IOException {
    if (calibration == null || calibration.neighbours() == null) {
      return null;
    }
    Calibration.Neighbours n = calibration.neighbours();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Npy.write(bytes, NpyArray.ofFloats(n.values(), n.count(), n.features()));
    return bytes.toByteArray();
  }

  /** The {@code calibration.knn} object of bundle.json's parsed (or about to be written) root. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> knnSection(Map<String, Object> root) {
    return (Map<String, Object>) ((Map<String, Object>) root.get("calibration")).get("knn");
  }

  private byte[] parameterBytes(double[] values) throws IOException {
    NpyArray array;
    if (precision == Precision.DOUBLE) {
      array = NpyArray.ofDoubles(values, values.length);
    } else {
      float[] f = new float[values.length];
      for (int i = 0; i < f.length; i++) {
        f[i] = (float) values[i];
      }
      array = NpyArray.ofFloats(f, values.length);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Npy.write(bytes, array);
    return bytes.toByteArray();
  }

  private Map<String, Object> metadata(List<byte[]> npy) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("format", FORMAT);
    root.put("format_version", input.orderDomain() ? ORDER_DOMAIN_FORMAT_VERSION
        : isEnsemble() ? ENSEMBLE_FORMAT_VERSION : FORMAT_VERSION);
    root.put("project_version", projectVersion);
    root.put("created_utc", createdUtc.toString());
    Map<String, Object> first = network(layout, 0, sha256(npy.get(0)));
    root.put("architecture", first.get("architecture"));
    root.put("model", first.get("model"));
    root.put("classes", new ArrayList<Object>(classes));
    Map<String, Object> in = new LinkedHashMap<>();
    in.put("sampling_rate", input.samplingRate());
    in.put("window_length", input.windowLength());
    in.put("channels", input.channels());
    in.put("normalization", input.normalization().name());
    in.put("representation", input.representation().name());
    if (input.orderDomain()) {
      in.put("samples_per_revolution", input.samplesPerRevolution());
    }
    if (input.namedChannels()) {
      in.put("channel_names", new ArrayList<Object>(input.channelNames()));
    }
    in.put("layout", "NCHW [batch, channels, 1, length]");
    root.put("input", in);
    root.put("parameters", first.get("parameters"));
    if (isEnsemble()) {
      Map<String, Object> ensemble = new LinkedHashMap<>();
      ensemble.put("combination", "mean of the members' softmax probabilities");
      ensemble.put("members", 1 + others.size());
      List<Object> more = new ArrayList<>();
      for (int m = 0; m < others.size(); m++) {
        more.add(network(others.get(m).layout(), m + 1, sha256(npy.get(m + 1))));
      }
      ensemble.put("others", more);
      root.put("ensemble", ensemble);
    }
    root.put("training", training);
    root.put("provenance", provenance);
    root.put("metrics", metrics);
    if (calibration != null) {
      root.put("calibration", calibration.toJson());
    }
    return root;
  }

  /** The {@code architecture}, {@code model} and {@code parameters} keys of member {@code m}. */
  private Map<String, Object> network(ModelLayout layout, int m, String parametersSha256) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("architecture", layout.architecture().label());
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("input_length", layout.inputLength());
    model.put("input_channels", layout.inputChannels());
    List<Object> stages = new ArrayList<>();
    for (int c : layout.stageChannels()) {
      stages.add(c);
    }
    model.put("stage_channels", stages);
    model.put("units_per_stage", layout.unitsPerStage());
    model.put("kernel_size", layout.kernelSize());
    model.put("stem_stride", layout.stemStride());
    model.put("classes", layout.classes());
    model.put("normalization", layout.normalization().name());
    model.put("groups", layout.groups());
    model.put("shortcut", layout.shortcut().name());
    if (layout.thresholdNormalization() != layout.normalization()) {
      // Only when it differs, so that every other bundle is written byte for byte as before.
      model.put("threshold_normalization", layout.thresholdNormalization().name());
    }
    model.put("data_type", precision.name());
    root.put("model", model);
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("file", parametersEntry(m));
    params.put("count", layout.parameterCount());
    params.put("sha256", parametersSha256);
    List<Object> arrays = new ArrayList<>();
    for (ModelLayout.Param p : layout.parameters()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("name", p.name());
      List<Object> shape = new ArrayList<>();
      for (int d : p.shape()) {
        shape.add(d);
      }
      entry.put("shape", shape);
      arrays.add(entry);
    }
    params.put("layout", arrays);
    root.put("parameters", params);
    return root;
  }

  /**
   * Reads and checks a bundle file.
   *
   * <p>Every entry is decoded under a budget: the archive's entries and the arrays decoded from them may fill at most
   * half of the heap ({@link Runtime#maxMemory()}), checked before each array is allocated, so that a small file
   * within the entry limits cannot run the reader out of memory; a genuine bundle too large for the heap is refused
   * saying how much it needs and to raise {@code -Xmx}. A parameter entry must hold the type bundle.json declares
   * ({@code model.data_type} FLOAT: {@code <f4}, DOUBLE: {@code <f8}, either byte order).
   *
   * @throws BundleFormatException if the file is missing, unreadable, truncated, corrupt, of another format or
   *     version, too large (for its limits or this heap), or inconsistent, or an entry is not a .npy array of the
   *     type and size expected; the message names the file and says what was expected
   * @throws IOException on other read errors
   */
  public static Bundle read(Path file) throws IOException {
    Map<String, byte[]> entries;
    try {
      Map<String, Long> limits = new LinkedHashMap<>();
      limits.put(METADATA_ENTRY, MAX_METADATA_BYTES);
      for (int m = 0; m < MAX_MEMBERS; m++) {
        limits.put(parametersEntry(m), MAX_PARAMETER_BYTES);
      }
      limits.put(Calibration.NEIGHBOURS_ENTRY, MAX_NEIGHBOUR_BYTES);
      entries = ZipEntries.read(file, limits);
    } catch (FileFormatException e) {
      throw new BundleFormatException(file, e.problem(), e);
    }
    byte[] metadata = entries.get(METADATA_ENTRY);
    if (metadata == null) {
      throw new BundleFormatException(file, "no " + METADATA_ENTRY + " entry; not a " + FORMAT + " file");
    }
    Map<String, Object> root;
    try {
      root = object(Json.parse(new String(metadata, StandardCharsets.UTF_8)), METADATA_ENTRY);
    } catch (Json.JsonException | IllegalArgumentException e) {
      throw new BundleFormatException(file, METADATA_ENTRY + " is not a valid JSON object: " + e.getMessage(), e);
    }
    checkFormat(file, root);
    try {
      return parse(file, root, entries, new ReadBudget(file, entries));
    } catch (IllegalArgumentException | ClassCastException | DateTimeParseException e) {
      throw new BundleFormatException(file, "invalid " + METADATA_ENTRY + ": " + e.getMessage(), e);
    }
  }

  /**
   * What {@link #read} holds of the heap: the archive's entries, then every array decoded from them, each reserved
   * before it is allocated; at most {@link #READ_HEAP_SHARE} of {@link Runtime#maxMemory()}, so that no bundle within
   * the entry limits runs the reader out of memory (a bundle within them could: 34 MB of float32 parameters are
   * 68 MB as float64).
   */
  private static final class ReadBudget {
    private final Path file;
    private final long limit = (long) (Runtime.getRuntime().maxMemory() * READ_HEAP_SHARE);
    private final long entries;
    private long held;

    ReadBudget(Path file, Map<String, byte[]> entries) {
      this.file = file;
      long total = 0;
      for (byte[] e : entries.values()) {
        total += e.length;
      }
      this.entries = total;
      this.held = total;
    }

    /** Counts {@code bytes} more, or refuses the bundle if they do not fit. */
    void reserve(long bytes, String what) {
      if (held + bytes > limit) {
        long max = Runtime.getRuntime().maxMemory();
        throw new BundleFormatException(file, "reading it needs about " + mb(held + bytes) + " MB of heap ("
            + mb(entries) + " MB of archive entries, " + mb(held - entries) + " MB decoded so far, " + what + " "
            + mb(bytes) + " MB), more than the " + mb(limit) + " MB (" + Math.round(READ_HEAP_SHARE * 100)
            + " %) the reader may fill of this JVM's heap of " + mb(max) + " MB; raise the heap with -Xmx (e.g."
            + " DRSN_JAVA_OPTS=-Xmx" + Math.max(1, (long) Math.ceil((held + bytes) / READ_HEAP_SHARE / (1L << 30)))
            + "g) if the file is genuine");
      }
      held += bytes;
    }

    private static String mb(long bytes) {
      return String.format(java.util.Locale.ROOT, "%.1f", bytes / 1048576.0);
    }
  }

  /**
   * The header of .npy entry {@code entry}.
   *
   * @throws BundleFormatException naming the bundle and the entry when it is not a .npy array the reader takes
   */
  private static Npy.Header npyHeader(Path file, String entry, byte[] npy) throws IOException {
    try {
      return Npy.header(npy, file.resolve(entry));
    } catch (FileFormatException e) {
      throw new BundleFormatException(file, entry + ": " + e.problem(), e);
    }
  }

  private static void checkFormat(Path file, Map<String, Object> root) {
    Object format = root.get("format");
    if (!FORMAT.equals(format)) {
      throw new BundleFormatException(file, "format is '" + format + "', expected '" + FORMAT + "'");
    }
    Object version = root.get("format_version");
    if (!(version instanceof Long v) || v < FORMAT_VERSION || v > ORDER_DOMAIN_FORMAT_VERSION) {
      throw new BundleFormatException(file, "format version " + version + " (written by drsn "
          + root.get("project_version") + "); this drsn reads format versions " + FORMAT_VERSION + " to "
          + ORDER_DOMAIN_FORMAT_VERSION
          + (version instanceof Long v && v > ORDER_DOMAIN_FORMAT_VERSION ? "; upgrade drsn to load it" : ""));
    }
    // Version 3 (order domain) may hold one network or an ensemble; 1 never has the section, 2 always has it.
    if ((Long) version != ORDER_DOMAIN_FORMAT_VERSION
        && (Long) version == ENSEMBLE_FORMAT_VERSION != root.containsKey("ensemble")) {
      throw new BundleFormatException(file, "format version " + version + (root.containsKey("ensemble")
          ? " has no ensemble section, yet one is present" : " must have an ensemble section, none is present"));
    }
  }

  private static Bundle parse(Path file, Map<String, Object> root, Map<String, byte[]> entries, ReadBudget budget)
      throws IOException {
    Precision precision = precision(root, "");
    Member first = member(file, root, 0, entries, "", precision, budget);
    List<String> classes = new ArrayList<>();
    for (Object c : list(root.get("classes"), "classes")) {
      if (!(c instanceof String s)) {
        throw new IllegalArgumentException("classes must be strings, found " + c);
      }
      classes.add(s);
    }
    Map<String, Object> in = object(root.get("input"), "input");
    InputSpec input = new InputSpec(number(in, "sampling_rate"), integer(in, "window_length"),
        integer(in, "channels"), constant(Normalization.class, text(in, "normalization"), "input.normalization"),
        constant(Representation.class, text(in, "representation"), "input.representation"),
        in.containsKey("samples_per_revolution") ? number(in, "samples_per_revolution") : 0,
        channelNames(in));
    if (in.containsKey("samples_per_revolution") && !(root.get("format_version") instanceof Long v
        && v >= ORDER_DOMAIN_FORMAT_VERSION)) {
      // An older reader would ignore the key and feed the model windows at the wrong rate.
      throw new IllegalArgumentException("input.samples_per_revolution needs format version "
          + ORDER_DOMAIN_FORMAT_VERSION + ", this file is version " + root.get("format_version"));
    }
    List<Member> others = new ArrayList<>();
    if (root.containsKey("ensemble")) {
      Map<String, Object> ensemble = object(root.get("ensemble"), "ensemble");
      List<Object> more = list(ensemble.get("others"), "ensemble.others");
      if (more.isEmpty() || 1 + more.size() > MAX_MEMBERS) {
        throw new IllegalArgumentException("ensemble.others lists " + more.size() + " networks, expected 1 to "
            + (MAX_MEMBERS - 1) + " besides the first");
      }
      for (int m = 1; m <= more.size(); m++) {
        String where = "ensemble.others[" + (m - 1) + "].";
        Map<String, Object> node = object(more.get(m - 1), where);
        if (precision(node, where) != precision) {
          throw new IllegalArgumentException(where + "model.data_type is " + precision(node, where)
              + ", the first member's is " + precision + "; the members must share the precision");
        }
        others.add(member(file, node, m, entries, where, precision, budget));
      }
    }
    List<Member> all = new ArrayList<>(others);
    all.add(0, first);
    int features = 0;
    for (Member m : all) {
      features += m.pooledFeatures();
    }
    String projectVersion = root.get("project_version") instanceof String v ? v : "unknown";
    Instant created = Instant.parse(text(root, "created_utc"));
    Calibration calibration = root.containsKey("calibration")
        ? Calibration.fromJson(root.get("calibration"), first.layout().classes(), features,
            others.isEmpty() ? Calibration.LayerEnsemble.widths(first.layout()) : null,
            neighbourValues(file, root, entries, budget)) : null;
    return new Bundle(first.layout(), classes, input, precision, handOver(first.parameters), projectVersion, created,
        section(root, "training"), section(root, "provenance"), section(root, "metrics"), calibration, others);
  }

  /**
   * The {@value Calibration#NEIGHBOURS_ENTRY} entry's values, checked against {@code calibration.knn.sha256}, when
   * the calibration has that section; else null (an entry without the section is ignored, as any unknown entry).
   */
  private static float[] neighbourValues(Path file, Map<String, Object> root, Map<String, byte[]> entries,
      ReadBudget budget) throws IOException {
    if (!(root.get("calibration") instanceof Map<?, ?> c) || !(c.get("knn") instanceof Map<?, ?>)) {
      return null;
    }
    byte[] npy = entries.get(Calibration.NEIGHBOURS_ENTRY);
    if (npy == null) {
      throw new BundleFormatException(file, "calibration.knn is present but there is no "
          + Calibration.NEIGHBOURS_ENTRY + " entry with its training features (the bundle is incomplete)");
    }
    if (!text(knnSection(root), "sha256").equals(sha256(npy))) {
      throw new BundleFormatException(file, Calibration.NEIGHBOURS_ENTRY + " does not match its recorded SHA-256"
          + " (corrupt file)");
    }
    Npy.Header header = npyHeader(file, Calibration.NEIGHBOURS_ENTRY, npy);
    if (header.dtype() != NpyArray.DType.FLOAT32 || header.shape().length != 2) {
      throw new BundleFormatException(file, Calibration.NEIGHBOURS_ENTRY + " is a " + header.descr() + " array of"
          + " shape " + java.util.Arrays.toString(header.shape()) + ", expected a 2-D float32 array (dtype <f4,"
          + " windows x features)");
    }
    // The values, and the calibration's own copy of them.
    budget.reserve(2L * Float.BYTES * header.count(), "the " + header.count() + " training features of "
        + Calibration.NEIGHBOURS_ENTRY + " as float32, twice,");
    try {
      return Npy.readFloats(npy, file.resolve(Calibration.NEIGHBOURS_ENTRY));
    } catch (FileFormatException e) {
      throw new BundleFormatException(file, Calibration.NEIGHBOURS_ENTRY + ": " + e.problem(), e);
    }
  }

  /** {@code input.channel_names}, or empty when the key is absent (a bundle written before names were recorded). */
  private static List<String> channelNames(Map<String, Object> in) {
    if (!in.containsKey("channel_names")) {
      return List.of();
    }
    List<Object> recorded = list(in.get("channel_names"), "input.channel_names");
    if (recorded.isEmpty()) {
      throw new IllegalArgumentException("input.channel_names is empty; a bundle without names leaves the key out");
    }
    List<String> names = new ArrayList<>();
    for (Object name : recorded) {
      if (!(name instanceof String s)) {
        throw new IllegalArgumentException("input.channel_names must be strings, found " + name);
      }
      names.add(s);
    }
    return names;
  }

  private static Precision precision(Map<String, Object> node, String where) {
    Map<String, Object> m = object(node.get("model"), where + "model");
    return m.containsKey("data_type")
        ? constant(Precision.class, text(m, "data_type"), where + "model.data_type") : Precision.FLOAT;
  }

  /**
   * Member {@code index}: the {@code architecture}, {@code model} and {@code parameters} keys of {@code node} (the
   * root for the first member), its parameter entry checked against the recorded SHA-256 and layout.
   */
  private static Member member(Path file, Map<String, Object> node, int index, Map<String, byte[]> entries,
      String where, Precision precision, ReadBudget budget) throws IOException {
    String entry = parametersEntry(index);
    byte[] npy = entries.get(entry);
    if (npy == null) {
      throw new BundleFormatException(file, "no " + entry + " entry (the bundle is incomplete)");
    }
    Map<String, Object> recorded = object(node.get("parameters"), where + "parameters");
    if (!text(recorded, "sha256").equals(sha256(npy))) {
      throw new BundleFormatException(file, entry + " does not match its recorded SHA-256 (corrupt file)");
    }
    Map<String, Object> m = object(node.get("model"), where + "model");
    List<Object> stageList = list(m.get("stage_channels"), where + "model.stage_channels");
    if (stageList.size() > ModelLayout.LIMITS.stages()) {
      throw new IllegalArgumentException(where + "model.stage_channels lists " + stageList.size()
          + " stages, at most " + ModelLayout.LIMITS.stages() + " are allowed");
    }
    int[] stages = new int[stageList.size()];
    for (int i = 0; i < stages.length; i++) {
      stages[i] = toInt(stageList.get(i), where + "model.stage_channels[" + i + "]");
    }
    NormKind normalization = constant(NormKind.class, text(m, "normalization"), where + "model.normalization");
    ModelLayout layout = new ModelLayout(Architecture.parse(text(node, "architecture")),
        integer(m, "input_length"), integer(m, "input_channels"), stages, integer(m, "units_per_stage"),
        integer(m, "kernel_size"), integer(m, "stem_stride"), integer(m, "classes"), normalization,
        integer(m, "groups"), constant(Shortcut.class, text(m, "shortcut"), where + "model.shortcut"),
        m.containsKey("threshold_normalization") ? constant(NormKind.class, text(m, "threshold_normalization"),
            where + "model.threshold_normalization") : normalization);
    checkLayout(file, where, list(recorded.get("layout"), where + "parameters.layout"), layout.parameters());
    Npy.Header header = npyHeader(file, entry, npy);
    NpyArray.DType declared = precision == Precision.DOUBLE ? NpyArray.DType.FLOAT64 : NpyArray.DType.FLOAT32;
    if (header.dtype() != declared) {
      // A float bundle of float64 values would hold values beyond float32 that a float network cannot run.
      throw new BundleFormatException(file, entry + " holds " + header.descr() + " values (dtype " + header.descr()
          + "), but " + where + "model.data_type is " + precision + ", whose parameters are " + declared.descr());
    }
    if (header.count() != layout.parameterCount()) {
      throw new BundleFormatException(file, entry + " holds " + header.count() + " values but " + layout
          + " has " + layout.parameterCount() + " parameters");
    }
    budget.reserve((long) Double.BYTES * header.count(), "the " + header.count() + " parameters of " + entry
        + " as float64");
    double[] values;
    try {
      values = Npy.readDoubles(npy, file.resolve(entry));
    } catch (FileFormatException e) {
      throw new BundleFormatException(file, entry + ": " + e.problem(), e);
    }
    return new Member(layout, handOver(values));
  }

  private static void checkLayout(Path file, String where, List<Object> recorded, List<ModelLayout.Param> expected) {
    if (recorded.size() != expected.size()) {
      throw new BundleFormatException(file, where + "its parameter layout records " + recorded.size()
          + " arrays, the architecture it names has " + expected.size());
    }
    for (int i = 0; i < expected.size(); i++) {
      Map<String, Object> p = object(recorded.get(i), "parameters.layout[" + i + "]");
      List<Object> shapeList = list(p.get("shape"), "shape");
      int[] shape = new int[Math.min(shapeList.size(), 8)];
      for (int d = 0; d < shape.length; d++) {
        shape[d] = toInt(shapeList.get(d), "shape");
      }
      ModelLayout.Param actual = new ModelLayout.Param(text(p, "name"), shape);
      if (!actual.equals(expected.get(i))) {
        throw new BundleFormatException(file, where + "parameter " + i + " is " + actual + ", the architecture it names has "
            + expected.get(i));
      }
    }
  }

  private static <E extends Enum<E>> E constant(Class<E> type, String name, String field) {
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(name)) {
        return e;
      }
    }
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      names.add(e.name());
    }
    throw new IllegalArgumentException(field + " is '" + name + "', expected one of " + names);
  }

  private static Map<String, Object> section(Map<String, Object> root, String name) {
    return root.get(name) instanceof Map ? object(root.get(name), name) : Map.of();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object o, String what) {
    if (!(o instanceof Map)) {
      throw new IllegalArgumentException("'" + what + "' must be an object, found " + o);
    }
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o, String what) {
    if (!(o instanceof List)) {
      throw new IllegalArgumentException("'" + what + "' must be an array, found " + o);
    }
    return (List<Object>) o;
  }

  private static String text(Map<String, Object> node, String field) {
    if (!(node.get(field) instanceof String s)) {
      throw new IllegalArgumentException("missing text field '" + field + "'");
    }
    return s;
  }

  private static double number(Map<String, Object> node, String field) {
    if (!(node.get(field) instanceof Number n)) {
      throw new IllegalArgumentException("missing number field '" + field + "'");
    }
    return n.doubleValue();
  }

  private static int integer(Map<String, Object> node, String field) {
    if (!node.containsKey(field)) {
      throw new IllegalArgumentException("missing integer field '" + field + "'");
    }
    return toInt(node.get(field), field);
  }

  private static int toInt(Object o, String what) {
    if (o instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
      return l.intValue();
    }
    if (o instanceof Double d && d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) {
      return d.intValue();
    }
    throw new IllegalArgumentException("'" + what + "' must be an integer, found " + o);
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bundle b && layout.equals(b.layout) && classes.equals(b.classes) && input.equals(b.input)
        && precision == b.precision && java.util.Arrays.equals(parameters, b.parameters)
        && projectVersion.equals(b.projectVersion) && createdUtc.equals(b.createdUtc) && training.equals(b.training)
        && provenance.equals(b.provenance) && metrics.equals(b.metrics)
        && Objects.equals(calibration, b.calibration) && others.equals(b.others);
  }

  @Override
  public int hashCode() {
    return Objects.hash(layout, classes, input, precision, java.util.Arrays.hashCode(parameters), createdUtc);
  }

  @Override
  public String toString() {
    return "Bundle[" + layout + (others.isEmpty() ? "" : " and " + others.size() + " more members") + ", classes "
        + classes + ", input " + input + ", " + precision + "]";
  }
}
