package dev.dataenc.cli;

import java.util.concurrent.Callable;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dataenc completion bash}: prints the shell completion script that picocli generates from the
 * command model, so it always matches the commands and options of this version. The script works in
 * bash and, after {@code autoload -U +X bashcompinit && bashcompinit}, in zsh.
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print the shell completion script for dataenc (bash; zsh with bashcompinit).",
                "Install: dataenc completion bash > /etc/bash_completion.d/dataenc, or in ~/.bashrc:"
                        + " source <(dataenc completion bash)"})
final class CompletionCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", defaultValue = "bash", paramLabel = "<shell>",
            description = "bash (default) or zsh.")
    private String shell;

    @Override
    public Integer call() {
        if (!shell.equals("bash") && !shell.equals("zsh")) {
            throw new ParameterException(spec.commandLine(), "no completion for shell '" + shell + "'; use bash or zsh");
        }
        spec.commandLine().getOut().print(AutoComplete.bash("dataenc", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
