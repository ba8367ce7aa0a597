package dev.dataenc.cli;

import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.report.CdkInfo;
import dev.dataenc.report.CdkListDocument;
import dev.dataenc.report.WrappingInfo;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code dataenc cdk list [--status S]...}: every CDK in the registry, oldest first, with its status, when it
 * was created and reached that status, its wrappings by keystore and master key, and its recorded usage.
 */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the CDKs, oldest first: id, status, created, status changed, wrappings, usage.")
final class CdkListCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOption config;

    @Mixin
    private JsonOption json;

    @Option(names = "--status", paramLabel = "<status>", split = ",",
            description = "Only CDKs with this status: ACTIVE, DECRYPT_ONLY, RETIRED, DESTROYED (repeatable,"
                    + " or comma-separated; any case).")
    private List<String> statuses = new ArrayList<>();

    @Override
    public Integer call() {
        Set<CdkStatus> wanted = parse();
        PrintWriter out = spec.commandLine().getOut();
        try (ControlPlane plane = AdminPlane.openToLook(config.load())) {
            CdkListDocument doc = CdkListDocument.of(plane, wanted);
            List<CdkInfo> cdks = doc.cdks();
            List<String> filter = doc.statusFilter();
            if (json.enabled()) {
                JsonOption.print(out, doc);
                return 0;
            }
            out.println(cdks.size() + " CDK" + (cdks.size() == 1 ? "" : "s") + (filter.isEmpty() ? ""
                    : " with status " + String.join(" or ", filter)) + (cdks.isEmpty() ? "" : ", oldest first:"));
            for (CdkInfo c : cdks) {
                out.println(c.id() + "  " + c.status());
                out.println("    created " + c.createdAt() + (c.status().equals("ACTIVE") ? ""
                        : ", " + c.status() + " since " + (c.statusChangedAt() == null ? "(not recorded)"
                        : c.statusChangedAt())));
                out.println("    wrapped by " + (c.wrappings().isEmpty() ? "nothing (destroyed)"
                        : c.wrappings().stream().map(CdkListCommand::wrapping).collect(Collectors.joining(", "))));
                out.println("    encrypted " + c.usage().propertyValues() + " property values, " + c.usage().blobs()
                        + " BLOBs (recorded)");
            }
        }
        return 0;
    }

    private static String wrapping(WrappingInfo w) {
        return "'" + w.keystore() + "' (master key " + w.masterKeyId()
                + (w.masterKeyVersion().isEmpty() ? "" : " version " + w.masterKeyVersion()) + ")";
    }

    private Set<CdkStatus> parse() {
        Set<CdkStatus> wanted = EnumSet.noneOf(CdkStatus.class);
        for (String s : statuses) {
            try {
                wanted.add(CdkStatus.valueOf(s.trim().toUpperCase(Locale.ROOT).replace('-', '_')));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--status '" + s + "' is not a CDK status; use one of "
                        + EnumSet.allOf(CdkStatus.class));
            }
        }
        return wanted;
    }
}
