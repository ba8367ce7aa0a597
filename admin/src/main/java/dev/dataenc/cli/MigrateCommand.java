package dev.dataenc.cli;

import dev.dataenc.config.DataEncConfig;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.migrate.BlobStore;
import dev.dataenc.migrate.BlobStoreProvider;
import dev.dataenc.migrate.BlobStoreRecordSource;
import dev.dataenc.migrate.FileSystemBlobStore;
import dev.dataenc.migrate.Migration;
import dev.dataenc.migrate.MigrationJob;
import dev.dataenc.migrate.MigrationMode;
import dev.dataenc.migrate.MigrationPlan;
import dev.dataenc.migrate.MigrationRequest;
import dev.dataenc.migrate.MigrationResult;
import dev.dataenc.migrate.RecordSource;
import dev.dataenc.report.MigrationPlanDocument;
import dev.dataenc.report.MigrationRunDocument;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code dataenc migrate}: re-encrypts the values of one table's columns (or the files under {@code --blob-dir},
 * or the objects of {@code --s3-bucket}, through module blob-store-s3) under the ACTIVE CDK (or,
 * with {@code --encrypt-plaintext}, also encrypts plaintext values), in checkpointed batches, with a
 * progress bar. Killed or failed, the same command resumes the unfinished job; run on several nodes
 * against one PostgreSQL registry, they share its batches. {@code --dry-run} counts the values per
 * CDK and changes nothing. Values are never printed, only counts and CDK ids.
 */
@Command(name = "migrate", mixinStandardHelpOptions = true, sortOptions = false,
        subcommands = MigrateForgetCommand.class,
        description = {"Re-encrypt a table's encrypted columns under the ACTIVE CDK, in resumable batches.",
                "Run the same command again to resume after a crash; on several nodes at once they share the work.",
                "Afterwards 'dataenc retire-cdks' retires the CDKs no record references any more.",
                "Exit 1 when values are left unreadable or unmigrated (the summary says what and how to fix)."})
