package dev.dataenc.config;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The text of a {@code .properties} file: read with {@link Properties}' own syntax (escapes, continuation lines,
 * {@code =}, {@code :} or blank separators), keeping every occurrence of a key (so a key set twice is found), and
 * edited line by line so comments, blank lines, order and separators stay as they are.
 */
final class PropertiesText {

    private final List<String> lines;

    private PropertiesText(List<String> lines) {
        this.lines = lines;
    }

    /** The text split into physical lines. */
    static PropertiesText of(String text) {
        List<String> l = new ArrayList<>(List.of(text.split("\r\n|\r|\n", -1)));
        if (!l.isEmpty() && l.get(l.size() - 1).isEmpty()) {
            l.remove(l.size() - 1); // the final line break
        }
        return new PropertiesText(l);
    }

    /**
     * Every key with all its values in file order (a key set once has one value).
     *
     * @throws IOException if the text is not valid properties syntax (e.g. a malformed {@code \\u} escape)
     */
    static Map<String, List<String>> parse(String text) throws IOException {
        Map<String, List<String>> values = new LinkedHashMap<>();
        Properties p = new Properties() {
            private static final long serialVersionUID = 1L;

            @Override
            public synchronized Object put(Object key, Object value) {
                values.computeIfAbsent((String) key, k -> new ArrayList<>()).add((String) value);
                return super.put(key, value);
            }
        };
        try {
            p.load(new StringReader(text));
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        return values;
    }

    /**
     * Sets {@code key} to {@code value} (neither needs escaping): the value of its first line is replaced, keeping
     * the key and separator as written; further lines of the same key are removed; a missing key is appended.
     */
    void set(String key, String value) {
        boolean done = false;
        for (int i = 0; i < lines.size(); ) {
            int end = logicalEnd(i);
            String logical = String.join("\n", lines.subList(i, end + 1));
            int valueStart = valueStart(logical, key);
            if (valueStart < 0) {
                i = end + 1;
                continue;
            }
            for (int j = end; j > i; j--) {
                lines.remove(j);
            }
            if (done) {
                lines.remove(i);
                continue;
            }
            lines.set(i, logical.substring(0, valueStart) + value);
            done = true;
            i++;
        }
        if (!done) {
            lines.add(key + " = " + value);
        }
    }

    /** The text, one line break after each line. */
    String text() {
        StringBuilder sb = new StringBuilder();
        lines.forEach(l -> sb.append(l).append(System.lineSeparator()));
        return sb.toString();
    }

    /** The last physical line of the logical line starting at {@code i} (continuations end in an odd number of {@code \}). */
    private int logicalEnd(int i) {
        int j = i;
        String first = lines.get(i).stripLeading();
        if (first.startsWith("#") || first.startsWith("!")) {
            return i;
        }
        while (j < lines.size() - 1 && endsInEscape(lines.get(j))) {
            j++;
        }
        return j;
    }

    private static boolean endsInEscape(String line) {
        int n = 0;
        for (int k = line.length() - 1; k >= 0 && line.charAt(k) == '\\'; k--) {
            n++;
        }
        return n % 2 == 1;
    }

    /** Where the value starts in a logical line whose key is {@code key}, or -1 for another key, a comment or a blank line. */
    private static int valueStart(String logical, String key) {
        int i = 0;
        while (i < logical.length() && isBlank(logical.charAt(i))) {
            i++;
        }
        if (i == logical.length() || logical.charAt(i) == '#' || logical.charAt(i) == '!') {
            return -1;
        }
        StringBuilder raw = new StringBuilder();
        while (i < logical.length()) {
            char c = logical.charAt(i);
            if (c == '\\' && i + 1 < logical.length()) {
                raw.append(c).append(logical.charAt(i + 1));
                i += 2;
                continue;
            }
            if (c == '=' || c == ':' || isBlank(c)) {
                break;
            }
            raw.append(c);
            i++;
        }
        Map<String, List<String>> parsed;
        try {
            parsed = parse(raw + "=");
        } catch (IOException e) {
            return -1;
        }
        if (!parsed.containsKey(key)) {
            return -1;
        }
        while (i < logical.length() && isBlank(logical.charAt(i))) {
            i++;
        }
        if (i < logical.length() && (logical.charAt(i) == '=' || logical.charAt(i) == ':')) {
            i++;
            while (i < logical.length() && isBlank(logical.charAt(i))) {
                i++;
            }
        }
        return i;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\f';
    }
}
