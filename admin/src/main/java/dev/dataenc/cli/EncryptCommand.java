package dev.dataenc.cli;

import dev.dataenc.control.ControlPlane;
import dev.dataenc.envelope.CiphertextInfo;
import dev.dataenc.envelope.EncryptingOutputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dataenc encrypt --context <c> [<value>|-]} prints the text form of one value encrypted under
 * the ACTIVE CDK; {@code dataenc encrypt --context <c> --in <file> --out <file>} writes a file as a
 * BLOB (a new 0600 file, complete or absent). Opening the registry here rotates and switches nothing;
 * the encryptions are added to the CDK's usage count when the command ends.
 */
@Command(name = "encrypt", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Encrypt one value (prints the text form dataenc:v1:...) or one file (--in/--out: a BLOB)"
                + " under the ACTIVE CDK, bound to --context.",
                "The value comes from the argument or, without one (or with -), from standard input (one trailing"
                        + " line break removed); prefer standard input, an argument shows in the shell history."})
final class EncryptCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOption config;

    @Option(names = "--context", required = true, paramLabel = "<context>",
            description = "The encryption context the application uses for this value, e.g. Customer.email.")
    private String context;

    @Parameters(index = "0", arity = "0..1", paramLabel = "<value|->", description = "The value (default: standard input).")
    private String value;

    @Option(names = "--in", paramLabel = "<file>", description = "Encrypt this file as a BLOB (needs --out).")
    private Path in;

    @Option(names = "--out", paramLabel = "<file>", description = "Where the BLOB goes: a new file, created 0600.")
    private Path out;

    @Override
    public Integer call() throws IOException {
        if (in != null && value != null) {
            throw new ParameterException(spec.commandLine(), "give a value or --in <file>, not both");
        }
        if (out != null && out.toString().equals("-")) {
            throw new ParameterException(spec.commandLine(), "--out - would create a file named '-'; a BLOB is binary"
                    + " and is not printed: give --out <file>");
        }
        if ((in == null) != (out == null)) {
            throw new ParameterException(spec.commandLine(), in == null
                    ? "--out is for files: encrypt a file with --in <file> --out <file>; a value's text form is printed"
                    : "--in needs --out <file>: a BLOB is binary and is not printed");
        }
        PrintWriter stdout = spec.commandLine().getOut();
        if (in == null) {
            String plaintext = value == null || value.equals("-") ? CiphertextInput.stdinValue(CiphertextInput.MAX_VALUE,
                    " (48 MiB), the largest property value; encrypt a larger input as a BLOB: save it to a file and use"
                    + " --in <file> --out <file>; nothing was encrypted") : value;
            try (ControlPlane plane = AdminPlane.openInitialized(config.load())) {
                stdout.println(plane.propertyCipher().encryptString(plaintext, context));
            }
            return 0;
        }
        CiphertextInput.requireRegularFile(in, "save the stream to a file and encrypt that");
        try (InputStream source = CiphertextInput.open(in); PrivateOutput target = PrivateOutput.create(out);
             ControlPlane plane = AdminPlane.openInitialized(config.load())) {
            long bytes;
            try (OutputStream file = target.stream();
                 EncryptingOutputStream enc = plane.blobCipher().encryptingStream(file, context)) {
                bytes = source.transferTo(enc);
            }
            target.commit();
            CiphertextInfo info = CiphertextInput.read(target.target()).info();
            stdout.println("encrypted " + in.toAbsolutePath() + " (" + bytes + " bytes) -> " + target.target()
                    + " (0600): BLOB under CDK " + info.cdkId() + ", " + info.segmentCount() + " segment(s) of "
                    + info.segmentSize() + " bytes, context '" + context + "'");
        }
        return 0;
    }
}
