package io.github.drsn.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrainingRecipeTest {

  @Test
  void theRecipeStringRoundTrips() {
    assertEquals("baseline", TrainingRecipe.BASELINE.describe());
    assertEquals(TrainingRecipe.BASELINE, TrainingRecipe.parse("baseline"));
    TrainingRecipe all = new TrainingRecipe(0.1, 2, new double[] {0.25, 0.75}, 0.05, 0.2, 0.999, 0.02);
    assertEquals("label_smoothing=0.1,focal_gamma=2,focal_alpha=0.25/0.75,flood=0.05,dropout=0.2,ema=0.999,fgm=0.02",
        all.describe());
    assertEquals(all, TrainingRecipe.parse(all.describe()));
    TrainingRecipe odd = new TrainingRecipe(1.0 / 3, 0, null, 1e-7, 0, 0);
    assertEquals(odd, TrainingRecipe.parse(odd.describe()));
    assertEquals("label_smoothing=0.3333333333333333,flood=0.0000001", odd.describe());
  }

  @ParameterizedTest
  @CsvSource({
    "1, 0, 0, 0, 0, --label-smoothing",
    "-0.1, 0, 0, 0, 0, --label-smoothing",
    "0, -1, 0, 0, 0, --focal-gamma",
    "0, 0, -0.5, 0, 0, --flood",
    "0, 0, 0, 1, 0, --dropout",
    "0, 0, 0, 0, 1, --ema",
    "0, 0, 0, 0, -0.5, --ema",
    "0, NaN, 0, 0, 0, --focal-gamma"
  })
  void outOfRangeSettingsNameTheirFlag(double ls, double gamma, double flood, double dropout, double ema,
      String flag) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new TrainingRecipe(ls, gamma, null, flood, dropout, ema));
    assertTrue(e.getMessage().startsWith(flag), e.getMessage());
  }

  @Test
  void unknownRecipesAndNegativeAlphasAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> TrainingRecipe.parse("mixup=0.2"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new TrainingRecipe(0, 0, null, 0, 0, 0, -0.1))
        .getMessage().startsWith("--fgm"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new TrainingRecipe(0, 2, new double[] {1, -1}, 0, 0, 0));
    assertTrue(e.getMessage().startsWith("--focal-alpha"), e.getMessage());
  }
}
