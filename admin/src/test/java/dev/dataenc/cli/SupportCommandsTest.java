package dev.dataenc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataenc.audit.AuditAction;
import dev.dataenc.audit.AuditEvent;
import dev.dataenc.cdk.Cdk;
import dev.dataenc.cdk.CdkId;
import dev.dataenc.cdk.CdkStatus;
import dev.dataenc.cli.CliFixture.Run;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.envelope.BlobFormat;
import dev.dataenc.envelope.PropertyCipher;
import dev.dataenc.testing.TinyFileSystem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The support commands end to end ({@code inspect}, {@code encrypt}, {@code decrypt}, {@code cdk list},
 * {@code completion}): real H2 file registry, real {@code local} keystores, real files.
 */
class SupportCommandsTest {

    private static final String EMAIL = "ada@example.com";
    private static final String CONTEXT = "Customer.email";

    @TempDir
    Path dir;

    private CliFixture cli() throws IOException {
        return new CliFixture(dir).withTwoCdks();
    }

    private static CdkId active(CliFixture cli) {
        return cli.withStatus(CdkStatus.ACTIVE).id();
    }

    private static List<AuditEvent> decryptAudits(CliFixture cli) {
        try (ControlPlane plane = cli.plane()) {
            return plane.audit().byAction(AuditAction.DATA_DECRYPTED);
        }
    }

    /** Writes {@code size} random bytes to {@code name} and encrypts it with the CLI into {@code name}.enc (returned). */
    private Path encryptedRandomFile(CliFixture cli, String name, int size, long seed, String context) throws IOException {
        Path plain = dir.resolve(name);
        byte[] content = new byte[size];
        new Random(seed).nextBytes(content);
        Files.write(plain, content);
        Path blob = dir.resolve(name + ".enc");
        assertEquals(0, cli.dataenc("encrypt", "--context", context, "--in", plain.toString(), "--out",
                blob.toString()).code());
        return blob;
    }

