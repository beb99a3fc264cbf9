/**
 * The built-in synthetic drivetrain data set: eight health states of a simulated gearbox and bearing, fully
 * determined by a seed.
 */
package io.github.drsn.datasets.synthetic;
