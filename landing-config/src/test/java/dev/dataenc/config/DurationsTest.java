package dev.dataenc.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DurationsTest {

    @Test
    void simpleForms_parseWithTheirUnit() {
        assertEquals(Optional.of(Duration.ofSeconds(300)), Durations.parse("300s"));
        assertEquals(Optional.of(Duration.ofMinutes(5)), Durations.parse("5m"));
        assertEquals(Optional.of(Duration.ofHours(12)), Durations.parse("12h"));
        assertEquals(Optional.of(Duration.ofDays(90)), Durations.parse("90d"));
        assertEquals(Optional.of(Duration.ofMillis(250)), Durations.parse("250ms"));
        assertEquals(Optional.of(Duration.ofMinutes(5)), Durations.parse(" 5 M "));
    }

    @Test
    void isoForms_parse() {
        assertEquals(Optional.of(Duration.ofMinutes(5)), Durations.parse("PT5M"));
        assertEquals(Optional.of(Duration.ofDays(90)), Durations.parse("P90D"));
        assertEquals(Optional.of(Duration.ofSeconds(90)), Durations.parse("pt1m30s"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "5", "m", "5 minutes", "-5m", "PT-5M", "-PT5M", "5.5m", "1h30m", "P", "99999999999999999d"})
    void invalidForms_areEmpty(String text) {
        assertEquals(Optional.empty(), Durations.parse(text));
    }

    @Test
    void null_isEmpty() {
        assertEquals(Optional.empty(), Durations.parse(null));
    }

    @Test
    void format_usesLargestWholeUnit() {
        assertEquals("90d", Durations.format(Duration.ofDays(90)));
        assertEquals("12h", Durations.format(Duration.ofHours(12)));
        assertEquals("5m", Durations.format(Duration.ofMinutes(5)));
        assertEquals("90s", Durations.format(Duration.ofSeconds(90)));
        assertEquals("1500ms", Durations.format(Duration.ofMillis(1500)));
        assertEquals("0s", Durations.format(Duration.ZERO));
        assertEquals(Optional.of(Duration.ofMillis(1500)), Durations.parse(Durations.format(Duration.ofMillis(1500))));
    }
}
