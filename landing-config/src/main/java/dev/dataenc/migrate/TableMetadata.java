package dev.dataenc.migrate;

import dev.dataenc.config.Suggestions;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A table as the database metadata describes it: its exact schema and name, columns with their
 * types, and unique keys. Lookups accept any letter case (H2 upper-cases unquoted names,
 * PostgreSQL lower-cases them) and fail naming what exists.
 */
final class TableMetadata {

    private static final Set<String> SYSTEM_SCHEMAS = Set.of("information_schema", "pg_catalog", "pg_toast");
    private static final Set<String> TABLE_TYPES = Set.of("TABLE", "BASE TABLE", "VIEW", "PARTITIONED TABLE");
    private static final int MAX_LISTED = 30;

    record Column(String name, int jdbcType, String typeName, boolean nullable) {
    }

    private record TableRef(String schema, String name) {
        String display() {
            return schema == null ? name : schema + "." + name;
        }
    }

    private final DatabaseMetaData md;
    private final String schema;
    private final String name;
    private final List<Column> columns;

    private TableMetadata(DatabaseMetaData md, String schema, String name, List<Column> columns) {
        this.md = md;
        this.schema = schema;
        this.name = name;
        this.columns = columns;
    }

    /** Finds {@code spec} ({@code table} or {@code schema.table}), preferring the connection's current schema. */
    static TableMetadata find(Connection c, String spec) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        String trimmed = spec.trim();
        int dot = trimmed.lastIndexOf('.');
        String wantedSchema = dot > 0 ? trimmed.substring(0, dot) : null;
        String wanted = dot > 0 ? trimmed.substring(dot + 1) : trimmed;
        String current = c.getSchema();
        List<TableRef> all = new ArrayList<>();
        try (ResultSet rs = md.getTables(null, null, "%", null)) {
            while (rs.next()) {
                String s = rs.getString("TABLE_SCHEM");
                String type = rs.getString("TABLE_TYPE");
                if (type == null || !TABLE_TYPES.contains(type.toUpperCase(Locale.ROOT))
                        || (s != null && SYSTEM_SCHEMAS.contains(s.toLowerCase(Locale.ROOT)))) {
                    continue;
                }
                all.add(new TableRef(s, rs.getString("TABLE_NAME")));
            }
        }
        List<TableRef> inScope = new ArrayList<>();
        for (TableRef t : all) {
            if (wantedSchema != null ? wantedSchema.equalsIgnoreCase(t.schema()) : true) {
                inScope.add(t);
            }
        }
        TableRef found = pick(inScope, wanted, current, spec);
        if (found == null) {
            List<TableRef> listed = wantedSchema == null && current != null
                    ? inScope.stream().filter(t -> current.equalsIgnoreCase(t.schema())).toList() : inScope;
            if (listed.isEmpty()) {
                listed = inScope;
            }
            Set<String> names = new TreeSet<>();
            listed.forEach(t -> names.add(wantedSchema == null && current != null && current.equalsIgnoreCase(t.schema())
                    ? t.name() : t.display()));
            throw new RecordSourceException("table '" + spec + "' not found" + (wantedSchema == null && current != null
                    ? " in schema " + current : "") + didYouMean(wanted, names) + ". Tables: " + listing(names));
        }
        List<Column> columns = new ArrayList<>();
        String escape = md.getSearchStringEscape();
        try (ResultSet rs = md.getColumns(null, pattern(found.schema(), escape), pattern(found.name(), escape), "%")) {
            while (rs.next()) {
                columns.add(new Column(rs.getString("COLUMN_NAME"), rs.getInt("DATA_TYPE"), rs.getString("TYPE_NAME"),
                        rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls));
            }
        }
        return new TableMetadata(md, found.schema(), found.name(), columns);
    }

    private static TableRef pick(List<TableRef> candidates, String wanted, String currentSchema, String spec) {
        for (boolean exact : new boolean[] {true, false}) {
            List<TableRef> here = new ArrayList<>();
            List<TableRef> anywhere = new ArrayList<>();
            for (TableRef t : candidates) {
                boolean match = exact ? t.name().equals(wanted) : t.name().equalsIgnoreCase(wanted);
                if (match) {
                    anywhere.add(t);
                    if (currentSchema != null && currentSchema.equalsIgnoreCase(t.schema())) {
                        here.add(t);
                    }
                }
            }
            if (here.size() == 1) {
                return here.get(0);
            }
            if (anywhere.size() == 1) {
                return anywhere.get(0);
            }
            if (anywhere.size() > 1) {
                throw new RecordSourceException("table '" + spec + "' is ambiguous: " + anywhere.stream().map(TableRef::display)
                        .toList() + "; name it as schema.table");
            }
        }
        return null;
    }

    String schema() {
        return schema;
    }

    String name() {
        return name;
    }

    String display() {
        return schema == null ? name : schema + "." + name;
    }

    /** The column named {@code wanted} (any case). */
    Column column(String wanted, String role) {
        Column exact = null;
        List<Column> loose = new ArrayList<>();
        for (Column c : columns) {
            if (c.name().equals(wanted)) {
                exact = c;
            } else if (c.name().equalsIgnoreCase(wanted)) {
                loose.add(c);
            }
        }
        if (exact != null) {
            return exact;
        }
        if (loose.size() == 1) {
            return loose.get(0);
        }
        Set<String> names = new TreeSet<>();
        columns.forEach(c -> names.add(c.name()));
        throw new RecordSourceException(role + " '" + wanted + "' not found in table " + display()
                + didYouMean(wanted, names) + ". Columns: " + columnListing());
    }

    /** Text columns, for messages. */
    String textColumns() {
        return columns.stream().filter(c -> c.typeName() != null && c.typeName().toUpperCase(Locale.ROOT)
                .matches(".*(CHAR|TEXT|CLOB).*")).map(Column::name).toList().toString();
    }

    /** True if {@code column} alone is the primary key or has a unique index of its own. */
    boolean isUnique(String column) throws SQLException {
        List<String> pk = new ArrayList<>();
        try (ResultSet rs = md.getPrimaryKeys(null, schema, name)) {
            while (rs.next()) {
                pk.add(rs.getString("COLUMN_NAME"));
            }
        }
        if (pk.size() == 1 && pk.get(0).equals(column)) {
            return true;
        }
        Map<String, Set<String>> indexes = new LinkedHashMap<>();
        try (ResultSet rs = md.getIndexInfo(null, schema, name, true, true)) {
            while (rs.next()) {
                String index = rs.getString("INDEX_NAME");
                String col = rs.getString("COLUMN_NAME");
                if (index != null && col != null && !rs.getBoolean("NON_UNIQUE")) {
                    indexes.computeIfAbsent(index, i -> new TreeSet<>()).add(col);
                }
            }
        }
        return indexes.values().stream().anyMatch(cols -> cols.size() == 1 && cols.contains(column));
    }

    /** Unique single columns, for messages. */
    String uniqueHint() throws SQLException {
        List<String> unique = new ArrayList<>();
        for (Column c : columns) {
            if (isUnique(c.name())) {
                unique.add(c.name());
            }
        }
        return unique.isEmpty() ? "; it has no unique single column" : "; unique columns: " + unique;
    }

    private String columnListing() {
        List<String> shown = new ArrayList<>();
        for (Column c : columns) {
            shown.add(c.name() + " (" + c.typeName() + ")");
        }
        return shown.isEmpty() ? "(none)" : String.join(", ", shown);
    }

    private static String pattern(String identifier, String escape) {
        if (identifier == null || escape == null || escape.isEmpty()) {
            return identifier;
        }
        return identifier.replace(escape, escape + escape).replace("_", escape + "_").replace("%", escape + "%");
    }

    private static String listing(Set<String> names) {
        if (names.isEmpty()) {
            return "(none)";
        }
        List<String> list = new ArrayList<>(names);
        return list.size() <= MAX_LISTED ? String.join(", ", list)
                : String.join(", ", list.subList(0, MAX_LISTED)) + " and " + (list.size() - MAX_LISTED) + " more";
    }

    private static String didYouMean(String word, Set<String> candidates) {
        String best = null;
        int bestDistance = 3;
        for (String c : candidates) {
            String bare = c.substring(c.lastIndexOf('.') + 1);
            int d = Suggestions.levenshtein(word.toLowerCase(Locale.ROOT), bare.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        return best == null ? "" : " (did you mean " + best + "?)";
    }
}
