package dev.dataenc.migrate;

import dev.dataenc.control.ControlPlane;
import dev.dataenc.control.keyswitch.CrashPoint;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Child JVM for {@link BlobMigrationTest}: runs (or resumes) the migration of the {@code doc} table's binary column
 * in {@code dir}; when crash point {@code name:n} is reached for the n-th time it prints {@code CRASHPOINT name n}
 * and waits to be killed (SIGKILL) by the parent.
 */
public final class BlobMigrationCrashChild {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String[] spec = args[1].split(":");
        AtomicInteger seen = new AtomicInteger();
        CrashPoint crash = name -> {
            if (name.equals(spec[0]) && seen.incrementAndGet() == Integer.parseInt(spec[1])) {
                System.out.println("CRASHPOINT " + name + " " + spec[1]);
                System.out.flush();
                try {
                    Thread.sleep(600_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                Runtime.getRuntime().halt(99);
            }
        };
        MigrationFixture.Databases dbs = MigrationFixture.h2(dir);
        try (ControlPlane plane = MigrationFixture.open(dir, dbs, "child");
             JdbcRecordSource source = BlobFixture.source(dbs, "doc")) {
            new Migration(plane, Migration.Options.defaults().withCrash(crash)).run(BlobMigrationTest.request(source));
        }
        System.out.println("NOCRASH");
        System.exit(3);
    }

    private BlobMigrationCrashChild() {
    }
}