final class MigrateCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @ParentCommand
    private DataencCli root;

    @Mixin
    private ConfigOption config;

    @Mixin
    private JsonOption json;

    @Option(names = "--table", paramLabel = "<table>",
            description = "The host table, optionally schema.table (required).")
    private String table;

    @Option(names = "--key", paramLabel = "<column>",
            description = "Its key column: NOT NULL and unique (integer, text or UUID) (required).")
    private String key;

    @Option(names = "--column", paramLabel = "<column:context>",
            description = "A column holding ciphertexts (text, or binary: bytea/BLOB/VARBINARY with binary property"
                    + " values or BLOBs, detected from its type) and the exact encryption context the application uses"
                    + " for it (required, no default). Repeatable.")
    private List<String> columns;

    @Option(names = "--blob-dir", paramLabel = "<dir>",
            description = "Instead of a table: a directory tree of encrypted files (BLOBs), each replaced atomically"
                    + " (temp file + atomic move); needs --context.")
    private Path blobDir;

    @Option(names = "--s3-bucket", paramLabel = "<bucket>",
            description = "Instead of a table: the objects (BLOBs) of an S3 bucket, each replaced by a conditional"
                    + " PutObject (If-Match on its ETag); needs --context and module blob-store-s3.")
    private String s3Bucket;

    @Option(names = "--s3-prefix", paramLabel = "<prefix>", description = "With --s3-bucket: only the keys under this prefix.")
    private String s3Prefix;

    @Option(names = "--s3-region", paramLabel = "<region>",
            description = "With --s3-bucket: the bucket's region (default: the AWS SDK's region chain).")
    private String s3Region;

    @Option(names = "--s3-endpoint", paramLabel = "<url>",
            description = "With --s3-bucket: an S3-compatible endpoint (path-style; http only on loopback).")
    private String s3Endpoint;

    @Option(names = "--context", paramLabel = "<context>",
            description = "With --blob-dir or --s3-bucket: the exact context the application encrypts the BLOBs under"
                    + " (required).")
    private String context;

    @Option(names = "--from-context", paramLabel = "<old-context>",
            description = "Re-bind values encrypted under a wrong context: a value that does not decrypt with the"
                    + " column's context is decrypted with this one and re-encrypted with the column's (one --column).")
    private String fromContext;

    @Option(names = "--db-url", paramLabel = "<jdbc-url>",
            description = "The host database holding the table (default: the CDK registry's database from the"
                    + " configuration, with its user and password).")
    private String dbUrl;

    @Option(names = "--db-user", paramLabel = "<user>", description = "Host database user (with --db-url).")
    private String dbUser;

    @Option(names = "--db-password-env", paramLabel = "<VAR>",
            description = "Environment variable holding the host database password (with --db-url).")
    private String dbPasswordEnv;

    @Option(names = "--dry-run", description = "Count the values under each CDK and what a run would write; change nothing.")
    private boolean dryRun;

    @Option(names = "--encrypt-plaintext",
            description = "Also encrypt plaintext values (turn encryption on for a column); by default they are"
                    + " counted and left alone.")
    private boolean encryptPlaintext;

    @Option(names = "--batch-size", paramLabel = "<n>", defaultValue = "" + MigrationRequest.DEFAULT_BATCH_SIZE,
            description = "Keys per checkpointed batch for a new job (default ${DEFAULT-VALUE}); a resumed job keeps its own.")
    private int batchSize;

    @Override
    public Integer call() {
        if (s3Bucket == null && (s3Prefix != null || s3Region != null || s3Endpoint != null)) {
            throw new ParameterException(spec.commandLine(), "--s3-prefix, --s3-region and --s3-endpoint go with"
                    + " --s3-bucket <bucket>");
        }
        boolean blobs = blobDir != null || s3Bucket != null;
        String option = blobDir != null ? "--blob-dir" : "--s3-bucket";
        if (blobDir != null && s3Bucket != null) {
            throw new ParameterException(spec.commandLine(), "give --blob-dir or --s3-bucket, not both: one source per run");
        }
        if (blobs) {
            if (table != null || key != null || columns != null || dbUrl != null) {
                throw new ParameterException(spec.commandLine(), option + " migrates " + (blobDir != null
                        ? "a directory of files" : "the objects of a bucket") + ": give it with --context, without"
                        + " --table, --key, --column or --db-url");
            }
            if (context == null || context.isEmpty()) {
                throw new ParameterException(spec.commandLine(), option + " needs --context <context>: the exact"
                        + " context the application encrypts the " + (blobDir != null ? "files" : "objects")
                        + " under; there is no default");
            }
            columns = List.of("blob:" + context);
        } else if (context != null) {
            throw new ParameterException(spec.commandLine(), "--context goes with --blob-dir or --s3-bucket; for a"
                    + " table give each column's context with --column <column>:<context>");
        }
        if (!blobs && (table == null || key == null || columns == null || columns.isEmpty())) {
            throw new ParameterException(spec.commandLine(), "missing required option(s): "
                    + (table == null ? "--table " : "") + (key == null ? "--key " : "")
                    + (columns == null || columns.isEmpty() ? "--column" : "").strip());
        }
        for (String column : columns) {
            int colon = column.indexOf(':');
            if (colon <= 0 || colon == column.length() - 1) {
                throw new ParameterException(spec.commandLine(), "--column " + column + ": write <column>:<context> with"
                        + " the exact context the application encrypts the column under (e.g. --column email:Customer.email);"
                        + " there is no default, since a wrong context makes the values unreadable to the application");
            }
        }
        if (fromContext != null && (fromContext.isBlank() || columns.size() != 1)) {
            throw new ParameterException(spec.commandLine(), fromContext.isBlank() ? "--from-context needs the old context"
                    : "--from-context re-binds one column at a time; give exactly one --column");
        }
        if (batchSize < 1) {
            throw new ParameterException(spec.commandLine(), "--batch-size must be at least 1, got " + batchSize);
        }
        PrintWriter out = spec.commandLine().getOut();
        DataEncConfig cfg = config.load();
        HostDatabase host = blobs ? null : HostDatabase.of(cfg.registry(), dbUrl, dbUser, dbPasswordEnv);
        BlobStore store = blobDir != null ? new FileSystemBlobStore(blobDir) : s3Bucket != null ? s3() : null;
        String where = host != null ? host.display() : blobDir != null ? "blob directory "
                + blobDir.toAbsolutePath().normalize() : "S3 " + store.name();
        try (ControlPlane plane = AdminPlane.open(cfg, dryRun);
             RecordSource source = store != null ? new BlobStoreRecordSource(store, context)
                     : host.builder().table(table).key(key).columns(columns).build()) {
            MigrationRequest request = MigrationRequest.of(source).withBatchSize(batchSize)
                    .withMode(encryptPlaintext ? MigrationMode.ENCRYPT_PLAINTEXT : MigrationMode.REENCRYPT)
                    .withFromContext(fromContext);
            MigrationReport report = new MigrationReport(plane.registry(), out);
            // in JSON mode the text report only decides the exit code
            MigrationReport shown = json.enabled()
                    ? new MigrationReport(plane.registry(), new PrintWriter(java.io.Writer.nullWriter())) : report;
            if (!json.enabled()) {
                out.println((host == null ? "source:           " : "host database:    ") + where);
                report.contexts(source.columns(), request);
            }
            if (dryRun) {
                Migration migration = new Migration(plane);
                MigrationPlan plan = migration.plan(request);
                int code = shown.plan(plan);
                if (json.enabled()) {
                    JsonOption.print(out, MigrationPlanDocument.of(plan, plane.registry(), migration.store(),
                            where));
                }
                return code;
            }
            try (MigrationProgressBar bar = new MigrationProgressBar(spec.commandLine().getErr(),
                    root != null && root.interactive())) {
                Migration migration = new Migration(plane, Migration.Options.defaults().withProgress(bar));
                Optional<MigrationJob> unfinished = migration.store().running(source.name());
                if (!json.enabled()) {
                    unfinished.ifPresent(j -> report.resuming(j, migration.store().tally(j.id())));
                }
                long start = System.nanoTime();
                MigrationResult result = migration.run(request);
                bar.close();
                long millis = (System.nanoTime() - start) / 1_000_000L;
                int code = shown.result(result, millis);
                if (json.enabled()) {
                    JsonOption.print(out, MigrationRunDocument.of(result, plane.registry(), migration.store(),
                            where, millis));
                }
                return code;
            }
        }
    }

    /** The S3 store of the --s3-* options, from module blob-store-s3 (found with ServiceLoader). */
    private BlobStore s3() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("bucket", s3Bucket);
        settings.put("prefix", s3Prefix);
        settings.put("region", s3Region);
        settings.put("endpoint", s3Endpoint);
        return BlobStoreProvider.of("s3").open(settings);
    }
}