    private static void assertOneErrorLine(Run r, String startsWith) {
        assertEquals(1, r.code(), r.all());
        assertEquals("", r.out(), "nothing on standard output");
        assertTrue(r.err().startsWith("dataenc: " + startsWith), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    /** --out on a full file system (a real 64 KiB tmpfs; needs root, skipped where it cannot be mounted). */
    @Test
    void encryptAndDecrypt_toAFullFileSystem_oneErrorLine_noPartialFileLeft() throws Exception {
        CliFixture cli = cli();
        Path blob = encryptedRandomFile(cli, "scan.png", 300_000, 11, "Scan.image");
        Path plain = dir.resolve("scan.png");
        try (TinyFileSystem tiny = TinyFileSystem.mount(dir.resolve("tiny"), "64k")) {
            Path mnt = tiny.root();
            Run enc = cli.dataenc("encrypt", "--context", "Scan.image", "--in", plain.toString(), "--out",
                    mnt.resolve("again.enc").toString());
            Run dec = cli.dataenc("decrypt", "--context", "Scan.image", "--in", blob.toString(), "--out",
                    mnt.resolve("scan.png").toString());

            for (Run r : List.of(enc, dec)) {
                assertEquals(1, r.code(), r.all());
                assertEquals(1, r.err().strip().lines().count(), r.err());
                assertTrue(r.err().startsWith("dataenc: cannot write output file " + mnt) && r.err().contains(
                        "No space left on device; nothing is left there"), r.err());
            }
            try (Stream<Path> left = Files.list(mnt)) {
                assertEquals(List.of(), left.toList(), "no partial ciphertext or plaintext is left on the full disk");
            }
            Run unreadable = cli.dataenc("encrypt", "--context", "Scan.image", "--in", dir.toString(), "--out",
                    dir.resolve("dir.enc").toString()); // a directory as input: the read fails
            assertEquals(1, unreadable.code(), unreadable.all());
            assertEquals(1, unreadable.err().strip().lines().count(), unreadable.err());
            assertEquals("dataenc: " + dir + " is a directory, not a file", unreadable.err().strip());
            assertFalse(Files.exists(dir.resolve("dir.enc")), "no output file for a failed read");
        }
    }

    @Test
    void fileErrors_areOneLineNamingTheFile() {
        assertEquals("no such file: /x/in.bin", DataencCli.ioLine(new java.nio.file.NoSuchFileException("/x/in.bin")));
        assertEquals("permission denied: /x/in.bin",
                DataencCli.ioLine(new java.nio.file.AccessDeniedException("/x/in.bin")));
        assertEquals("cannot use /x/in.bin: Input/output error", DataencCli.ioLine(
                new java.nio.file.FileSystemException("/x/in.bin", null, "Input/output error")));
        assertEquals("input/output error: Stale file handle", DataencCli.ioLine(new IOException("Stale file handle")));
    }


    // ---- inspect ----

    @Test
    void inspect_textProperty_showsHeaderAndItsCdkFromTheRegistry() throws IOException {
        CliFixture cli = cli();
        Cdk old = cli.withStatus(CdkStatus.DECRYPT_ONLY);
        String text;
        try (ControlPlane plane = cli.plane()) {
            text = plane.propertyCipher().encryptString(EMAIL, CONTEXT);
        }

        Run r = cli.dataenc("inspect", text);

        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("kind:             PROPERTY value, text form"), r.out());
        assertTrue(r.out().contains("format version:   1"), r.out());
        assertTrue(r.out().contains("suite:            1 = AES-256-GCM"), r.out());
        assertTrue(r.out().contains("CDK:              " + active(cli)), r.out());
        assertTrue(r.out().contains(EMAIL.length() + " bytes of plaintext"), r.out());
        assertTrue(r.out().contains("CDK status:       ACTIVE"), r.out());
        assertTrue(r.out().contains("keystore 'a' master key 'mk-a/"), r.out());
        assertTrue(r.out().contains("nothing decrypted"), r.out());
        assertFalse(r.all().contains(EMAIL), "inspect decrypts nothing");
        assertFalse(old.id().equals(active(cli)));
    }

    @Test
    void inspectAndDecrypt_deterministicValue_recogniseItsFormat() throws IOException {
        CliFixture cli = cli();
        String text;
        try (ControlPlane plane = cli.plane()) {
            text = plane.deterministicCipher().encryptString(EMAIL, CONTEXT);
        }

        Run r = cli.dataenc("inspect", text);
        Run dec = cli.dataenc("decrypt", "--context", CONTEXT, "--print-plaintext", text);

        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("kind:             DETERMINISTIC value (searchable"), r.out());
        assertTrue(r.out().contains("text form (dataenc:d1:...)"), r.out());
        assertTrue(r.out().contains("suite:            3 = AES-SIV"), r.out());
        assertTrue(r.out().contains("CDK:              " + active(cli)), r.out());
        assertTrue(r.out().contains(EMAIL.length() + " bytes of plaintext"), r.out());
        assertFalse(r.all().contains(EMAIL), "inspect decrypts nothing");
        assertEquals(0, dec.code(), dec.all());
        assertEquals(EMAIL + System.lineSeparator(), dec.out());
    }

    @Test
    void inspect_blobFile_showsSegmentSizeAndCount_fromTheFileLength() throws IOException {
        CliFixture cli = cli();
        Path blob = encryptedRandomFile(cli, "invoice.pdf", 200_000, 7, "Invoice.pdf");

        Run at = cli.dataenc("inspect", "@" + blob);
        Run file = cli.dataenc("inspect", "--file", blob.toString());

        assertEquals(0, at.code(), at.all());
        assertEquals(at.out(), file.out(), "@file and --file read the same");
        // 200000 = 3 x 65536 + 3392: four segments
        assertTrue(at.out().contains("kind:             BLOB (streaming, segmented), binary"), at.out());
        assertTrue(at.out().contains("suite:            2 = AES-256-GCM segmented"), at.out());
        assertTrue(at.out().contains("segments:         4 of up to 65536 plaintext bytes"), at.out());
        assertTrue(at.out().contains((62 + 200_000 + 4 * 16) + " bytes of ciphertext, 200000 bytes of plaintext"),
                at.out());
        assertTrue(at.out().contains("CDK:              " + active(cli)), at.out());
        assertTrue(at.out().contains("CDK status:       ACTIVE"), at.out());
        assertTrue(at.out().contains("0 property values, 1 BLOBs encrypted under it"), "the CLI's encryption was"
                + " counted: " + at.out());
    }

