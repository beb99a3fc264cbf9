/**
 * Bearing physics beside the network: geometry and defect frequencies, a catalogue of named bearings, the
 * kurtogram, envelope evidence at the defect frequencies with a verdict, shaft-speed estimation and the ISO
 * 20816-3 vibration severity of a recording.
 */
package io.github.drsn.signals.bearing;
