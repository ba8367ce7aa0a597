package dev.dataenc.cli;

import dev.dataenc.report.ReportDocument;
import dev.dataenc.report.ReportJson;

import java.io.PrintWriter;

import picocli.CommandLine.Option;

/**
 * The {@code --json} option of the commands that report (a picocli mixin): the report is written as
 * one JSON document on standard output (schema: {@code docs/JSON.md}) and nothing else goes there;
 * progress bars, warnings and errors stay on standard error, and the exit code is the same as
 * without it.
 */
public final class JsonOption {

    @Option(names = "--json",
            description = "Print the report as one JSON document on standard output (schema: docs/JSON.md).")
    private boolean json;

    /** Whether {@code --json} was given. */
    public boolean enabled() {
        return json;
    }

    /** Writes {@code document} and a newline to {@code out}, and flushes. */
    static void print(PrintWriter out, ReportDocument document) {
        out.println(ReportJson.write(document));
        out.flush();
    }
}
