package dev.dataenc.pkcs11.testing;

import dev.dataenc.keystore.KeystoreSettings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * SoftHSM2 (Debian package {@code softhsm2}, installed by {@code .ci/run}) with test tokens in a directory of its
 * own. SoftHSM2 reads its configuration and scans its token directory once per process, at the first
 * {@code C_Initialize}; so the surefire configuration sets {@code SOFTHSM2_CONF} (a file under {@code target/})
 * for the test JVM, and {@link #get()} writes that file and initialises all of {@link #TOKENS} (with
 * {@code softhsm2-util --init-token}) before any test opens a provider.
 *
 * <p>Without the softhsm2 library or tool a test fails when the environment variable {@code CI} is {@code true}
 * and is skipped (JUnit assumption, with the reason) otherwise.
 */
public final class SoftHsm {

    /** Environment variable holding the user PIN of every test token (set by surefire). */
    public static final String PIN_ENV = "DATAENC_TEST_PKCS11_PIN";
    /** The token most tests use. */
    public static final String MAIN = "dataenc-main";
    /** A token only the wrong-PIN test logs in to (so the token itself checks the PIN). */
    public static final String FRESH = "dataenc-fresh";
    /** Every token initialised. */
    public static final List<String> TOKENS = List.of(MAIN, FRESH);

    private static final List<Path> LIBRARIES = List.of(Path.of("/usr/lib/softhsm/libsofthsm2.so"),
            Path.of("/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"),
            Path.of("/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so"),
            Path.of("/usr/local/lib/softhsm/libsofthsm2.so"));
    private static SoftHsm instance;

    private final Path library;
    private final Map<String, Long> slots;

    private SoftHsm(Path library, Map<String, Long> slots) {
        this.library = library;
        this.slots = slots;
    }

    /** The initialised SoftHSM2 of this JVM (skips or fails the test if it is not installed, see above). */
    public static synchronized SoftHsm get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    private static SoftHsm start() {
        Optional<Path> library = LIBRARIES.stream().filter(Files::isRegularFile).findFirst();
        if (library.isEmpty() || !onPath("softhsm2-util")) {
            String why = "SoftHSM2 is not installed (no libsofthsm2.so in " + LIBRARIES + " or no softhsm2-util on PATH);"
                    + " install it with `apt-get install softhsm2` (.ci/run does)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(why + "; CI=true, so the tests against SoftHSM2 must run");
            }
            Assumptions.abort(why + "; skipped because CI is not true");
        }
        String conf = System.getenv("SOFTHSM2_CONF");
        String pin = System.getenv(PIN_ENV);
        if (conf == null || pin == null) {
            Assertions.fail("SOFTHSM2_CONF and " + PIN_ENV + " must be set for the test JVM (the module's surefire"
                    + " configuration sets them); run the tests through Maven");
        }
        try {
            Path confFile = Path.of(conf);
            Path tokens = confFile.resolveSibling("tokens");
            deleteTree(tokens);
            Files.createDirectories(tokens);
            Files.writeString(confFile, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\n"
                    + "log.level = ERROR\nslots.removable = false\n", StandardCharsets.UTF_8);
            for (String label : TOKENS) {
                run("softhsm2-util", "--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", "so-" + pin);
            }
            return new SoftHsm(library.get(), parseSlots(run("softhsm2-util", "--show-slots")));
        } catch (IOException e) {
            throw new IllegalStateException("cannot set up SoftHSM2 under " + conf + ": " + e, e);
        }
    }

    /** The PKCS#11 module. */
    public Path library() {
        return library;
    }

    /** The slot id SoftHSM2 gave the token labelled {@code label}. */
    public long slot(String label) {
        Long slot = slots.get(label);
        if (slot == null) {
            throw new IllegalArgumentException("no SoftHSM2 test token '" + label + "'; tokens: " + slots.keySet());
        }
        return slot;
    }

    /** Settings of a pkcs11 keystore {@code name} on token {@code tokenLabel}, key {@code keyLabel}, plus {@code extra}. */
    public KeystoreSettings settings(String name, String tokenLabel, String keyLabel, Map<String, String> extra) {
        Map<String, String> s = new HashMap<>();
        s.put("library", library.toString());
        s.put("token-label", tokenLabel);
        s.put("key-label", keyLabel);
        s.put("pin-env", PIN_ENV);
        s.putAll(extra);
        s.values().removeIf(v -> v == null || v.isEmpty());
        return KeystoreSettings.of(name, "pkcs11", s);
    }

    static Map<String, Long> parseSlots(String showSlots) {
        Map<String, Long> slots = new HashMap<>();
        Matcher m = Pattern.compile("(?m)^Slot (\\d+)$|^\\s+Label:\\s+(\\S.*?)\\s*$").matcher(showSlots);
        Long slot = null;
        while (m.find()) {
            if (m.group(1) != null) {
                slot = Long.parseLong(m.group(1));
            } else if (slot != null) {
                slots.putIfAbsent(m.group(2), slot);
            }
        }
        return slots;
    }

    private static String run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(command[0] + " " + command[1] + " failed: " + out.replaceAll("--pin \\S+", ""));
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static boolean onPath(String tool) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, tool)));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
