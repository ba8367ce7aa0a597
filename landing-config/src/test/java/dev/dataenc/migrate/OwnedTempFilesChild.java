package dev.dataenc.migrate;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Child JVM of {@link OwnedTempFilesTest}: {@code lockDir fileDir count} creates that many owned temporary files
 * (prefix {@code t-}, suffix {@code .tmp}) and waits to be killed; {@code store ROOT KEY CONTENT} replaces KEY in a
 * {@link FileSystemBlobStore} and waits to be killed just before the move, leaving its temporary file; {@code clean
 * lockDir fileDir} removes stale files as another process would and prints {@code REMOVED n}.
 */
public final class OwnedTempFilesChild {

    private OwnedTempFilesChild() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("clean")) {
            OwnedTempFiles files = new OwnedTempFiles(Path.of(args[1]), "t-", ".tmp");
            System.out.println("REMOVED " + files.removeStale(Path.of(args[2])));
            return;
        }
        if (args[0].equals("store")) {
            FileSystemBlobStore store = new FileSystemBlobStore(Path.of(args[1]), OwnedTempFilesChild::crash);
            store.replace(args[2], store.get(args[2]).orElseThrow(), Path.of(args[3]));
            return;
        }
        OwnedTempFiles files = new OwnedTempFiles(Path.of(args[0]), "t-", ".tmp");
        for (int i = 0; i < Integer.parseInt(args[2]); i++) {
            Files.writeString(files.create(Path.of(args[1])), "ciphertext " + i);
        }
        crash();
    }

    private static void crash() {
        System.out.println("CRASHPOINT ready");
        System.out.flush();
        try {
            Thread.sleep(120_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
