package io.github.drsn.datasets.split;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.github.drsn.datasets.io.JsonMappers;
import java.util.List;
import java.util.Map;

/**
 * Everything a user needs to judge a data set before training on it, as a plain value that serialises
 * to JSON with the keys below (in this order).
 *
 * @param name data set name
 * @param recordings number of recordings
 * @param classes class names in label-index order
 * @param samplingRate common sampling rate, Hz
 * @param channels channels per recording
 * @param conditions distinct operating conditions
 * @param recordingsPerClass recordings per class
 * @param split the split plan, described
 * @param windowLength samples per window
 * @param trainStride stride of training windows
 * @param evaluationStride stride of validation and test windows
 * @param windows window counts: region key ({@code train}, {@code validation}, {@code test}) → class → count
 * @param windowTotals windows per region
 * @param skipped recordings the loader skipped, with reasons
 * @param notes recordings or regions that produced no windows, and why
 */
public record DatasetSummary(String name, int recordings, List<String> classes, double samplingRate, int channels,
    List<String> conditions, Map<String, Integer> recordingsPerClass, String split, int windowLength,
    int trainStride, int evaluationStride, Map<String, Map<String, Integer>> windows,
    Map<String, Integer> windowTotals, List<String> skipped, List<String> notes) {

  // snake_case like every other JSON the project writes (sampling_rate, recordings_per_class, window_totals).
  private static final ObjectMapper JSON = JsonMappers.indented()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  /** @return the summary as indented JSON */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a summary of strings, numbers and maps always serialises", e);
    }
  }
}
