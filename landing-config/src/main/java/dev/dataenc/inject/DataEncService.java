package dev.dataenc.inject;

import dev.dataenc.config.ConfigListener;
import dev.dataenc.config.ConfigLoader;
import dev.dataenc.config.ConfigWatcher;
import dev.dataenc.config.DataEncConfig;
import dev.dataenc.config.DataEncConfigException;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.envelope.BlobCipher;
import dev.dataenc.envelope.DeterministicCipher;
import dev.dataenc.envelope.PropertyCipher;

import java.nio.file.Path;
import java.util.Objects;

/**
 * dataenc inside a host application: the control plane opened from a configuration file, kept in
 * line with the file while it changes (every {@code dataenc.reload.interval}). A changed active
 * keystore is a guarded keystore switch; a refused switch or an invalid file leaves the
 * configuration in force and is reported (log, audit trail, {@code dataenc status}).
 * Close it when the application stops.
 */
public final class DataEncService implements AutoCloseable {

    private final ControlPlane plane;
    /** Null when started from a configuration built in code. */
    private final ConfigWatcher watcher;

    /**
     * Starts from a configuration built in code ({@link dev.dataenc.config.DataEncSettings},
     * {@link ConfigLoader#fromMap}): the same as {@link #start(Path)} but with no file to watch, so the
     * configuration stays as given until the service is closed.
     *
     * @throws dev.dataenc.error.DataEncException if the registry or the active keystore cannot be opened
     */
    public static DataEncService start(DataEncConfig config) {
        Objects.requireNonNull(config, "config");
        return new DataEncService(ControlPlane.open(config, ControlPlane.Options.app()), null);
    }

    /**
     * As {@link #start(DataEncConfig)} with the CDK registry in the application's own database: its tables
     * ({@code dataenc_*}, history {@code dataenc_schema_history}) are migrated into {@code registry}, and
     * {@code config.registry()} is not used. The data source stays open when the service closes.
     *
     * @param config   the configuration
     * @param registry the application's data source (H2 or PostgreSQL)
     * @throws dev.dataenc.error.DataEncException if the registry or the active keystore cannot be opened
     */
    public static DataEncService start(DataEncConfig config, javax.sql.DataSource registry) {
        Objects.requireNonNull(config, "config");
        ControlPlane plane = ControlPlane.open(config, registry, "application DataSource", ControlPlane.Options.app());
        return new DataEncService(plane, null);
    }

    private DataEncService(ControlPlane plane, ConfigWatcher watcher) {
        this.plane = plane;
        this.watcher = watcher;
    }

    /**
     * Loads and validates the file, opens the control plane (resuming or starting a switch if the file
     * asks for one) and starts watching the file.
     *
     * @throws DataEncConfigException if the file is invalid
     * @throws dev.dataenc.error.DataEncException if the registry or the active keystore cannot be opened
     */
    public static DataEncService start(Path configFile) {
        return start(configFile, ControlPlane.Options.app());
    }

    /** As {@link #start(Path)} with the given options. */
    public static DataEncService start(Path configFile, ControlPlane.Options options) {
        Objects.requireNonNull(configFile, "configFile");
        DataEncConfig config = ConfigLoader.load(configFile);
        ControlPlane plane = ControlPlane.open(config, options);
        ConfigWatcher watcher = new ConfigWatcher(configFile, config.reloadInterval(), new ConfigListener() {
            @Override
            public void configChanged(DataEncConfig next) {
                plane.apply(next);
            }

            @Override
            public void configRejected(DataEncConfigException problem) {
                plane.reject(problem);
            }
        });
        try {
            watcher.start();
        } catch (RuntimeException e) {
            plane.close();
            throw e;
        }
        return new DataEncService(plane, watcher);
    }

    /** Encrypts property values (e.g. database columns) under the ACTIVE CDK. */
    public PropertyCipher propertyCipher() {
        return plane.propertyCipher();
    }

    /**
     * Deterministic (searchable) encryption of property values under the ACTIVE CDK, for columns that are queried by
     * equality: {@code encryptString(value, context)} always gives the same text for the same value, context and CDK,
     * and {@code lookupStrings(value, context)} gives the value's ciphertexts under every CDK still in use (ACTIVE and
     * DECRYPT_ONLY), so that {@code where email in (:candidates)} finds rows written before a rotation or a keystore
     * switch. It reveals which rows hold equal values: see "Deterministic encryption" in docs/JPA.md before using it.
     */
    public DeterministicCipher deterministicCipher() {
        return plane.deterministicCipher();
    }

    /** Encrypts BLOBs (streams of any size) under the ACTIVE CDK. */
    public BlobCipher blobCipher() {
        return plane.blobCipher();
    }

    /** The control plane, for status and admin operations. */
    public ControlPlane controlPlane() {
        return plane;
    }

    /** Stops watching the file and closes the control plane. */
    @Override
    public void close() {
        if (watcher != null) {
            watcher.close();
        }
        plane.close();
    }

    @Override
    public String toString() {
        return "DataEncService[" + plane + "]";
    }
}