    @Test
    void inspect_binaryPropertyFile_andTextOnStdin() throws IOException {
        CliFixture cli = cli();
        Cdk old = cli.withStatus(CdkStatus.DECRYPT_ONLY);
        byte[] binary;
        String text;
        try (ControlPlane plane = cli.plane()) {
            binary = plane.propertyCipher().encrypt(new byte[100], "Doc.bytes");
            text = plane.propertyCipher().encryptString(EMAIL, CONTEXT);
        }
        Path file = dir.resolve("value.bin");
        Files.write(file, binary);

        Run bin = cli.dataenc("inspect", "@" + file);
        Run stdin = cli.dataencWithStdin(text + "\n", "inspect", "-");

        assertEquals(0, bin.code(), bin.all());
        assertTrue(bin.out().contains("kind:             PROPERTY value, binary"), bin.out());
        assertTrue(bin.out().contains("147 bytes of ciphertext, 100 bytes of plaintext"), bin.out());
        assertEquals(0, stdin.code(), stdin.all());
        assertTrue(stdin.out().contains("text form"), stdin.out());
        assertFalse(stdin.out().contains(old.id().toString()));
    }

    @Test
    void inspect_foreignTamperedOrTruncatedInput_failsWithOneTypedLine_exitOne() throws IOException {
        CliFixture cli = cli();
        String text;
        Path blob = dir.resolve("b.enc");
        Path plain = dir.resolve("b.txt");
        Files.writeString(plain, "x".repeat(70_000));
        assertEquals(0, cli.dataenc("encrypt", "--context", "B", "--in", plain.toString(), "--out", blob.toString())
                .code());
        try (ControlPlane plane = cli.plane()) {
            text = plane.propertyCipher().encryptString(EMAIL, CONTEXT);
        }
        byte[] binary = Base64.getUrlDecoder().decode(text.substring(PropertyCipher.TEXT_PREFIX.length()));
        binary[1] = 0x05; // the format version byte
        String tamperedHeader = PropertyCipher.TEXT_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(binary);
        Path foreign = dir.resolve("report.pdf");
        Files.writeString(foreign, "%PDF-1.7 not encrypted");
        Path truncated = dir.resolve("truncated.enc");
        byte[] whole = Files.readAllBytes(blob);
        Files.write(truncated, Arrays.copyOf(whole, whole.length - (70_000 - 65_536) - 10)); // 6 bytes of the last tag

        assertOneErrorLine(cli.dataenc("inspect", "my secret value"), "not a dataenc text ciphertext");
        assertFalse(cli.dataenc("inspect", "my secret value").all().contains("secret"), "input is never echoed");
        assertOneErrorLine(cli.dataenc("inspect", tamperedHeader), "unsupported dataenc property format version 0x05");
        assertOneErrorLine(cli.dataenc("inspect", "dataenc:v1:not base64!"), "dataenc text ciphertext is damaged");
        int payload = text.length() - PropertyCipher.TEXT_PREFIX.length();
        Run cut = cli.dataenc("inspect", text.substring(0, text.length() - (payload % 4 + 3) % 4)); // 4n+1 characters
        assertOneErrorLine(cut, "dataenc text ciphertext is damaged");
        assertTrue(cut.err().contains("the value was probably truncated"), "a cut value says it may be cut: " + cut.err());
        assertOneErrorLine(cli.dataenc("inspect", "@" + foreign), "not a dataenc ciphertext: first byte is 0x25");
        assertOneErrorLine(cli.dataenc("inspect", "@" + truncated), "dataenc BLOB of CDK " + active(cli)
                + " is truncated");
        assertOneErrorLine(cli.dataenc("inspect", "--file", dir.resolve("missing").toString()), "no such file");
        assertOneErrorLine(cli.dataenc("inspect", "--json", "@" + foreign), "not a dataenc ciphertext");
        assertEquals(2, cli.dataenc("inspect").code(), "no input is bad usage");
    }

