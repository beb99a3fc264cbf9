package io.github.drsn.datasets.cwru;

/** The accelerometers of the CWRU rig, i.e. the {@code XNNN_<suffix>_time} variables of a file. */
public enum Sensor {
  /** Drive-end accelerometer ({@code _DE_time}), in g. */
  DE,
  /** Fan-end accelerometer ({@code _FE_time}), in g. */
  FE,
  /** Base-plate accelerometer ({@code _BA_time}, fault files only), in g. */
  BA;

  /** @return the variable suffix, e.g. {@code "_DE_time"} */
  public String variableSuffix() {
    return "_" + name() + "_time";
  }
}
