package dev.dataenc.migrate;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BlobStoreProviderTest {

    @Test
    void typeWithoutItsModuleOnTheClassPath_refusedNamingTheModule() {
        RecordSourceException e = assertThrows(RecordSourceException.class, () -> BlobStoreProvider.of("azure"));
        assertTrue(e.getMessage().contains("no blob store of type 'azure' on the class path")
                && e.getMessage().contains("dev.dataenc:blob-store-azure"), e.getMessage());
    }
}
