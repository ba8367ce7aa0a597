package dev.dataenc.audit;

/**
 * Makes audit text safe to print: an entry's detail, actor or keystore name may come from anywhere
 * (a configuration file, a database row), and printed raw a newline could forge an entry and an ANSI
 * escape could rewrite the terminal. Every output of audit entries goes through {@link #escape}.
 */
public final class AuditText {

    private AuditText() {
    }

    /**
     * {@code text} with every control character (C0, DEL, C1, including newlines and ESC), the
     * Unicode line and paragraph separators and the bidirectional-override characters written as
     * escapes ({@code \n}, {@code \r}, {@code \t}, else {@code \}{@code uXXXX}); a backslash is
     * doubled, so an escape in the output always means an escaped character.
     *
     * @param text any text, or {@code null}
     * @return the escaped text ({@code null} stays {@code null})
     */
    public static String escape(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = switch (c) {
                case '\\' -> "\\\\";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                default -> unsafe(c) ? String.format("\\u%04X", (int) c) : null;
            };
            if (replacement != null && sb == null) {
                sb = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (sb != null) {
                if (replacement != null) {
                    sb.append(replacement);
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? text : sb.toString();
    }

    private static boolean unsafe(char c) {
        return c < 0x20 || (c >= 0x7F && c <= 0x9F)
                || c == '\u2028' || c == '\u2029'
                || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069')
                || c == '\u200E' || c == '\u200F' || c == '\u061C';
    }
}
