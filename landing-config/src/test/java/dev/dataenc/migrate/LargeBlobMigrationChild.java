package dev.dataenc.migrate;

import dev.dataenc.config.RegistrySettings;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.migrate.MigrationFixture.Databases;

import java.nio.file.Path;

/**
 * Child JVM for {@link LargeBlobMigrationTest} (started with a small heap): migrates the {@code doc} table and
 * prints {@code MIGRATED n}; exits 0 when exactly one value was re-encrypted.
 *
 * <pre>LargeBlobMigrationChild dir registryUrl hostUrl user</pre>
 */
public final class LargeBlobMigrationChild {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Databases dbs = new Databases(new RegistrySettings(args[1], args[3], ""), args[2], args[3]);
        System.out.println("max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
        ValueCounts n;
        try (ControlPlane plane = MigrationFixture.open(dir, dbs, "child");
             JdbcRecordSource source = BlobFixture.source(dbs, "doc")) {
            n = new Migration(plane).run(MigrationRequest.of(source)).job().counts();
        }
        System.out.println("MIGRATED " + n.migrated() + " " + n);
        System.exit(n.migrated() == 1 && n.records() == 1 ? 0 : 2);
    }

    private LargeBlobMigrationChild() {
    }
}
