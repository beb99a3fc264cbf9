package io.github.drsn.cli.commands;

import io.github.drsn.onnx.OnnxExporter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code drsn export}: a bundle as a model file for other inference engines (ONNX). */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Writes a model bundle as an ONNX model (opset " + OnnxExporter.OPSET + ") that computes the embedded"
            + " runtime's probabilities: input 'features' [batch, channels, featureLength], the preprocessed window"
            + " (representation and per-window normalisation as the model's metadata states them); outputs"
            + " 'probabilities' [batch, classes], calibrated (softmax of the logits over the bundle's temperature), and"
            + " 'logits'. The unknown decision is not in the graph: the metadata carry the calibration and say which"
            + " OOD methods can be rebuilt from the outputs. With --normalization-in-graph the input is the raw time"
            + " window. See docs/onnx.md.",
    footerHeading = "%nExamples:%n",
    footer = {"  drsn export --model runs/cwru/model.drsn --format onnx --out model.onnx",
      "  drsn export --model runs/cwru/model.drsn --out model.onnx --normalization-in-graph"})
public final class ExportCommand implements Callable<Integer> {

  /** Export formats. */
  public enum Format {
    onnx
  }

  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model bundle (model.drsn).")
  Path model;

  @Option(names = "--format", paramLabel = "FORMAT", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Format format = Format.onnx;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "The file to write (atomically).")
  Path out;

  @Option(names = "--normalization-in-graph",
      description = "Put the model's per-window normalisation (e.g. z-score) in the graph, whose input is then 'window',"
          + " the raw time window [batch, channels, windowLength]; for time-sample models only.")
  boolean normalizationInGraph;

  @Override
  public Integer call() throws IOException {
    if (Outputs.isSameFile(out, model)) {
      throw new ParameterException(spec.commandLine(), "--out " + out + " is the model being exported; write the ONNX"
          + " model to another file");
    }
    onnx.Onnx.ModelProto written;
    try {
      written = OnnxExporter.export(model, out, normalizationInGraph);
    } catch (IOException e) {
      // A missing or corrupt bundle is a BundleFormatException that names the file; this is the writing side.
      throw new IOException("cannot write " + out + ": " + why(e), e);
    }
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.printf("%s: ONNX opset %d, %d nodes, %d bytes; input %s %s, output probabilities over %d classes%n",
        out, OnnxExporter.OPSET, written.getGraph().getNodeCount(), Files.size(out),
        written.getGraph().getInput(0).getName(),
        written.getGraph().getInput(0).getType().getTensorType().getShape().getDimList().stream()
            .map(d -> d.hasDimValue() ? Long.toString(d.getDimValue()) : d.getDimParam()).toList(),
        written.getGraph().getOutput(0).getType().getTensorType().getShape().getDim(1).getDimValue());
    stdout.flush();
    return 0;
  }

  /** What went wrong writing the file, in words (the JDK's exceptions name a path, not the problem). */
  private static String why(IOException e) {
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.FileAlreadyExistsException || e instanceof java.nio.file.NotDirectoryException) {
      return e.getMessage() + " is a file, not a folder";
    }
    if (e instanceof java.nio.file.NoSuchFileException || e instanceof java.nio.file.FileSystemException) {
      return "its folder cannot be created or written (" + e.getClass().getSimpleName() + ")";
    }
    return e.getMessage();
  }
}
