/** Fitting and applying a bundle's calibration in plain Java: temperature scaling, ECE, out-of-distribution scores and their thresholds. */
package io.github.drsn.runtime.calibration;
