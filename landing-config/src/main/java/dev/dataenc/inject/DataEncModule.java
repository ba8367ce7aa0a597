package dev.dataenc.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;

import dev.dataenc.envelope.BlobCipher;
import dev.dataenc.envelope.DeterministicCipher;
import dev.dataenc.envelope.PropertyCipher;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Guice wiring for a host application: binds {@link PropertyCipher}, {@link BlobCipher} and
 * {@link DeterministicCipher} (and the
 * {@link DataEncService} behind them) from a data-encryption configuration file. Keystore types are
 * found with {@link java.util.ServiceLoader}, so adding a keystore jar is enough to use its type.
 *
 * <pre>{@code
 * Injector injector = Guice.createInjector(new DataEncModule(Path.of("/etc/myapp/dataenc.properties")));
 * PropertyCipher cipher = injector.getInstance(PropertyCipher.class);
 * String stored = cipher.encryptString(email, "Customer.email");
 * ...
 * injector.getInstance(DataEncService.class).close();   // on shutdown
 * }</pre>
 */
public final class DataEncModule extends AbstractModule {

    private final Path configFile;

    /** Wiring from this configuration file (see docs/CONFIGURATION.md). */
    public DataEncModule(Path configFile) {
        this.configFile = Objects.requireNonNull(configFile, "configFile");
    }

    @Provides
    @Singleton
    DataEncService service() {
        return DataEncService.start(configFile);
    }

    @Provides
    @Singleton
    PropertyCipher propertyCipher(DataEncService service) {
        return service.propertyCipher();
    }

    @Provides
    @Singleton
    BlobCipher blobCipher(DataEncService service) {
        return service.blobCipher();
    }

    @Provides
    @Singleton
    DeterministicCipher deterministicCipher(DataEncService service) {
        return service.deterministicCipher();
    }
}