    @Test
    void inspect_registryUnreachable_stillDescribesTheHeader_warnsOnStderr() throws IOException {
        CliFixture cli = cli();
        String text;
        try (ControlPlane plane = cli.plane()) {
            text = plane.propertyCipher().encryptString(EMAIL, CONTEXT);
        }
        Files.delete(cli.config());

        Run r = cli.dataenc("inspect", text);

        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("CDK:              " + PropertyCipher.cdkIdOf(text)), r.out());
        assertTrue(r.out().contains("registry:         not consulted"), r.out());
        assertTrue(r.err().startsWith("dataenc: warning: the registry was not consulted"), r.err());
    }

    // ---- encrypt / decrypt ----

    @Test
    void encryptThenDecrypt_value_roundTripsThroughTheCli_andCountsTheEncryption() throws IOException {
        CliFixture cli = cli();
        CdkId active = active(cli);

        Run enc = cli.dataenc("encrypt", "--context", CONTEXT, EMAIL);
        String text = enc.out().strip();
        Run dec = cli.dataenc("decrypt", "--context", CONTEXT, "--print-plaintext", text);

        assertEquals(0, enc.code(), enc.all());
        assertTrue(text.startsWith("dataenc:v1:"), text);
        assertEquals(1, enc.out().lines().count(), "only the text form on standard output");
        assertEquals(active, PropertyCipher.cdkIdOf(text));
        assertEquals(0, dec.code(), dec.all());
        assertEquals(EMAIL + System.lineSeparator(), dec.out(), "only the plaintext on standard output");
        assertTrue(dec.err().contains("decrypted PROPERTY value (15 bytes) under CDK " + active), dec.err());
        try (ControlPlane plane = cli.plane()) {
            assertEquals(EMAIL, plane.propertyCipher().decryptString(text, CONTEXT));
            assertEquals(1, plane.usage().all().get(active).propertyValues(), "the CLI flushed its count on close");
            assertEquals(CdkStatus.ACTIVE, plane.registry().find(active).orElseThrow().status(), "nothing rotated");
        }
    }

    @Test
    void encrypt_fromStdin_dropsTheTrailingLineBreak() throws IOException {
        CliFixture cli = cli();

        Run enc = cli.dataencWithStdin(EMAIL + "\n", "encrypt", "--context", CONTEXT);

        assertEquals(0, enc.code(), enc.all());
        try (ControlPlane plane = cli.plane()) {
            assertEquals(EMAIL, plane.propertyCipher().decryptString(enc.out().strip(), CONTEXT));
        }
    }

    @Test
    void decrypt_withoutTheFlag_printsNoPlaintext_writesA0600File_andIsAuditedWithoutPlaintext() throws IOException {
        CliFixture cli = cli();
        String text = cli.dataenc("encrypt", "--context", CONTEXT, EMAIL).out().strip();
        Path out = dir.resolve("plain.txt");

        Run toFile = cli.dataenc("decrypt", "--context", CONTEXT, "--out", out.toString(), text);
        Run checkOnly = cli.dataencWithStdin(text + "\n", "decrypt", "--context", CONTEXT);

        assertEquals(0, toFile.code(), toFile.all());
        assertFalse(toFile.all().contains(EMAIL), toFile.all());
        assertEquals(EMAIL, Files.readString(out));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
        assertEquals(0, checkOnly.code(), checkOnly.all());
        assertFalse(checkOnly.all().contains(EMAIL), checkOnly.all());
        assertTrue(checkOnly.out().contains("plaintext to nowhere (only checked that it decrypts)"), checkOnly.out());
        List<AuditEvent> audits = decryptAudits(cli);
        assertEquals(2, audits.size(), audits.toString());
        for (AuditEvent e : audits) {
            assertEquals(PropertyCipher.cdkIdOf(text), e.cdkId());
            assertTrue(e.actor().endsWith("(dataenc-cli)"), e.actor());
            assertTrue(e.detail().contains("under context '" + CONTEXT + "'"), e.detail());
            assertFalse(e.detail().contains(EMAIL), "never the plaintext: " + e.detail());
        }
        assertTrue(audits.get(0).detail().contains("from argument") && audits.get(0).detail().contains(out.toString()),
                audits.get(0).detail());
        assertTrue(audits.get(1).detail().contains("from standard input"), audits.get(1).detail());
        assertTrue(cli.dataenc("audit").out().contains("DATA_DECRYPTED"));
    }

    @Test
    void decrypt_wrongContext_exitsOne_releasesNothing_auditsNothing() throws IOException {
        CliFixture cli = cli();
        String text = cli.dataenc("encrypt", "--context", CONTEXT, EMAIL).out().strip();
        Path out = dir.resolve("plain.txt");

        Run r = cli.dataenc("decrypt", "--context", "Customer.phone", "--out", out.toString(), "--print-plaintext", text);

        assertOneErrorLine(r, "dataenc property ciphertext of CDK");
        assertFalse(Files.exists(out), "the reserved output file is removed");
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".partial")));
        }
        assertTrue(decryptAudits(cli).isEmpty());
    }

    /** A BLOB wrapped in a text prefix (found by fuzzing): before, {@code decrypt} took the BLOB path and threw a NullPointerException. */
    @Test
    void decrypt_blobUnderATextPrefix_isMalformed_oneLine() throws IOException {
        CliFixture cli = cli();
        byte[] blob = java.util.HexFormat.of().parseHex("de0102" + "00".repeat(16) + "00001000" + "00".repeat(39) + "00".repeat(16));
        String text = "dataenc:v1:" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(blob);

        Run dec = cli.dataenc("decrypt", "--context", CONTEXT, "--print-plaintext", text);

        assertEquals(1, dec.code(), dec.all());
        assertEquals("", dec.out());
        assertTrue(dec.err().startsWith("dataenc: ") && dec.err().contains("has no text form"), dec.err());
        assertEquals(1, dec.err().strip().lines().count(), dec.err());
    }

    @Test
    void outDash_isAUsageError_noFileNamedDash() throws IOException {
        CliFixture cli = cli();
        String text = cli.dataenc("encrypt", "--context", CONTEXT, EMAIL).out().strip();
        Path dash = Path.of("-").toAbsolutePath(); // where the old code created it: the working directory
        try {
            Run dec = cli.dataenc("decrypt", "--context", CONTEXT, "--out", "-", text);
            assertEquals(2, dec.code(), dec.all());
            assertTrue(dec.err().startsWith("dataenc: --out - would create a file named '-'"), dec.err());
            assertTrue(dec.err().contains("--print-plaintext"), dec.err());
            assertEquals(1, dec.err().strip().lines().count(), dec.err());
            Path plain = Files.write(dir.resolve("p.bin"), new byte[10]);
            Run enc = cli.dataenc("encrypt", "--context", CONTEXT, "--in", plain.toString(), "--out", "-");
            assertEquals(2, enc.code(), enc.all());
            assertTrue(Files.notExists(dash), "no file named '-' was created");
        } finally {
            Files.deleteIfExists(dash);
        }
    }

    @Test
    void decrypt_contextWithALineBreak_summaryStaysOneLine() throws IOException {
        CliFixture cli = cli();
        String context = "Customer.email\nforged: line";
        String text = cli.dataenc("encrypt", "--context", context, EMAIL).out().strip();
        Run dec = cli.dataenc("decrypt", "--context", context, text);
        assertEquals(0, dec.code(), dec.all());
        assertEquals(1, dec.out().strip().lines().count(), "one summary line: " + dec.out());
        assertTrue(dec.out().contains("context 'Customer.email\\nforged: line'"), dec.out());
    }

    @Test
    void encryptAndDecrypt_withoutContext_areBadUsage_exitTwo() throws IOException {
        CliFixture cli = cli();

        Run enc = cli.dataenc("encrypt", EMAIL);
        Run dec = cli.dataenc("decrypt", "--print-plaintext", "dataenc:v1:AAAA");

        assertEquals(2, enc.code(), enc.all());
        assertTrue(enc.err().contains("--context"), enc.err());
        assertEquals("", enc.out());
        assertEquals(2, dec.code(), dec.all());
        assertTrue(dec.err().contains("--context"), dec.err());
        try (ControlPlane plane = cli.plane()) {
            assertTrue(plane.usage().all().isEmpty(), "nothing was encrypted: " + plane.usage().all());
        }
    }

    @Test
    void encryptThenDecrypt_file_roundTripsAsABlob_neverOverwrites() throws IOException {
        CliFixture cli = cli();
        byte[] content = new byte[150_000];
        new Random(3).nextBytes(content);
        Path plain = dir.resolve("scan.tiff");
        Files.write(plain, content);
        Path blob = dir.resolve("scan.tiff.enc");
        Path back = dir.resolve("scan-back.tiff");

        Run enc = cli.dataenc("encrypt", "--context", "Scan.image", "--in", plain.toString(), "--out", blob.toString());
        Run dec = cli.dataenc("decrypt", "--context", "Scan.image", "--in", blob.toString(), "--out", back.toString());
        byte[] blobBefore = Files.readAllBytes(blob);
        Run again = cli.dataenc("encrypt", "--context", "Scan.image", "--in", plain.toString(), "--out", blob.toString());

        assertEquals(0, enc.code(), enc.all());
        assertTrue(enc.out().contains("BLOB under CDK " + active(cli) + ", 3 segment(s) of 65536 bytes"), enc.out());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(blob)));
        assertEquals(BlobFormat.MAGIC, Files.readAllBytes(blob)[0]);
        assertEquals(0, dec.code(), dec.all());
        assertArrayEquals(content, Files.readAllBytes(back));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(back)));
        assertEquals(1, decryptAudits(cli).size());
        assertTrue(decryptAudits(cli).get(0).detail().startsWith("BLOB (150000 bytes) from file " + blob), decryptAudits(cli).get(0).detail());
        assertOneErrorLine(again, "output file " + blob + " exists");
        assertArrayEquals(blobBefore, Files.readAllBytes(blob), "the existing file is untouched");
        assertEquals(2, cli.dataenc("decrypt", "--context", "Scan.image", "--in", blob.toString(), "--print-plaintext")
                .code(), "a file's plaintext goes to --out only");
        try (ControlPlane plane = cli.plane()) {
            assertEquals(1, plane.usage().all().get(active(cli)).blobs(), "one BLOB encryption counted");
        }
    }

    @Test
    void decrypt_tamperedBlob_exitsOne_leavesNoOutput_auditsNothing() throws IOException {
        CliFixture cli = cli();
        Path plain = dir.resolve("p.bin");
        Files.write(plain, new byte[100_000]);
        Path blob = dir.resolve("p.enc");
        assertEquals(0, cli.dataenc("encrypt", "--context", "P", "--in", plain.toString(), "--out", blob.toString())
                .code());
        byte[] ct = Files.readAllBytes(blob);
        ct[ct.length - 100] ^= 1;
        Files.write(blob, ct);
        Path out = dir.resolve("p.out");

        Run r = cli.dataenc("decrypt", "--context", "P", "--in", blob.toString(), "--out", out.toString());

        assertEquals(1, r.code(), r.all());
        assertTrue(r.err().startsWith("dataenc: "), r.err());
        assertFalse(Files.exists(out), "no plaintext file, not even the segments before the damage");
        assertTrue(decryptAudits(cli).isEmpty());
    }

    // ---- cdk list ----

    @Test
    void cdkList_listsEveryCdk_andFiltersByStatus() throws IOException {
        CliFixture cli = cli();
        Cdk old = cli.withStatus(CdkStatus.DECRYPT_ONLY);
        Cdk act = cli.withStatus(CdkStatus.ACTIVE);

        Run all = cli.dataenc("cdk", "list");
        Run decryptOnly = cli.dataenc("cdk", "list", "--status", "decrypt_only");
        Run both = cli.dataenc("cdk", "list", "--status", "ACTIVE,DECRYPT_ONLY");
        Run retired = cli.dataenc("cdk", "list", "--status", "RETIRED");
        Run bad = cli.dataenc("cdk", "list", "--status", "OLD");

        assertEquals(0, all.code(), all.all());
        assertTrue(all.out().startsWith("2 CDKs, oldest first:"), all.out());
        assertTrue(all.out().indexOf(old.id().toString()) < all.out().indexOf(act.id().toString()), "oldest first");
        assertTrue(all.out().contains(old.id() + "  DECRYPT_ONLY"), all.out());
        assertTrue(all.out().contains("DECRYPT_ONLY since " + old.decryptOnlySince()), all.out());
        assertTrue(all.out().contains("wrapped by 'a' (master key mk-a"), all.out());
        assertTrue(decryptOnly.out().startsWith("1 CDK with status DECRYPT_ONLY"), decryptOnly.out());
        assertTrue(decryptOnly.out().contains(old.id().toString()));
        assertFalse(decryptOnly.out().contains(act.id().toString()));
        assertTrue(both.out().startsWith("2 CDKs with status ACTIVE or DECRYPT_ONLY"), both.out());
        assertEquals("0 CDKs with status RETIRED", retired.out().strip());
        assertEquals(2, bad.code(), bad.all());
        assertTrue(bad.err().contains("--status 'OLD' is not a CDK status"), bad.err());
        assertEquals(2, cli.dataenc("cdk").code(), "a subcommand is needed");
    }

    // ---- completion ----

    @Test
    void completionBash_printsAScriptCoveringTheCommandsAndOptions() throws IOException {
        CliFixture cli = new CliFixture(dir);

        Run r = cli.dataenc("completion", "bash");

        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("complete -F"), "a bash completion function is registered");
        for (String word : new String[] {"inspect", "decrypt", "encrypt", "--print-plaintext", "--context", "cdk",
            "list", "--json", "status", "migrate"}) {
            assertTrue(r.out().contains(word), word);
        }
        assertEquals(2, cli.dataenc("completion", "fish").code());
    }
}
