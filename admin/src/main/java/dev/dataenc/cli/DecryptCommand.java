package dev.dataenc.cli;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.envelope.CiphertextInfo;
import dev.dataenc.error.DecryptionFailedException;
import dev.dataenc.keystore.DataKey;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dataenc decrypt --context <c> [<value>|-] [--out <file>] [--print-plaintext]} and
 * {@code dataenc decrypt --context <c> --in <file> [--out <file>]}: decrypts one value (text form) or
 * one file (text, binary property ciphertext or BLOB). The plaintext goes only where it is asked to:
 * a new 0600 file ({@code --out}) and, for a value, standard output with {@code --print-plaintext};
 * with neither, the ciphertext is only checked to decrypt. Every decrypt is audited
 * ({@code DATA_DECRYPTED}: CDK, context, input, destination, actor; never the plaintext) after the
 * ciphertext authenticated and before any plaintext is released.
 */
@Command(name = "decrypt", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Decrypt one value (text form) or one file (--in) bound to --context; audited.",
                "The plaintext goes to a new 0600 file with --out, and is printed only with --print-plaintext;"
                        + " with neither, the command only checks that it decrypts."})
final class DecryptCommand implements Callable<Integer> {

    private static final int MAX_CONTEXT_AUDITED = 200;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOption config;

    @Option(names = "--context", required = true, paramLabel = "<context>",
            description = "The encryption context it was encrypted under, e.g. Customer.email.")
    private String context;

    @Parameters(index = "0", arity = "0..1", paramLabel = "<value|->",
            description = "A text-form ciphertext dataenc:v1:... (default: standard input).")
    private String value;

    @Option(names = "--in", paramLabel = "<file>", description = "Decrypt this file (text form, binary or BLOB).")
    private Path in;

    @Option(names = "--out", paramLabel = "<file>", description = "Write the plaintext to this new file, created 0600.")
    private Path out;

    @Option(names = "--print-plaintext",
            description = "Print a value's plaintext (as UTF-8) on standard output. Without it no plaintext is printed.")
    private boolean printPlaintext;

    @Override
    public Integer call() throws IOException {
        if (in != null && value != null) {
            throw new ParameterException(spec.commandLine(), "give a value or --in <file>, not both");
        }
        if (out != null && out.toString().equals("-")) {
            throw new ParameterException(spec.commandLine(), "--out - would create a file named '-'; write a value's"
                    + " plaintext to standard output with --print-plaintext, a file's to a file with --out <file>");
        }
        if (in != null && printPlaintext) {
            throw new ParameterException(spec.commandLine(), "--print-plaintext is for values; write a file's"
                    + " plaintext with --out <file>");
        }
        CiphertextInput.Read read;
        String origin;
        if (in != null) {
            CiphertextInput.requireRegularFile(in, "give a file, or pipe a text-form value to 'dataenc decrypt --context"
                    + " <c> -'");
            read = CiphertextInput.read(in);
            origin = "file " + in.toAbsolutePath();
        } else {
            boolean stdin = value == null || value.equals("-");
            String text = stdin ? CiphertextInput.stdinValue(CiphertextInput.MAX_TEXT, ", longer than the text form of"
                    + " the largest property value (48 MiB), so it is not a text-form ciphertext (decrypt a BLOB from a"
                    + " file with --in <file>); nothing was decrypted") : value;
            read = new CiphertextInput.Read(CiphertextInfo.ofText(text), text.strip());
            origin = stdin ? "standard input" : "argument";
        }
        CiphertextInfo info = read.info();
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter summary = printPlaintext ? spec.commandLine().getErr() : stdout;
        byte[] plaintext = null;
        try (PrivateOutput target = out == null ? null : PrivateOutput.create(out);
             ControlPlane plane = AdminPlane.openInitialized(config.load())) {
            long bytes;
            if (info.kind() == CiphertextInfo.Kind.BLOB) {
                bytes = decryptBlob(plane, target);
            } else {
                byte[] ciphertext = read.text() != null ? CiphertextInput.binaryOf(read.text()) : Files.readAllBytes(in);
                plaintext = info.kind() == CiphertextInfo.Kind.DETERMINISTIC
                        ? plane.deterministicCipher().decrypt(ciphertext, context)
                        : plane.propertyCipher().decrypt(ciphertext, context);
                bytes = plaintext.length;
                if (target != null) {
                    try (OutputStream file = target.stream()) {
                        file.write(plaintext);
                    }
                }
            }
            String destination = destination(target);
            plane.audit().record(AuditAction.DATA_DECRYPTED, info.cdkId(), null, info.kind() + " "
                    + (info.kind() == CiphertextInfo.Kind.BLOB ? "" : "value ") + "(" + bytes + " bytes) from " + origin
                    + " under context '" + audited(context) + "', plaintext to " + destination);
            if (target != null) {
                target.commit();
            }
            if (printPlaintext) {
                stdout.println(new String(plaintext, StandardCharsets.UTF_8));
                stdout.flush();
            }
            summary.println("decrypted " + info.kind() + (info.kind() == CiphertextInfo.Kind.BLOB ? "" : " value") + " ("
                    + bytes + " bytes) under CDK " + info.cdkId() + ", context '" + DataencCli.printable(context) + "'; plaintext to "
                    + destination + (out == null && !printPlaintext ? " (use --out <file> or --print-plaintext)" : "")
                    + "; audited as " + AuditAction.DATA_DECRYPTED);
        } finally {
            if (plaintext != null) {
                DataKey.zeroize(plaintext);
            }
        }
        return 0;
    }

    private long decryptBlob(ControlPlane plane, PrivateOutput target) throws IOException {
        try (InputStream file = CiphertextInput.open(in);
             InputStream plain = plane.blobCipher().decryptingStream(file, context);
             OutputStream sink = target == null ? OutputStream.nullOutputStream() : target.stream()) {
            return plain.transferTo(sink);
        } catch (DecryptionFailedException e) {
            // the library's stream may have released earlier segments; this command released nothing: they went only
            // to the temporary file, which is deleted (or nowhere, when only checking)
            String released = "Plaintext of earlier, verified segments was released; none of this segment.";
            if (!String.valueOf(e.getMessage()).contains(released)) {
                throw e;
            }
            throw new DecryptionFailedException(e.getMessage().replace(released, "No plaintext was released"
                    + (target == null ? "." : ": the partly written output was deleted, " + target.target()
                    + " was not created.")), e);
        }
    }

    private String destination(PrivateOutput target) {
        List<String> where = new ArrayList<>();
        if (target != null) {
            where.add("file " + target.target() + " (0600)");
        }
        if (printPlaintext) {
            where.add("standard output");
        }
        return where.isEmpty() ? "nowhere (only checked that it decrypts)" : String.join(" and ", where);
    }

    private static String audited(String context) {
        return context.length() <= MAX_CONTEXT_AUDITED ? context : context.substring(0, MAX_CONTEXT_AUDITED) + "...";
    }
}
