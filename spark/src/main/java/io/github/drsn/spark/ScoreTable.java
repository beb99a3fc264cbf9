package io.github.drsn.spark;

import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The scoring job's table: the columns of {@link ScoreRow}, in its order, all nullable. */
public final class ScoreTable {

  /** Column names, as written to Parquet and in the CSV header. */
  public static final List<String> COLUMNS = List.of("file", "channel", "sampling_rate", "window", "window_start_s",
      "windows", "diagnosis", "outcome", "candidate", "confidence", "ood_score", "health", "resampled", "model_id", "model_sha256",
      "error");

  private static final List<DataType> TYPES = List.of(DataTypes.StringType, DataTypes.StringType,
      DataTypes.DoubleType, DataTypes.IntegerType, DataTypes.DoubleType, DataTypes.IntegerType, DataTypes.StringType,
      DataTypes.StringType, DataTypes.StringType, DataTypes.DoubleType, DataTypes.DoubleType, DataTypes.StringType, DataTypes.BooleanType,
      DataTypes.StringType, DataTypes.StringType, DataTypes.StringType);

  /** The schema of the table. */
  public static final StructType SCHEMA = schema();

  private ScoreTable() {
  }

  private static StructType schema() {
    StructField[] fields = new StructField[COLUMNS.size()];
    for (int i = 0; i < fields.length; i++) {
      fields[i] = DataTypes.createStructField(COLUMNS.get(i), TYPES.get(i), true);
    }
    return DataTypes.createStructType(fields);
  }

  /** A Spark row of {@link #SCHEMA}. */
  public static Row row(ScoreRow r) {
    return RowFactory.create(r.file(), r.channel(), r.samplingRate(), r.window(), r.windowStartSeconds(), r.windows(),
        r.diagnosis(), r.outcome(), r.candidate(), r.confidence(), r.oodScore(), r.health(), r.resampled(), r.modelId(),
        r.modelSha256(), r.error());
  }
}
