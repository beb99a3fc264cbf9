package io.github.drsn.contract;

import io.github.drsn.contract.io.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A bundle's model card (in the spirit of Mitchell et al., "Model Cards for Model Reporting", FAT* 2019, and of
 * Tribuo's model cards): what the model is, what it is for and not for, what it was trained and evaluated on, how
 * its confidence was calibrated, and its known limits. It is derived from the bundle's own metadata, so it cannot
 * disagree with it: {@link Bundle#write} stores it as {@value Bundle#CARD_JSON_ENTRY} and a rendered
 * {@value Bundle#CARD_MARKDOWN_ENTRY}, and {@code drsn card --model M} prints it. Readers ignore both entries (the
 * bundle's metadata is the record).
 */
public final class ModelCard {

  /** What the model may be used for; the same for every bundle of this toolkit. */
  static final String INTENDED_USE = "A diagnostic aid for condition monitoring: it names the most likely fault"
      + " class of a vibration recording from a machine like the ones it was trained on, with a calibrated"
      + " confidence, an out-of-distribution score and input-health checks, for a person who decides what to do.";

  /** What the model must not be used for. */
  static final String OUT_OF_SCOPE = "Not a safety system: it must not trip, stop or release a machine on its"
      + " own. Not valid for machines, sensors, mounting positions, speeds, loads, fault positions or fault sizes"
      + " unlike its training data without checking (drsn evaluate, drsn explain, the shift protocols); a"
      + " recording of a fault it has no class for gets a known label unless the calibration flags it unknown.";

  private final Map<String, Object> json;

  private ModelCard(Map<String, Object> json) {
    this.json = json;
  }

  /**
   * The card of a bundle's parts ({@link Bundle#card()} passes its own; the card does not know the bundle type, so
   * the two do not depend on each other).
   *
   * @return the card
   */
  static ModelCard of(ModelLayout layout, List<String> classes, InputSpec in, String precision, String projectVersion,
      java.time.Instant createdUtc, Map<String, Object> training, Map<String, Object> provenance,
      Map<String, Object> metrics, Calibration c, List<ModelLayout> others) {
    Map<String, Object> card = new LinkedHashMap<>();
    card.put("card_format", 1L);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("architecture", layout.architecture().label());
    details.put("stage_channels", toList(layout.stageChannels()));
    details.put("units_per_stage", (long) layout.unitsPerStage());
    details.put("norm", layout.normalization().name().toLowerCase(Locale.ROOT));
    if (layout.thresholdNormalization() != layout.normalization()) {
      details.put("threshold_norm", layout.thresholdNormalization().name().toLowerCase(Locale.ROOT));
    }
    details.put("parameters", (long) layout.parameterCount());
    details.put("precision", precision);
    if (!others.isEmpty()) {
      // An ensemble: the details above are its first member's; what it predicts is the members' mean.
      Map<String, Object> ensemble = new LinkedHashMap<>();
      ensemble.put("members", (long) (1 + others.size()));
      ensemble.put("combination", "mean of the members' softmax probabilities; temperature applied to the mean");
      List<Object> members = new ArrayList<>();
      for (ModelLayout m : others) {
        Map<String, Object> member = new LinkedHashMap<>();
        member.put("architecture", m.architecture().label());
        member.put("stage_channels", toList(m.stageChannels()));
        member.put("units_per_stage", (long) m.unitsPerStage());
        member.put("norm", m.normalization().name().toLowerCase(Locale.ROOT));
        member.put("parameters", (long) m.parameterCount());
        members.add(member);
      }
      ensemble.put("other_members", members);
      details.put("ensemble", ensemble);
    }
    details.put("classes", List.copyOf(classes));
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("sampling_rate_hz", in.samplingRate());
    input.put("window_length", (long) in.windowLength());
    input.put("channels", (long) in.channels());
    input.put("channel_names", in.namedChannels() ? new ArrayList<Object>(in.channelNames())
        : "not recorded in this bundle (trained before drsn recorded them): the channels of a recording are taken"
            + " by position or as --channel names them");
    input.put("normalization", in.normalization().name());
    input.put("representation", in.representation().name());
    if (in.orderDomain()) {
      input.put("samples_per_revolution", in.samplesPerRevolution());
    }
    details.put("input", input);
    details.put("drsn_version", projectVersion);
    details.put("created_utc", createdUtc.toString());
    card.put("model_details", details);
    card.put("intended_use", INTENDED_USE);
    card.put("out_of_scope_use", OUT_OF_SCOPE);
    card.put("training_data", provenance.isEmpty() ? "not recorded in this bundle" : provenance);
    card.put("training", training.isEmpty() ? "not recorded in this bundle" : training);
    card.put("evaluation", metrics.isEmpty() ? "not recorded in this bundle" : metrics);
    if (c == null) {
      card.put("calibration", "none: probabilities are the raw softmax and nothing is flagged unknown"
          + " (drsn calibrate adds it)");
    } else {
      Map<String, Object> calibration = new LinkedHashMap<>();
      calibration.put("temperature", c.temperature());
      calibration.put("ece_before", c.eceBefore());
      calibration.put("ece_after", c.eceAfter());
      calibration.put("ood_method", c.method().name());
      calibration.put("ood_threshold", c.thresholds().get(c.method()));
      calibration.put("false_alarm_rate", c.falseAlarmRate());
      calibration.put("fitted_on", c.data());
      calibration.put("windows", (long) c.windows());
      card.put("calibration", calibration);
    }
    Object shift = metrics.get("shift");
    card.put("shift_protocols", shift != null ? shift : "none recorded in this bundle; the toolkit's protocols"
        + " (cross-load, cross-SNR, open set, synthetic shift) and their results are in docs/results");
    card.put("known_limits", limits(classes, in, c != null));
    return new ModelCard(card);
  }

  private static List<Object> toList(int[] values) {
    List<Object> list = new ArrayList<>();
    for (int v : values) {
      list.add((long) v);
    }
    return list;
  }

  private static List<Object> limits(List<String> classes, InputSpec in, boolean calibrated) {
    List<Object> limits = new ArrayList<>();
    limits.add(String.format(Locale.ROOT, "Knows only its %d classes %s; anything else is one of them unless flagged"
        + " unknown.", classes.size(), classes));
    if (in.orderDomain()) {
      limits.add(String.format(Locale.ROOT, "Sees %d samples per window at %s samples per shaft revolution (%s"
          + " revolutions, orders up to %s): every recording needs its shaft speed, taken as constant over the"
          + " recording; resonances fixed in Hz move in orders with the speed.", in.windowLength(),
          number(in.samplesPerRevolution()), number(in.windowLength() / in.samplesPerRevolution()),
          number(in.samplesPerRevolution() / 2)));
    } else {
      limits.add(String.format(Locale.ROOT, "Sees %d samples at %s Hz per window: recordings at other rates are"
          + " resampled, and content above %s Hz is not used.", in.windowLength(), number(in.samplingRate()),
          number(in.samplingRate() / 2)));
      limits.add("Learns frequencies, not shaft orders: on the synthetic drivetrain, speeds outside the training"
          + " range took accuracy from 87 % to 16 % (docs/results, synthetic shift); check the speed range of a new"
          + " machine.");
    }
    if (in.channels() > 1 && !in.namedChannels()) {
      limits.add(String.format(Locale.ROOT, "Does not record which sensors its %d input channels are: a recording's"
          + " channels are taken by position or as --channel names them, so give them in the training order.",
          in.channels()));
    }
    if (!calibrated) {
      limits.add("Uncalibrated: its probabilities are not confidences, and it never answers unknown.");
    }
    return limits;
  }

  private static String number(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  /** @return the card as a JSON tree ({@link Json#write} form) */
  public Map<String, Object> json() {
    return json;
  }

  /** @return the card as JSON text */
  public String toJson() {
    return Json.write(json);
  }

  /** @return the card rendered as Markdown, for people */
  @SuppressWarnings("unchecked")
  public String toMarkdown() {
    Map<String, Object> details = (Map<String, Object>) json.get("model_details");
    StringBuilder md = new StringBuilder();
    // "batch_norm" is the JSON's value; people read "batch norm"
    md.append("# Model card: ").append(details.get("architecture")).append(" (")
        .append(details.get("norm").toString().replace('_', ' ')).append("), ")
        .append(((List<?>) details.get("classes")).size()).append(" classes\n\n");
    md.append("## Model details\n\n");
    details.forEach((k, v) -> md.append("- ").append(k).append(": ").append(Json.write(v)).append('\n'));
    md.append("\n## Intended use\n\n").append(json.get("intended_use")).append("\n\n## Out-of-scope use\n\n")
        .append(json.get("out_of_scope_use")).append('\n');
    for (String section : List.of("training_data", "training", "evaluation", "calibration", "shift_protocols")) {
      md.append("\n## ").append(Character.toUpperCase(section.charAt(0)))
          .append(section.substring(1).replace('_', ' ')).append("\n\n");
      Object value = json.get(section);
      if (value instanceof String s) {
        md.append(s).append('\n');
      } else if (value instanceof Map<?, ?> map) {
        map.forEach((k, v) -> md.append("- ").append(k).append(": `").append(Json.write(v)).append("`\n"));
      } else {
        md.append("`").append(Json.write(value)).append("`\n");
      }
    }
    md.append("\n## Known limits\n\n");
    for (Object limit : (List<?>) json.get("known_limits")) {
      md.append("- ").append(limit).append('\n');
    }
    return md.toString();
  }
}
