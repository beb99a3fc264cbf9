/**
 * Learning-rate schedules for DL4J updaters (the DRSN paper's step decay, Smith's cyclical schedules,
 * SGDR cosine restarts and linear warm-up), each an immutable, JSON-serialisable
 * {@link org.nd4j.linalg.schedule.ISchedule}, plus a text grammar to build them ({@link
 * io.github.drsn.model.schedule.Schedules#parse(String)}).
 */
package io.github.drsn.model.schedule;
