package io.github.drsn.spark;

import io.github.drsn.datasets.FileDigests;
import io.github.drsn.runtime.LeanDiagnoser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

/**
 * Diagnoses an archive of recordings on Spark with the lean runtime: the driver lists the files with their sizes and
 * groups them into partitions of similar total size ({@link SizePartitions}); the bundle's bytes are broadcast once;
 * each executor JVM builds one immutable {@link LeanDiagnoser} ({@link RecordingScorer#diagnoser}) that its task
 * threads share, reads its files and scores them exactly as {@code drsn predict} does ({@link RecordingScorer}). The
 * table ({@link ScoreTable}: one row per file, and per window with {@link Request#perWindow()}) is written to a
 * temporary folder beside the output and renamed to it when complete, so a reader never sees a partial table.
 *
 * <pre>{@code
 * ScoringJob.Summary s = ScoringJob.run(spark, new ScoringJob.Request(Path.of("model.drsn"), "model.drsn",
 *     "/archive/2026-12", "/scores/2026-12", ScoringJob.Format.PARQUET, scorerSettings));
 * }</pre>
 */
public final class ScoringJob {

  /** Output formats. */
  public enum Format {
    PARQUET, CSV;

    String sparkName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * What to score.
   *
   * @param model the bundle, read on the driver
   * @param input a folder, glob, list file or recording ({@link RecordingInputs#list})
   * @param out the output folder (a Hadoop path: local, {@code hdfs://}, {@code s3a://}); must not exist
   * @param format Parquet or CSV (with a header line)
   * @param scorer how each recording is read and judged; its model id and SHA-256 are replaced by the bundle's
   */
  public record Request(Path model, String input, String out, Format format, RecordingScorer scorer) {
  }

  /**
   * What a job did.
   *
   * @param files recordings listed
   * @param errors recordings that could not be diagnosed (their rows carry the error)
   * @param windows windows classified
   * @param rows rows written
   * @param partitions partitions (tasks) the files were grouped into
   * @param seconds wall time of the job, from listing the files to the renamed output
   * @param modelSha256 SHA-256 of the bundle
   */
  public record Summary(long files, long errors, long windows, long rows, int partitions, double seconds,
      String modelSha256) {
  }

  /** Partitions per core of the cluster: small enough groups that a slow file is balanced by the others. */
  static final int PARTITIONS_PER_CORE = 4;

  private ScoringJob() {
  }

  /**
   * Runs the job (see the class description).
   *
   * @throws IllegalArgumentException if the model is missing or not a bundle, the input names no recording, or the
   *     output exists (the message names it)
   * @throws IOException if the output cannot be renamed into place
   */
  public static Summary run(SparkSession spark, Request request) throws IOException {
    long start = System.nanoTime();
    byte[] bundle;
    try {
      bundle = Files.readAllBytes(request.model());
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(request.model() + ": no such model; expected a bundle (model.drsn)", e);
    }
    String sha = FileDigests.sha256(bundle);
    try {
      // The driver loads it too: a bad model fails here with its name, before any task starts.
      RecordingScorer.diagnoser(sha, () -> bundle);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(request.model() + ": " + e.getMessage(), e);
    }
    RecordingScorer s = request.scorer();
    RecordingScorer scorer = new RecordingScorer(request.model().toString(), sha, s.samplingRate(), s.channels(),
        s.hop(), s.minConfidence(), s.minAgreement(), s.perWindow(), s.rpm());
    org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(request.out());
    FileSystem fs = out.getFileSystem(spark.sparkContext().hadoopConfiguration());
    if (fs.exists(out)) {
      throw new IllegalArgumentException(request.out() + ": the output exists; give a new folder (a job never"
          + " overwrites a table)");
    }
    // A parent that is a file fails only when the table is written, after every recording was scored.
    for (org.apache.hadoop.fs.Path p = out.getParent(); p != null; p = p.getParent()) {
      if (fs.exists(p)) {
        if (!fs.getFileStatus(p).isDirectory()) {
          throw new IllegalArgumentException(request.out() + ": " + p + " is a file, not a folder; give an output"
              + " folder whose parents are folders");
        }
        break;
      }
    }
    List<RecordingInputs.Sized> files = RecordingInputs.list(request.input());
    List<List<RecordingInputs.Sized>> groups = SizePartitions.of(files,
        PARTITIONS_PER_CORE * spark.sparkContext().defaultParallelism());

    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<byte[]> model = jsc.broadcast(bundle);
    LongAccumulator errors = spark.sparkContext().longAccumulator("drsn files in error");
    LongAccumulator windows = spark.sparkContext().longAccumulator("drsn windows");
    LongAccumulator rows = spark.sparkContext().longAccumulator("drsn rows");
    // One element per partition: parallelize slices n elements into n slices of one.
    JavaRDD<Row> table = jsc.parallelize(groups, groups.size())
        .flatMap(new ScoreGroup(scorer, model, errors, windows, rows));
    org.apache.hadoop.fs.Path tmp = new org.apache.hadoop.fs.Path(out.getParent(),
        "." + out.getName() + "." + UUID.randomUUID() + ".tmp");
    try {
      spark.createDataFrame(table, ScoreTable.SCHEMA).sortWithinPartitions("file", "window")
          .write().format(request.format().sparkName()).option("header", "true").save(tmp.toString());
      if (!fs.rename(tmp, out)) {
        throw new IOException("could not rename " + tmp + " to " + out + " (does it exist now?)");
      }
    } finally {
      fs.delete(tmp, true);
      model.destroy();
    }
    return new Summary(files.size(), errors.value(), windows.value(), rows.value(), groups.size(),
        (System.nanoTime() - start) / 1e9, sha);
  }

  /** The task: scores one group of files with the executor's diagnoser. */
  private static final class ScoreGroup implements FlatMapFunction<List<RecordingInputs.Sized>, Row> {
    private static final long serialVersionUID = 1L;
    private final RecordingScorer scorer;
    private final Broadcast<byte[]> model;
    private final LongAccumulator errors;
    private final LongAccumulator windows;
    private final LongAccumulator rows;

    ScoreGroup(RecordingScorer scorer, Broadcast<byte[]> model, LongAccumulator errors, LongAccumulator windows,
        LongAccumulator rows) {
      this.scorer = scorer;
      this.model = model;
      this.errors = errors;
      this.windows = windows;
      this.rows = rows;
    }

    @Override
    public Iterator<Row> call(List<RecordingInputs.Sized> group) {
      LeanDiagnoser diagnoser = RecordingScorer.diagnoser(scorer.modelSha256(), model::value);
      List<Row> out = new ArrayList<>();
      for (RecordingInputs.Sized file : group) {
        for (ScoreRow row : scorer.score(diagnoser, file)) {
          if (row.error() != null) {
            errors.add(1);
          }
          if (row.windows() != null) {
            windows.add(row.windows());
          }
          rows.add(1);
          out.add(ScoreTable.row(row));
        }
      }
      return out.iterator();
    }
  }
}
