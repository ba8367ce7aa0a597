package dev.dataenc.blob.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awssdk.core.sync.RequestBody;

/**
 * A 40 MiB object read and replaced through {@link S3BlobStore} (real SDK, moto) by a child JVM whose heap is
 * 24 MiB: both directions stream (GetObject from the response, PutObject from the file with a fixed length).
 */
class S3BlobStoreLargeObjectTest {

    private static final int SIZE = 40 * 1024 * 1024;

    @TempDir
    Path dir;

    private static String fill(Path file, long seed) throws Exception {
        Random random = new Random(seed);
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        byte[] chunk = new byte[1024 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < SIZE / chunk.length; i++) {
                random.nextBytes(chunk);
                d.update(chunk);
                out.write(chunk);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    @Test
    void objectLargerThanTheHeap_readAndReplacedAsStreams() throws Exception {
        Path original = dir.resolve("original");
        Path replacement = dir.resolve("replacement");
        String originalSha = fill(original, 1);
        String replacementSha = fill(replacement, 2);
        try (S3Moto moto = S3Moto.startOrSkip()) {
            String bucket = moto.createBucket();
            moto.app().putObject(b -> b.bucket(bucket).key("big.bin"), RequestBody.fromFile(original));
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx24m", "-XX:TieredStopAtLevel=1"));
            cmd.addAll(List.of(S3Moto.credentialProperties()));
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), LargeObjectChild.class.getName(),
                    moto.endpoint(), bucket, "big.bin", replacement.toString()));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String output;
            try (InputStream in = p.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            assertEquals(0, p.exitValue(), output);
            assertEquals("DONE " + originalSha, output.strip().lines().reduce((a, b) -> b).orElse(""), output);
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            try (InputStream in = moto.app().getObject(b -> b.bucket(bucket).key("big.bin"))) {
                byte[] buf = new byte[1024 * 1024];
                for (int n; (n = in.read(buf)) > 0; ) {
                    d.update(buf, 0, n);
                }
            }
            assertEquals(replacementSha, HexFormat.of().formatHex(d.digest()), "the object is the replacement, whole");
        }
    }
}
