package dev.dataenc.migrate;

import dev.dataenc.control.ControlPlane;
import dev.dataenc.migrate.BlobFixture.Original;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** A directory tree of encrypted files (BLOBs, one binary property value) under several old CDKs. */
final class BlobDirFixture {

    static final int FILES = 9;

    private BlobDirFixture() {
    }

    static String key(int i) {
        return (i % 3 == 0 ? "" : "sub" + (i % 3) + "/") + "file-" + i + ".bin";
    }

    /** Writes {@value #FILES} files under {@code cdks} CDKs in turn, then rotates once more. Key -> original. */
    static Map<String, Original> fill(ControlPlane plane, Path root, int cdks, long seed) throws Exception {
        Random random = new Random(seed);
        Map<String, Original> originals = new LinkedHashMap<>();
        int perCdk = (FILES + cdks - 1) / cdks;
        for (int i = 0; i < FILES; i++) {
            if (i > 0 && i % perCdk == 0) {
                plane.rotateCdk("test");
            }
            Original o = BlobFixture.original(i, random);
            originals.put(key(i), o);
            Path file = root.resolve(key(i));
            Files.createDirectories(file.getParent());
            Files.write(file, BlobFixture.encrypt(plane, o));
        }
        plane.rotateCdk("test");
        plane.flushUsage();
        return originals;
    }
}
