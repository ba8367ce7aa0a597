package dev.dataenc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.config.ConfigLoader;
import dev.dataenc.control.lifecycle.CdkReferenceEvidence;
import dev.dataenc.control.ControlPlane;

import dev.dataenc.testing.KeystoreFiles;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** {@code retire-cdks} and {@code destroy-cdk} end to end: real H2 registry, real {@code local} keystore. */
class CdkLifecycleCommandsTest {

    private static final CdkReferenceEvidence PROVEN = (id, since) -> Optional.empty();

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
        String all() {
            return out + err;
        }
    }

    /** Runs the CLI; {@code retire-cdks} gets {@code evidence} (null: the default, no scans yet). */
    private Run dataenc(CdkReferenceEvidence evidence, Path config, String... args) {
        String[] full = new String[args.length + 2];
        System.arraycopy(args, 0, full, 0, args.length);
        full[args.length] = "--config";
        full[args.length + 1] = config.toString();
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            @SuppressWarnings("unchecked")
            public <K> K create(Class<K> cls) throws Exception {
                if (cls == RetireCdksCommand.class && evidence != null) {
                    return (K) new RetireCdksCommand(plane -> evidence);
                }
                return CommandLine.defaultFactory().create(cls);
            }
        };
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = DataencCli.run(new PrintWriter(out, true), new PrintWriter(err, true), false, factory, full);
        return new Run(code, out.toString(), err.toString());
    }

    /** A configuration with local keystore a and two CDKs: one ACTIVE, one DECRYPT_ONLY. */
    private Path configWithCdks() throws IOException {
        Path file = dir.resolve("dataenc.properties");
        Files.writeString(file, "dataenc.cipher-type=platform\ndataenc.keystore.active=a\n"
                + "dataenc.keystores.a.type=local\ndataenc.keystores.a.path=a.p12\ndataenc.keystores.a.master-key=mk-a\n"
                + "dataenc.keystores.a.password=cli-test-password\n", StandardCharsets.UTF_8);
        KeystoreFiles.provideAll(file);
        assertEquals(0, dataenc(null, file, "rotate-cdk").code());
        assertEquals(0, dataenc(null, file, "rotate-cdk").code());
        return file;
    }

    private static List<Cdk> cdks(Path config) {
        try (ControlPlane plane = ControlPlane.open(ConfigLoader.load(config), ControlPlane.Options.admin("test"))) {
            return plane.registry().list();
        }
    }

    private static Cdk withStatus(Path config, CdkStatus status) {
        return cdks(config).stream().filter(c -> c.status() == status).findFirst().orElseThrow();
    }

    @Test
    void retireCdks_noScansYet_keepsEveryCdkSayingWhy_exitsZero() throws IOException {
        Path file = configWithCdks();
        Cdk old = withStatus(file, CdkStatus.DECRYPT_ONLY);

        Run r = dataenc(null, file, "retire-cdks");

        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("retired 0 CDKs"), r.out());
        assertTrue(r.out().contains("kept 1 CDK DECRYPT_ONLY"), r.out());
        assertTrue(r.out().contains(old.id() + ": no reference scan has run yet"), r.out());
        assertEquals(CdkStatus.DECRYPT_ONLY, withStatus(file, CdkStatus.DECRYPT_ONLY).status());
    }

    @Test
    void retireCdks_withEvidence_dryRunChangesNothing_thenRetires() throws IOException {
        Path file = configWithCdks();
        Cdk old = withStatus(file, CdkStatus.DECRYPT_ONLY);

        Run dry = dataenc(PROVEN, file, "retire-cdks", "--dry-run");
        List<Cdk> afterDry = cdks(file);
        Run real = dataenc(PROVEN, file, "retire-cdks");

        assertEquals(0, dry.code(), dry.all());
        assertTrue(dry.out().contains("would retire 1 CDK: " + old.id()), dry.out());
        assertTrue(dry.out().contains("dry run: nothing changed"), dry.out());
        assertTrue(afterDry.stream().noneMatch(c -> c.status() == CdkStatus.RETIRED));
        assertEquals(0, real.code(), real.all());
        assertTrue(real.out().contains("retired 1 CDK: " + old.id()), real.out());
        assertEquals(old.id(), withStatus(file, CdkStatus.RETIRED).id());
        assertTrue(dataenc(null, file, "audit").out().contains("CDK_RETIRED"));
        assertTrue(dataenc(null, file, "status").out().contains("RETIRED=1"));
    }

    @Test
    void destroyCdk_withoutConfirmation_exitsOne_changesNothing() throws IOException {
        Path file = configWithCdks();
        assertEquals(0, dataenc(PROVEN, file, "retire-cdks").code());
        Cdk retired = withStatus(file, CdkStatus.RETIRED);

        Run r = dataenc(null, file, "destroy-cdk", retired.id().toString());

        assertEquals(1, r.code(), r.all());
        assertTrue(r.err().contains("--yes-destroy-data-encrypted-under-it"), r.err());
        assertEquals(CdkStatus.RETIRED, withStatus(file, CdkStatus.RETIRED).status());
        assertEquals(1, withStatus(file, CdkStatus.RETIRED).wrappings().size());
    }

    @Test
    void destroyCdk_notRetired_exitsOne_unknownOrBadId_exitsOne_missingId_exitsTwo() throws IOException {
        Path file = configWithCdks();
        Cdk old = withStatus(file, CdkStatus.DECRYPT_ONLY);
        Cdk active = withStatus(file, CdkStatus.ACTIVE);

        Run decryptOnly = dataenc(null, file, "destroy-cdk", old.id().toString(), "--yes-destroy-data-encrypted-under-it");
        Run activeRun = dataenc(null, file, "destroy-cdk", active.id().toString(), "--yes-destroy-data-encrypted-under-it");
        Run unknown = dataenc(null, file, "destroy-cdk", "123e4567-e89b-12d3-a456-426614174000",
                "--yes-destroy-data-encrypted-under-it");
        Run bad = dataenc(null, file, "destroy-cdk", "not-an-id", "--yes-destroy-data-encrypted-under-it");
        Run missing = dataenc(null, file, "destroy-cdk");

        assertEquals(1, decryptOnly.code(), decryptOnly.all());
        assertTrue(decryptOnly.err().contains("is DECRYPT_ONLY; only a RETIRED CDK can be scheduled for destruction"),
                decryptOnly.err());
        assertEquals(1, activeRun.code(), activeRun.all());
        assertEquals(1, unknown.code(), unknown.all());
        assertTrue(unknown.err().contains("not in the registry"), unknown.err());
        assertEquals(1, bad.code(), bad.all());
        assertTrue(bad.err().contains("not a CDK id"), bad.err());
        assertEquals(2, missing.code(), missing.all());
        assertTrue(cdks(file).stream().allMatch(c -> c.wrappings().size() == 1), "nothing destroyed");
    }

    @Test
    void destroyCdk_retiredAndConfirmed_schedulesKeepingWrappings_cancelMakesItRetiredAgain() throws IOException {
        Path file = configWithCdks();
        assertEquals(0, dataenc(PROVEN, file, "retire-cdks").code());
        Cdk retired = withStatus(file, CdkStatus.RETIRED);

        Run r = dataenc(null, file, "destroy-cdk", retired.id().toString(), "--yes-destroy-data-encrypted-under-it");

        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().startsWith("scheduled the destruction of CDK " + retired.id()), r.out());
        assertTrue(r.out().contains("(30 days)"), r.out());
        assertTrue(r.out().contains("usage counters: 0 encryptions recorded (0 property values and 0 BLOBs) under it"), r.out());
        Cdk scheduled = withStatus(file, CdkStatus.DESTRUCTION_SCHEDULED);
        assertEquals(retired.wrappings(), scheduled.wrappings(), "nothing deleted during the waiting period");
        Run list = dataenc(null, file, "destroy-cdk", "--list");
        assertTrue(list.out().contains("1 CDK(s) scheduled for destruction"), list.out());
        Run early = dataenc(null, file, "destroy-cdk", "--complete-due");
        assertEquals(0, early.code(), early.all());
        assertTrue(early.out().contains("destroyed 0 CDK(s) whose waiting period ended; 1 still waiting"), early.out());
        assertEquals(1, withStatus(file, CdkStatus.DESTRUCTION_SCHEDULED).wrappings().size());

        Run cancel = dataenc(null, file, "destroy-cdk", "--cancel", retired.id().toString());

        assertEquals(0, cancel.code(), cancel.all());
        assertTrue(cancel.out().contains("it is RETIRED again"), cancel.out());
        assertEquals(retired.wrappings(), withStatus(file, CdkStatus.RETIRED).wrappings());
        String audit = dataenc(null, file, "audit").out();
        assertTrue(audit.contains("CDK_DESTRUCTION_SCHEDULED") && audit.contains("CDK_DESTRUCTION_CANCELLED"), audit);
        assertTrue(!audit.contains("CDK_DESTROYED"), audit);
    }

    @Test
    void destroyCdk_waitingDaysOutOfRange_orNoMode_exitsTwo_changesNothing() throws IOException {
        Path file = configWithCdks();
        assertEquals(0, dataenc(PROVEN, file, "retire-cdks").code());
        Cdk retired = withStatus(file, CdkStatus.RETIRED);
        String id = retired.id().toString();

        Run tooShort = dataenc(null, file, "destroy-cdk", id, "--waiting-days", "6", "--yes-destroy-data-encrypted-under-it");
        Run tooLong = dataenc(null, file, "destroy-cdk", id, "--waiting-days", "366", "--yes-destroy-data-encrypted-under-it");
        Run both = dataenc(null, file, "destroy-cdk", id, "--cancel", id);
        Run cancelNotScheduled = dataenc(null, file, "destroy-cdk", "--cancel", id);

        assertEquals(2, tooShort.code(), tooShort.all());
        assertTrue(tooShort.err().contains("between 7 and 365"), tooShort.err());
        assertEquals(2, tooLong.code(), tooLong.all());
        assertEquals(2, both.code(), both.all());
        assertEquals(1, cancelNotScheduled.code(), cancelNotScheduled.all());
        assertTrue(cancelNotScheduled.err().contains("only a scheduled destruction can be cancelled"), cancelNotScheduled.err());
        assertEquals(CdkStatus.RETIRED, cdks(file).stream().filter(c -> c.id().equals(retired.id())).findFirst()
                .orElseThrow().status());
    }
}
