package io.github.drsn.experiments.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LastEpochLossesTest {

  @Test
  void averagesEachGroupsLossesOverSeedsAndLeavesOutWhatWasNotMeasured() {
    LastEpochLosses losses = new LastEpochLosses();
    losses.add("cwru", "pink", -4, "resnet", 0.25, 0.2);
    losses.add("cwru", "gaussian", -4, "resnet", 0.6, 0.5);
    losses.add("cwru", "gaussian", -4, "drsn-cw", 0.2, Double.NaN);
    losses.add("cwru", "gaussian", -4, "resnet", 0.4, 0.3);
    losses.add("cwru", "gaussian", -8, "resnet", 1.0, 1.25);
    assertEquals("""
        **cwru, gaussian noise: training / validation loss of the last epoch, mean over seeds (seeds)**

        | SNR (dB) | drsn-cw | resnet |
        | ---: | ---: | ---: |
        | -8 | – | 1.000 / 1.250 (1) |
        | -4 | 0.200 / – (1) | 0.500 / 0.400 (2) |

        **cwru, pink noise: training / validation loss of the last epoch, mean over seeds (seeds)**

        | SNR (dB) | resnet |
        | ---: | ---: |
        | -4 | 0.250 / 0.200 (1) |

        """, losses.toMarkdown());
    assertEquals("", new LastEpochLosses().toMarkdown());
  }
}
