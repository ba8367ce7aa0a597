package dev.dataenc.migrate;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import dev.dataenc.envelope.CiphertextInfo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * A {@link RecordSource} over one table of the host's own database (H2 or PostgreSQL; any
 * {@link DataSource}, not necessarily the registry's): a key column (INTEGER/BIGINT/SMALLINT,
 * CHAR/VARCHAR or UUID; NOT NULL and unique) and one or more columns, each with its encryption context: text
 * columns holding text-form ciphertexts, or binary columns ({@code bytea}, BLOB, VARBINARY) holding binary property
 * ciphertexts or BLOBs ({@link SourceColumn.Kind#BINARY}, detected from the column type). Binary values are read as a
 * header and a length in batch reads, streamed one at a time when migrated, and written by a compare-and-set on their
 * SHA-256 digest under a row lock ({@code column:context}; required, there is no default).
 * No binary value is ever whole in this JVM's memory: on PostgreSQL (whose driver materialises a {@code bytea}
 * whole) a value is read one chunk at a time ({@code SUBSTRING(col FROM ? FOR ?)}, {@value #DEFAULT_CHUNK} bytes
 * each) within one REPEATABLE READ transaction, so that every chunk comes from the same snapshot; elsewhere it is
 * read through the driver's LOB stream, and the header of a value in a batch read from the first bytes of that
 * stream (H2's {@code SUBSTRING} would load a BLOB whole). Writes stream the new ciphertext from its temporary file.
 * The CDK registry's own tables ({@code dataenc_*}) are refused.
 *
 * <p>Table and column names are looked up in the database metadata when the source is built and
 * only the names found there are used in SQL, quoted; a name that does not exist is a
 * {@link RecordSourceException} listing what does. Text writes are compare-and-set
 * ({@code UPDATE t SET col = ? WHERE key = ? AND col = ?}), one transaction per call.
 */
public final class JdbcRecordSource implements RecordSource {

    private static final int FETCH_SIZE = 1000;
    /** Bytes per read of a PostgreSQL binary value: a smaller value is read in one query. */
    static final int DEFAULT_CHUNK = 1024 * 1024;
    private static final String REGISTRY_PREFIX = "dataenc_";
    private static final String REGISTRY_MARKER = "dataenc_cdk";

    private enum KeyType { INTEGER, STRING, UUID }

    private final DataSource dataSource;
    private final HikariDataSource owned;
    private final String name;
    private final List<SourceColumn> columns;
    private final String table;
    private final String key;
    private final List<String> quotedColumns;
    private final KeyType keyType;
    private final String selectList;

    private final String digestFunction;
    private final boolean postgres;
    private final int chunk;

    private JdbcRecordSource(DataSource dataSource, HikariDataSource owned, String name, List<SourceColumn> columns,
                             String table, String key, List<String> quotedColumns, KeyType keyType,
                             String digestFunction, boolean postgres, int chunk) {
        this.dataSource = dataSource;
        this.owned = owned;
        this.name = name;
        this.columns = List.copyOf(columns);
        this.table = table;
        this.key = key;
        this.quotedColumns = List.copyOf(quotedColumns);
        this.keyType = keyType;
        this.digestFunction = digestFunction;
        this.postgres = postgres;
        this.chunk = chunk;
        List<String> select = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            String q = quotedColumns.get(i);
            // PostgreSQL slices a TOASTed value on the server; elsewhere the header is read from the LOB stream
            select.add(!columns.get(i).binary() ? q : postgres ? "SUBSTRING(" + q + " FROM 1 FOR "
                    + CiphertextInfo.PROBE_LENGTH + "), OCTET_LENGTH(" + q + ")" : q + ", OCTET_LENGTH(" + q + ")");
        }
        this.selectList = key + ", " + String.join(", ", select);
    }

    /** A builder over the host's data source (not closed by {@link #close()}). */
    public static Builder on(DataSource dataSource) {
        return new Builder(Objects.requireNonNull(dataSource, "dataSource"), null);
    }

    /** A builder that opens a small connection pool to {@code jdbcUrl}, closed by {@link #close()}. */
    public static Builder connect(String jdbcUrl, String user, String password) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(0);
        config.setPoolName("dataenc-migration-source");
        config.setInitializationFailTimeout(3_000);
        try {
            HikariDataSource ds = new HikariDataSource(config);
            return new Builder(ds, ds);
        } catch (RuntimeException e) {
            throw new RecordSourceException("cannot connect to the database at " + dev.dataenc.config.RegistrySettings.maskPasswords(
                    jdbcUrl) + ": " + e.getMessage() + ". Check the URL, that the database is"
                    + " running, and the credentials.", e);
        }
    }

    /** Describes the table; {@link #build()} checks it against the database. */
    public static final class Builder {
        private final DataSource dataSource;
        private final HikariDataSource owned;
        private String table;
        private String key;
        private final List<String> columnSpecs = new ArrayList<>();
        private String name;
        private int chunk = DEFAULT_CHUNK;

        private Builder(DataSource dataSource, HikariDataSource owned) {
            this.dataSource = dataSource;
            this.owned = owned;
        }

        /** The table, optionally {@code schema.table}. */
        public Builder table(String table) {
            this.table = table;
            return this;
        }

        /** The key column: NOT NULL and unique. */
        public Builder key(String key) {
            this.key = key;
            return this;
        }

        /** A migrated column, {@code column:context} (the context is required). */
        public Builder column(String spec) {
            this.columnSpecs.add(Objects.requireNonNull(spec, "spec"));
            return this;
        }

        /** Several migrated columns, each {@code column:context}. */
        public Builder columns(List<String> specs) {
            specs.forEach(this::column);
            return this;
        }

        /** Overrides the source name (default {@code catalog.schema.table(key): column[context], ...}). */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Bytes per chunk when a PostgreSQL binary value is read (tests make it small to cross chunk bounds). */
        Builder chunkSize(int bytes) {
            if (bytes < CiphertextInfo.PROBE_LENGTH) {
                throw new IllegalArgumentException("chunk size " + bytes + " is below " + CiphertextInfo.PROBE_LENGTH);
            }
            this.chunk = bytes;
            return this;
        }

        /**
         * Checks the table, key and columns against the database metadata.
         *
         * @throws RecordSourceException naming what exists when something does not, or has a type that cannot be migrated
         */
        public JdbcRecordSource build() {
            try {
                if (table == null || table.isBlank() || key == null || key.isBlank() || columnSpecs.isEmpty()) {
                    throw new RecordSourceException("a JDBC record source needs a table, a key column and at least one"
                            + " column (column or column:context); got table=" + table + ", key=" + key + ", columns="
                            + columnSpecs);
                }
                return new JdbcTableInspector(dataSource).inspect(table, key, columnSpecs, name, owned, chunk);
            } catch (RuntimeException e) {
                if (owned != null) {
                    owned.close();
                }
                throw e;
            }
        }
    }

    /** Reads a table's metadata and builds the source from the names found there. */
    static final class JdbcTableInspector {
        private final DataSource dataSource;

        JdbcTableInspector(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        JdbcRecordSource inspect(String tableSpec, String keySpec, List<String> columnSpecs, String name,
                                 HikariDataSource owned, int chunk) {
            try (Connection c = dataSource.getConnection()) {
                DatabaseMetaData md = c.getMetaData();
                TableMetadata t = TableMetadata.find(c, tableSpec);
                refuseRegistryTable(md, t);
                TableMetadata.Column k = t.column(keySpec, "key column");
                KeyType keyType = keyType(t, k);
                if (k.nullable()) {
                    throw new RecordSourceException("key column " + k.name() + " of table " + t.display() + " may be NULL;"
                            + " the key must be NOT NULL and unique (a primary key or a unique index)");
                }
                if (!t.isUnique(k.name())) {
                    throw new RecordSourceException("key column " + k.name() + " of table " + t.display() + " is not unique;"
                            + " the key must be the primary key or have a unique index of its own" + t.uniqueHint());
                }
                String quote = md.getIdentifierQuoteString();
                List<SourceColumn> columns = new ArrayList<>();
                List<String> quoted = new ArrayList<>();
                List<String> shown = new ArrayList<>();
                for (String spec : columnSpecs) {
                    int colon = spec.indexOf(':');
                    String col = colon < 0 ? spec.trim() : spec.substring(0, colon).trim();
                    String context = colon < 0 ? "" : spec.substring(colon + 1);
                    if (context.isEmpty()) {
                        throw new RecordSourceException("column spec '" + spec + "' names no context; write column:context"
                                + " with the exact context the application encrypts this column under (e.g. "
                                + (col.isEmpty() ? "email" : col) + ":Customer." + (col.isEmpty() ? "email" : col)
                                + "). There is no default: a wrong context makes values unreadable to the application");
                    }
                    TableMetadata.Column meta = t.column(col, "column");
                    boolean binary = isBinary(meta.jdbcType());
                    if (!isText(meta.jdbcType()) && !binary) {
                        throw new RecordSourceException("column " + meta.name() + " of table " + t.display() + " has type "
                                + meta.typeName() + "; only text columns (CHAR, VARCHAR, TEXT, CLOB) holding text-form"
                                + " ciphertexts and binary columns (bytea, BLOB, VARBINARY) holding binary ciphertexts"
                                + " can be migrated. Text columns of " + t.display() + ": " + t.textColumns());
                    }
                    if (meta.name().equals(k.name())) {
                        throw new RecordSourceException("column " + meta.name() + " is the key column; the key is never"
                                + " encrypted. Name the ciphertext columns.");
                    }
                    if (quoted.contains(quote(quote, meta.name()))) {
                        throw new RecordSourceException("column " + meta.name() + " is named twice");
                    }
                    columns.add(new SourceColumn(meta.name(), context,
                            binary ? SourceColumn.Kind.BINARY : SourceColumn.Kind.TEXT));
                    quoted.add(quote(quote, meta.name()));
                    shown.add(meta.name() + "[" + context + "]");
                }
                String qualified = (t.schema() == null ? "" : quote(quote, t.schema()) + ".") + quote(quote, t.name());
                String sourceName = name != null && !name.isBlank() ? name
                        : (c.getCatalog() == null ? "" : c.getCatalog() + ".") + t.display() + "(" + k.name() + "): "
                        + String.join(", ", shown);
                String product = md.getDatabaseProductName().toLowerCase(java.util.Locale.ROOT);
                String digest = product.contains("postgres") ? "sha256(%s)" : product.contains("h2")
                        ? "HASH('SHA-256', %s)" : null;
                return new JdbcRecordSource(dataSource, owned, sourceName, columns, qualified, quote(quote, k.name()),
                        quoted, keyType, digest, product.contains("postgres"), chunk);
            } catch (SQLException e) {
                throw new RecordSourceException("cannot read the metadata of table " + tableSpec + ": " + e.getMessage(), e);
            }
        }

        /**
         * The CDK registry's own tables ({@code dataenc_*}, including Flyway's {@code dataenc_schema_history}) hold
         * wrapped keys and bookkeeping, never application data: refused where the database is a registry.
         */
        private static void refuseRegistryTable(DatabaseMetaData md, TableMetadata t) throws SQLException {
            if (!t.name().toLowerCase(java.util.Locale.ROOT).startsWith(REGISTRY_PREFIX)) {
                return;
            }
            try (ResultSet rs = md.getTables(null, t.schema(), "%", null)) {
                while (rs.next()) {
                    if (REGISTRY_MARKER.equalsIgnoreCase(rs.getString("TABLE_NAME"))) {
                        throw new RecordSourceException("table " + t.display() + " is one of the CDK registry's own tables"
                                + " (" + REGISTRY_PREFIX + "*, with Flyway's history " + REGISTRY_PREFIX + "schema_history):"
                                + " it holds wrapped keys and bookkeeping, not application data, and is never migrated."
                                + " Name the application's table (and --db-url if it lives in another database)");
                    }
                }
            }
        }

        private static KeyType keyType(TableMetadata t, TableMetadata.Column k) {
            if ("uuid".equalsIgnoreCase(k.typeName())) {
                return KeyType.UUID;
            }
            switch (k.jdbcType()) {
                case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT:
                    return KeyType.INTEGER;
                case Types.CHAR, Types.VARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGVARCHAR, Types.LONGNVARCHAR:
                    return KeyType.STRING;
                default:
                    throw new RecordSourceException("key column " + k.name() + " of table " + t.display() + " has type "
                            + k.typeName() + "; supported key types are INTEGER, BIGINT, SMALLINT, CHAR, VARCHAR and UUID");
            }
        }

        private static boolean isText(int jdbcType) {
            return switch (jdbcType) {
                case Types.CHAR, Types.VARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGVARCHAR, Types.LONGNVARCHAR,
                        Types.CLOB, Types.NCLOB -> true;
                default -> false;
            };
        }

        private static boolean isBinary(int jdbcType) {
            return switch (jdbcType) {
                case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> true;
                default -> false;
            };
        }

        private static String quote(String quote, String identifier) {
            if (quote == null || quote.isBlank()) {
                return identifier;
            }
            return quote + identifier.replace(quote, quote + quote) + quote;
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<SourceColumn> columns() {
        return columns;
    }

    @Override
    public List<String> boundaries(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive: " + batchSize);
        }
        List<String> bounds = new ArrayList<>();
        stream("SELECT " + key + " FROM " + table + " ORDER BY " + key, "list the keys", new RowHandler() {
            long n;

            @Override
            public void row(ResultSet rs) throws SQLException {
                if (n > 0 && n % batchSize == 0) {
                    bounds.add(keyOf(rs));
                }
                n++;
            }
        });
        return bounds;
    }

    @Override
    public long count() {
        try (Connection c = dataSource.getConnection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw failure("count the records", e);
        }
    }

    @Override
    public List<SourceRecord> read(KeyRange range) {
        StringBuilder sql = new StringBuilder("SELECT ").append(selectList).append(" FROM ").append(table);
        if (range.from() != null || range.to() != null) {
            sql.append(" WHERE ");
            if (range.from() != null) {
                sql.append(key).append(" >= ?");
            }
            if (range.to() != null) {
                sql.append(range.from() != null ? " AND " : "").append(key).append(" < ?");
            }
        }
        sql.append(" ORDER BY ").append(key);
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(sql.toString())) {
            int i = 1;
            if (range.from() != null) {
                bindKey(s, i++, range.from());
            }
            if (range.to() != null) {
                bindKey(s, i, range.to());
            }
            List<SourceRecord> records = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    records.add(recordOf(rs));
                }
            }
            return records;
        } catch (SQLException e) {
            throw failure("read the records in " + range, e);
        }
    }

    @Override
    public Optional<SourceRecord> read(String k) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT " + selectList + " FROM " + table + " WHERE " + key + " = ?")) {
            bindKey(s, 1, k);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(recordOf(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("read record " + k, e);
        }
    }

    @Override
    public void forEach(Consumer<SourceRecord> action) {
        stream("SELECT " + selectList + " FROM " + table + " ORDER BY " + key, "scan the records",
                rs -> action.accept(recordOf(rs)));
    }

    @Override
    public boolean[] write(List<ValueWrite> writes) {
        boolean[] applied = new boolean[writes.size()];
        if (writes.isEmpty()) {
            return applied;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                for (int col = 0; col < columns.size(); col++) {
                    List<Integer> mine = new ArrayList<>();
                    for (int i = 0; i < writes.size(); i++) {
                        if (writes.get(i).column() == col) {
                            mine.add(i);
                        }
                    }
                    if (mine.isEmpty()) {
                        continue;
                    }
                    if (columns.get(col).binary()) {
                        throw new IllegalArgumentException("column " + columns.get(col).name() + " is binary: write it"
                                + " with writeBinary");
                    }
                    String column = quotedColumns.get(col);
                    try (PreparedStatement s = c.prepareStatement("UPDATE " + table + " SET " + column + " = ? WHERE "
                            + key + " = ? AND " + column + " = ?")) {
                        for (int i : mine) {
                            ValueWrite w = writes.get(i);
                            s.setString(1, w.replacement());
                            bindKey(s, 2, w.key());
                            s.setString(3, w.expected());
                            s.addBatch();
                        }
                        int[] counts = s.executeBatch();
                        for (int j = 0; j < mine.size(); j++) {
                            int i = mine.get(j);
                            applied[i] = counts[j] == Statement.SUCCESS_NO_INFO ? holds(c, writes.get(i)) : counts[j] > 0;
                        }
                    }
                }
                c.commit();
                return applied;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new RecordSourceException("cannot write re-encrypted values to " + name + ": " + e.getMessage()
                    + ". Nothing of this chunk was written; the migration can be run again. If a value is too long, widen"
                    + " the column: a text ciphertext has about 4/3 x (plaintext bytes + 47) + 8 characters.", e);
        }
    }

    @Override
    public boolean readBinary(String k, int column, BinaryReader reader) {
        requireBinary(column);
        if (postgres) {
            return readChunked(k, column, reader);
        }
        String q = quotedColumns.get(column);
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false); // a LOB stream is valid within its transaction
            try (PreparedStatement s = c.prepareStatement("SELECT OCTET_LENGTH(" + q + "), " + q + " FROM " + table
                    + " WHERE " + key + " = ?")) {
                bindKey(s, 1, k);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                    long length = rs.getLong(1);
                    InputStream in = rs.getBinaryStream(2);
                    if (in == null) {
                        return false;
                    }
                    try (in) {
                        reader.read(in, length);
                    }
                }
                c.commit();
                return true;
            } catch (IOException e) {
                c.rollback();
                throw new RecordSourceException("cannot read the value of record " + k + ", column "
                        + columns.get(column).name() + " of " + name + ": " + e.getMessage(), e);
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw failure("read the value of record " + k + ", column " + columns.get(column).name(), e);
        }
    }

    /**
     * PostgreSQL: the length and the first chunk in one query (all of a small value), then one query per further
     * chunk, all in one read-only REPEATABLE READ transaction so that they come from one snapshot even when the
     * application writes the record meanwhile (the compare-and-set then loses, as it should).
     */
    private boolean readChunked(String k, int column, BinaryReader reader) {
        String q = quotedColumns.get(column);
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            int isolation = c.getTransactionIsolation();
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setAutoCommit(false);
            try (PreparedStatement first = c.prepareStatement("SELECT OCTET_LENGTH(" + q + "), SUBSTRING(" + q
                    + " FROM 1 FOR ?) FROM " + table + " WHERE " + key + " = ?");
                 PreparedStatement more = c.prepareStatement("SELECT SUBSTRING(" + q + " FROM ? FOR ?) FROM " + table
                         + " WHERE " + key + " = ?")) {
                first.setInt(1, chunk);
                bindKey(first, 2, k);
                long length;
                byte[] head;
                try (ResultSet rs = first.executeQuery()) {
                    if (!rs.next() || (head = rs.getBytes(2)) == null) {
                        c.commit();
                        return false;
                    }
                    length = rs.getLong(1);
                }
                bindKey(more, 3, k);
                try (InputStream in = new ChunkedBinaryStream(head, length, chunk, (offset, count) -> {
                    try {
                        more.setInt(1, Math.toIntExact(offset + 1)); // bytea: int offsets (a value is < 1 GiB)
                        more.setInt(2, count);
                        try (ResultSet rs = more.executeQuery()) {
                            return rs.next() ? rs.getBytes(1) : null;
                        }
                    } catch (SQLException e) {
                        throw new IOException(e.getMessage(), e);
                    }
                })) {
                    reader.read(in, length);
                }
                c.commit();
                return true;
            } catch (IOException e) {
                c.rollback();
                throw new RecordSourceException("cannot read the value of record " + k + ", column "
                        + columns.get(column).name() + " of " + name + ": " + e.getMessage(), e);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
                c.setTransactionIsolation(isolation);
            }
        } catch (SQLException e) {
            throw failure("read the value of record " + k + ", column " + columns.get(column).name(), e);
        }
    }

    /**
     * Locks the record ({@code SELECT ... FOR UPDATE}), compares the SHA-256 of the value it holds (computed by the
     * database where it can: {@code sha256()} on PostgreSQL, {@code HASH('SHA-256', ...)} on H2; else streamed
     * here) with {@code expectedSha256} in constant time, and only then writes the replacement as a stream.
     */
    @Override
    public boolean writeBinary(String k, int column, byte[] expectedSha256, Path replacement) {
        requireBinary(column);
        String q = quotedColumns.get(column);
        String digestOf = digestFunction == null ? q : String.format(digestFunction, q);
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                byte[] now;
                try (PreparedStatement s = c.prepareStatement("SELECT " + digestOf + " FROM " + table + " WHERE " + key
                        + " = ? FOR UPDATE")) {
                    bindKey(s, 1, k);
                    try (ResultSet rs = s.executeQuery()) {
                        now = !rs.next() ? null : digestFunction != null ? rs.getBytes(1) : digest(rs.getBinaryStream(1));
                    }
                }
                if (now == null || !MessageDigest.isEqual(now, expectedSha256)) {
                    c.rollback();
                    return false;
                }
                long size = Files.size(replacement);
                try (PreparedStatement s = c.prepareStatement("UPDATE " + table + " SET " + q + " = ? WHERE " + key + " = ?");
                     InputStream in = Files.newInputStream(replacement)) {
                    s.setBinaryStream(1, in, size);
                    bindKey(s, 2, k);
                    if (s.executeUpdate() != 1) {
                        c.rollback();
                        return false;
                    }
                }
                c.commit();
                return true;
            } catch (IOException io) {
                c.rollback();
                throw new RecordSourceException("cannot write the re-encrypted value of record " + k + " to " + name
                        + ": " + io.getMessage() + ". Nothing was written for it; the migration can be run again.", io);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new RecordSourceException("cannot write the re-encrypted value of record " + k + ", column "
                    + columns.get(column).name() + " to " + name + ": " + e.getMessage() + ". Nothing was written for it;"
                    + " the migration can be run again.", e);
        }
    }

    private static byte[] digest(InputStream in) throws SQLException {
        if (in == null) {
            return null;
        }
        MessageDigest d = BinaryReencryption.sha256();
        try (in) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw new SQLException("cannot read the value to compare it: " + e.getMessage(), e);
        }
        return d.digest();
    }

    private void requireBinary(int column) {
        if (!columns.get(column).binary()) {
            throw new IllegalArgumentException("column " + columns.get(column).name() + " is not binary");
        }
    }

    private boolean holds(Connection c, ValueWrite w) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + quotedColumns.get(w.column()) + " FROM " + table
                + " WHERE " + key + " = ?")) {
            bindKey(s, 1, w.key());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && w.replacement().equals(rs.getString(1));
            }
        }
    }

    @FunctionalInterface
    private interface RowHandler {
        void row(ResultSet rs) throws SQLException;
    }

    /** Streams a query with a cursor (PostgreSQL needs a transaction and a fetch size for that). */
    private void stream(String sql, String what, RowHandler handler) {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
                s.setFetchSize(FETCH_SIZE);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        handler.row(rs);
                    }
                }
                c.commit();
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    private SourceRecord recordOf(ResultSet rs) throws SQLException {
        List<String> values = new ArrayList<>(columns.size());
        int at = 2;
        for (SourceColumn column : columns) {
            if (column.binary()) {
                byte[] head = postgres ? rs.getBytes(at++) : head(rs, at++);
                long length = rs.getLong(at++);
                values.add(head == null ? null : BinaryCell.of(head, length).encode());
            } else {
                values.add(rs.getString(at++));
            }
        }
        return new SourceRecord(keyOf(rs), values);
    }

    /** The first bytes of a binary value, read from the driver's stream (a LOB is not loaded whole); null for NULL. */
    private static byte[] head(ResultSet rs, int index) throws SQLException {
        try (InputStream in = rs.getBinaryStream(index)) {
            return in == null ? null : in.readNBytes(CiphertextInfo.PROBE_LENGTH);
        } catch (IOException e) {
            throw new SQLException("cannot read the header of a binary value: " + e.getMessage(), e);
        }
    }

    private String keyOf(ResultSet rs) throws SQLException {
        return switch (keyType) {
            case INTEGER -> Long.toString(rs.getLong(1));
            case STRING -> rs.getString(1);
            case UUID -> rs.getObject(1).toString();
        };
    }

    private void bindKey(PreparedStatement s, int index, String k) throws SQLException {
        switch (keyType) {
            case INTEGER -> s.setLong(index, Long.parseLong(k));
            case STRING -> s.setString(index, k);
            case UUID -> s.setObject(index, UUID.fromString(k));
            default -> throw new IllegalStateException(keyType.name());
        }
    }

    private RecordSourceException failure(String what, SQLException e) {
        return new RecordSourceException("cannot " + what + " of " + name + ": " + e.getMessage(), e);
    }

    @Override
    public void close() {
        if (owned != null) {
            owned.close();
        }
    }

    @Override
    public String toString() {
        return "JdbcRecordSource[" + name + "]";
    }
}
