package dev.dataenc.cli;

import java.io.OutputStream;
import java.nio.file.Path;

/**
 * A child JVM for {@link PrivateOutputExitTest}: writes part of an output file the way {@code decrypt --out} does,
 * says {@code written} on standard output and waits to be stopped before it commits.
 */
public final class PrivateOutputExitChild {

    private PrivateOutputExitChild() {
    }

    public static void main(String[] args) throws Exception {
        PrivateOutput output = PrivateOutput.create(Path.of(args[0]));
        OutputStream stream = output.stream();
        stream.write(new byte[64 * 1024]); // "plaintext" of the segments verified so far
        stream.flush();
        System.out.println("written");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE); // stopped here by the test, before the commit
    }
}
