package dev.dataenc.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code dataenc cdk <subcommand>}: looking at CDKs; {@code list} is the only subcommand for now. */
@Command(name = "cdk", mixinStandardHelpOptions = true, subcommands = CdkListCommand.class,
        description = "Look at the CDKs: 'dataenc cdk list [--status S]'.")
final class CdkCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing subcommand: use 'dataenc cdk list'");
    }
}
