package dev.dataenc.it.blob;

import dev.dataenc.cli.DataencCli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Child JVM for {@link MixedSourcesCrashTest}: runs {@code dataenc migrate} (the real CLI) for the four sources in
 * turn, from the first one the progress file does not list as done (a killed run is run again: it resumes), adding
 * each finished one to that file. When source {@code killSource} starts, a timer prints {@code CRASHPOINT} after {@code delayMillis}, and the
 * parent then kills this JVM with SIGKILL, wherever it is by then. Prints {@code NOCRASH} and exits 3 when every run
 * finished first; exits 10+i when run i fails.
 *
 * <p>Arguments: config, bucket, S3 endpoint, blob directory, progress file, killSource (-1: none), delayMillis.
 */
public final class MixedMigrateChild {

    static final String NOTE = "Doc.note";
    static final String BODY = "Doc.body";
    static final String FILE = "File.body";
    static final String OBJECT = "Object.body";
    static final String PREFIX = "att/";

    /** The four {@code dataenc migrate} command lines (small batches, so a kill lands between checkpoints). */
    static List<String[]> runs(String config, String bucket, String endpoint, String blobDir) {
        return List.of(
                new String[] {"migrate", "--config", config, "--table", "doc", "--key", "id", "--column", "note:" + NOTE,
                    "--batch-size", "4"},
                new String[] {"migrate", "--config", config, "--table", "doc", "--key", "id", "--column", "body:" + BODY,
                    "--batch-size", "4"},
                new String[] {"migrate", "--config", config, "--blob-dir", blobDir, "--context", FILE, "--batch-size", "3"},
                new String[] {"migrate", "--config", config, "--s3-bucket", bucket, "--s3-prefix", PREFIX,
                    "--s3-region", "us-east-1", "--s3-endpoint", endpoint, "--context", OBJECT, "--batch-size", "3"});
    }

    public static void main(String[] args) throws Exception {
        // the S3 store takes credentials from the SDK default chain; any suit moto
        System.setProperty("aws.accessKeyId", "AKIDMOTO");
        System.setProperty("aws.secretAccessKey", "moto-secret");
        List<String[]> runs = runs(args[0], args[1], args[2], args[3]);
        Path progress = Path.of(args[4]);
        int killSource = Integer.parseInt(args[5]);
        long delay = Long.parseLong(args[6]);
        for (int i = done(progress); i < runs.size(); i++) {
            System.out.println("RUN " + i);
            if (i == killSource) {
                int source = i;
                Thread timer = new Thread(() -> {
                    try {
                        Thread.sleep(delay);
                    } catch (InterruptedException e) {
                        return;
                    }
                    System.out.println("CRASHPOINT source " + source + " +" + delay + " ms");
                    System.out.flush();
                }, "kill-timer");
                timer.setDaemon(true);
                timer.start();
            }
            long start = System.nanoTime();
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = DataencCli.run(new PrintWriter(out, true), new PrintWriter(err, true), runs.get(i));
            if (code != 0) {
                System.out.println("run " + i + " exited " + code + ":\n" + out + err);
                System.out.flush();
                System.exit(10 + i);
            }
            Files.writeString(Path.of(progress + ".log"), "run " + i + ": " + (System.nanoTime() - start) / 1_000_000
                    + " ms\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            Files.writeString(progress, (i + 1) + "\n", StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.SYNC);
        }
        System.out.println("NOCRASH");
        System.out.flush();
        System.exit(3);
    }

    /** How many runs are done according to {@code progress} (0 without the file). */
    static int done(Path progress) throws java.io.IOException {
        return Files.exists(progress) ? Integer.parseInt(Files.readString(progress).strip()) : 0;
    }

    private MixedMigrateChild() {
    }
}
