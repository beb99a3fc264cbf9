package io.github.drsn.cli.commands;

import io.github.drsn.contract.Bundle;
import io.github.drsn.contract.ModelCard;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code drsn card}: prints a bundle's model card ({@link ModelCard}), also for bundles written before cards. */
@Command(
    name = "card",
    mixinStandardHelpOptions = true,
    description = "Prints a model bundle's model card: model details and provenance, intended and out-of-scope use,"
        + " training data with SHA-256, evaluation, calibration, shift protocols and known limits. Bundles carry it"
        + " as card.json and card.md; it is derived from the bundle's metadata, so older bundles get one too.",
    footerHeading = "%nExamples:%n",
    footer = {"  drsn card --model runs/drsn-cw-synthetic/model.drsn", "  drsn card --model m.drsn --json"})
public final class CardCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model bundle (model.drsn).")
  Path model;

  @Option(names = "--json", description = "The card as JSON instead of Markdown.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    ModelCard card = Bundle.read(model).card();
    PrintWriter out = spec.commandLine().getOut();
    out.print(json ? card.toJson() + "\n" : card.toMarkdown());
    out.flush();
    return 0;
  }
}
