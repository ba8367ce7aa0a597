package dev.dataenc.testing;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class in a child JVM (this test class path) and kills it with SIGKILL as soon as it
 * prints a line starting {@code CRASHPOINT }: no shutdown hooks, no clean close, as with kill -9.
 */
public final class CrashingChild {

    private CrashingChild() {
    }

    /**
     * Starts {@code mainClass} with {@code args}, waits for its crash-point line and kills it.
     *
     * @param why added to failure messages (e.g. the random seed)
     */
    public static void runAndKill(Class<?> mainClass, String why, String... args) throws Exception {
        if (!runAndMaybeKill(mainClass, why, args)) {
            fail("child never reached its crash point (" + why + ")");
        }
    }

    /**
     * As {@link #runAndKill}, but a child that finishes its work without reaching its crash point (it then
     * prints {@code NOCRASH} and exits with 3) is fine too.
     *
     * @return true if the child was killed, false if it finished
     */
    public static boolean runAndMaybeKill(Class<?> mainClass, String why, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        boolean reached = false;
        boolean finished = false;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                output.add(line);
                if (line.startsWith("CRASHPOINT ")) {
                    reached = true;
                    p.destroyForcibly(); // SIGKILL: no shutdown hooks, no clean close
                    break;
                }
                finished |= line.equals("NOCRASH");
            }
        } finally {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("child did not end (" + why + "); output:\n" + String.join("\n", output));
            }
        }
        if (reached) {
            assertNotEquals(0, p.exitValue());
            return true;
        }
        if (finished && p.exitValue() == 3) {
            return false;
        }
        fail("child failed before its crash point (" + why + "); exit " + p.exitValue() + ", output:\n"
                + String.join("\n", output));
        return false;
    }
}
