package dev.dataenc.cli;

import dev.dataenc.control.ControlPlane;
import dev.dataenc.envelope.CiphertextInfo;
import dev.dataenc.error.DataEncException;
import dev.dataenc.report.CdkCatalog;
import dev.dataenc.report.CdkInfo;
import dev.dataenc.report.InspectDocument;
import dev.dataenc.report.InspectDocument.RegistryLookup;
import dev.dataenc.report.WrappingInfo;

import java.io.IOException;
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
 * {@code dataenc inspect <value|@file|-> | --file <path>}: what a ciphertext's header and length say
 * (kind, format version, suite, CDK id, lengths, BLOB segments) and that CDK's status, wrappings and
 * usage from the registry. Decrypts nothing and changes nothing; input that is not a dataenc
 * ciphertext (or is too short for its kind, or longer than any property ciphertext) fails with one line, exit 1.
 * Only a bounded amount is read (see {@link CiphertextInput}): of a BLOB on standard input or from a pipe only the
 * header, so its lengths are {@link CiphertextInput#UNKNOWN}. When the registry cannot be opened the header is still
 * shown, with a warning on standard error.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Describe a ciphertext without decrypting it: kind, format version, suite, CDK id, lengths,"
                + " BLOB segments, and that CDK's status and wrappings from the registry.",
                "Give the text form as the argument, @<file> or --file <file> for a file (text, binary or BLOB),"
                        + " or - for standard input."})
final class InspectCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOption config;

    @Mixin
    private JsonOption json;

    @Parameters(index = "0", arity = "0..1", paramLabel = "<value|@file|->",
            description = "A text-form ciphertext (dataenc:v1:... or dataenc:d1:...), @<file>, or - for standard input.")
    private String input;

    @Option(names = "--file", paramLabel = "<path>", description = "A file holding a ciphertext (text, binary or BLOB).")
    private Path file;

    @Option(names = "--no-registry", description = "Do not open the registry; describe the header only.")
    private boolean noRegistry;

    @Override
    public Integer call() throws IOException {
        if ((input == null) == (file == null)) {
            throw new ParameterException(spec.commandLine(), "give exactly one ciphertext: a value, @<file>, - (standard"
                    + " input) or --file <path>");
        }
        String origin;
        Path path = file;
        if (path == null && input.startsWith("@")) {
            path = Path.of(input.substring(1));
        }
        CiphertextInput.Read read;
        if (path != null) {
            origin = "file";
            read = CiphertextInput.read(path);
        } else if (input.equals("-")) {
            origin = "stdin";
            read = CiphertextInput.read(CiphertextInput.stdin(), -1, "standard input");
        } else {
            origin = "argument";
            read = new CiphertextInput.Read(CiphertextInfo.ofText(input), input.strip());
        }
        CiphertextInfo info = read.info();
        RegistryLookup lookup;
        CdkInfo cdk = null;
        if (noRegistry) {
            lookup = new RegistryLookup(false, false, "not asked (--no-registry)");
        } else {
            try (ControlPlane plane = AdminPlane.openToLook(config.load())) {
                cdk = CdkCatalog.find(plane, info.cdkId()).orElse(null);
                lookup = new RegistryLookup(true, cdk != null, null);
            } catch (DataEncException e) {
                lookup = new RegistryLookup(false, false, DataencCli.oneLine(e));
                spec.commandLine().getErr().println("dataenc: warning: the registry was not consulted, so the CDK's"
                        + " status and wrappings are not shown: " + lookup.error());
            }
        }
        InspectDocument doc = InspectDocument.of(origin, path == null ? null : path.toAbsolutePath().toString(), info,
                lookup, cdk);
        if (json.enabled()) {
            JsonOption.print(spec.commandLine().getOut(), doc);
        } else {
            print(spec.commandLine().getOut(), doc);
        }
        return 0;
    }

    private static void print(PrintWriter out, InspectDocument d) {
        if (d.file() != null) {
            out.println("file:             " + d.file());
        }
        boolean deterministic = d.kind().equals("DETERMINISTIC");
        out.println("kind:             " + d.kind() + (d.kind().equals("BLOB") ? " (streaming, segmented)"
                : deterministic ? " value (searchable: equal values have equal ciphertexts)" : " value") + ", "
                + (d.encoding().equals("TEXT") ? "text form (" + (deterministic ? "dataenc:d1:" : "dataenc:v1:") + "...)"
                : "binary"));
        out.println("format version:   " + d.formatVersion());
        out.println("suite:            " + d.suiteId() + " = " + d.suite());
        out.println("CDK:              " + d.cdkId());
        boolean lengthKnown = d.ciphertextBytes() != CiphertextInput.UNKNOWN;
        if (lengthKnown) {
            out.println("length:           " + d.ciphertextBytes() + " bytes of ciphertext, " + d.plaintextBytes()
                    + " bytes of plaintext");
        } else {
            out.println("length:           unknown: only the BLOB's header was read from the stream (give the file"
                    + " with --file <path> for its length and segment count)");
        }
        if (d.kind().equals("BLOB")) {
            out.println("segments:         " + (lengthKnown ? String.valueOf(d.segmentCount()) : "unknown number")
                    + " of up to " + d.segmentSize() + " plaintext bytes");
        }
        if (!d.registry().consulted()) {
            out.println("registry:         not consulted (" + d.registry().error() + ")");
        } else if (d.cdk() == null) {
            out.println("CDK status:       UNKNOWN: this registry does not know the CDK (another installation's"
                    + " data, or a registry restored from an older backup); it cannot be decrypted here");
        } else {
            CdkInfo c = d.cdk();
            out.println("CDK status:       " + c.status() + " (created " + c.createdAt()
                    + (c.statusChangedAt() == null || c.status().equals("ACTIVE") ? "" : ", " + c.status() + " since "
                    + c.statusChangedAt()) + ")");
            out.println("wrappings:" + (c.wrappings().isEmpty() ? "        none (destroyed: the data under it can never"
                    + " be decrypted again)" : ""));
            for (WrappingInfo w : c.wrappings()) {
                out.println("  keystore '" + w.keystore() + "' master key '" + w.masterKeyId() + "'"
                        + (w.masterKeyVersion().isEmpty() ? "" : " version " + w.masterKeyVersion()));
            }
            out.println("usage:            " + c.usage().propertyValues() + " property values, " + c.usage().blobs()
                    + " BLOBs encrypted under it (recorded)");
        }
        out.println("nothing decrypted: only the header " + (lengthKnown ? "and length were" : "was") + " read; a"
                + " modified payload is found only by decrypting");
    }
}
