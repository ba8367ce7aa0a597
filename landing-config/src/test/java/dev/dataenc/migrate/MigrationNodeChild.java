package dev.dataenc.migrate;

import dev.dataenc.config.RegistrySettings;
import dev.dataenc.control.ControlPlane;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * One migration process for {@link TwoProcessMigrationTest}: opens its own control plane on the
 * shared PostgreSQL registry, prints {@code READY}, waits for the file {@code go} and migrates the
 * customer table, then prints {@code BATCHES <n,n,...>} (the batches this process did).
 * Arguments: work dir, registry URL, host URL, user.
 */
public final class MigrationNodeChild {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        MigrationFixture.Databases dbs = new MigrationFixture.Databases(new RegistrySettings(args[1], args[3], ""),
                args[2], args[3]);
        try (ControlPlane plane = ControlPlane.open(MigrationFixture.config(dbs.registry(), MigrationFixture.local(dir, "a")),
                MigrationFixture.options("process-" + ProcessHandle.current().pid()));
             JdbcRecordSource source = MigrationFixture.customerSource(dbs)) {
            System.out.println("READY");
            System.out.flush();
            while (!Files.exists(dir.resolve("go"))) {
                Thread.sleep(10);
            }
            MigrationResult r = new Migration(plane).run(MigrationRequest.of(source).withBatchSize(100).withWriteChunk(50));
            System.out.println("BATCHES " + r.batchesDone().stream().map(String::valueOf).collect(Collectors.joining(",")));
        }
    }

    private MigrationNodeChild() {
    }
}
