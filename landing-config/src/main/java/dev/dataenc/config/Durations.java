package dev.dataenc.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the durations of the configuration file: ISO-8601 ({@code PT5M}, {@code P90D}) or a
 * whole number with a unit: {@code ms}, {@code s}, {@code m}, {@code h} or {@code d}
 * ({@code 300s}, {@code 5m}, {@code 12h}, {@code 90d}). Case-insensitive; spaces around the
 * value and between number and unit are allowed. Negative durations are not.
 */
public final class Durations {

    /** The accepted forms, for error messages. */
    public static final String FORMS = "a number with unit ms, s, m, h or d (e.g. 300s, 5m, 12h, 90d) or ISO-8601 (e.g. PT5M)";

    private static final Pattern SIMPLE = Pattern.compile("(\\d{1,18})\\s*(ms|s|m|h|d)");

    private Durations() {
    }

    /**
     * Parses a duration.
     *
     * @param text the configured value
     * @return the duration, or empty when {@code text} is null, blank, negative or in no accepted form
     */
    public static Optional<Duration> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = SIMPLE.matcher(t);
        try {
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return Optional.of(switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                });
            }
            if (t.startsWith("p")) {
                Duration d = Duration.parse(t.toUpperCase(Locale.ROOT));
                return d.isNegative() ? Optional.empty() : Optional.of(d);
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * Formats a duration in the simple form when it is a whole number of days, hours, minutes,
     * seconds or milliseconds (largest unit first), else ISO-8601.
     *
     * @param d a non-negative duration
     * @return e.g. {@code 90d}, {@code 10s}, {@code 1500ms}
     */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        if (d.getNano() % 1_000_000 != 0) {
            return d.toString();
        }
        long ms = d.toMillis();
        if (ms % 86_400_000L == 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms % 3_600_000L == 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms % 60_000L == 0) {
            return ms / 60_000L + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
