package dev.dataenc.config;

import dev.dataenc.envelope.CacheLimits;
import dev.dataenc.keystore.KeystoreSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The data-encryption configuration, validated: which cipher type and keystore are active, every
 * named keystore with its settings, the CDK rotation policy, cache limits, the registry, and the
 * control-plane timings. Read it with {@link ConfigLoader}; every key is documented in
 * {@code docs/CONFIGURATION.md}.
 *
 * @param source         the file it was read from, or {@code null} when built in code
 * @param cipherType     the active cipher type; always matches the active keystore's type
 * @param activeKeystore name of the keystore new CDKs are generated under
 * @param keystores      every configured keystore by name (in file order); contains {@code activeKeystore}
 * @param registry       the CDK registry database
 * @param cache          limits of the CDK cache
 * @param rotation       CDK rotation policy
 * @param reloadInterval how often the file is checked for changes
 * @param switchLease    how long a keystore-switch job may go without a heartbeat before another process takes it over
 * @param cluster        how this node takes part in a cluster (file-change switches, stale and expired nodes)
 */
public record DataEncConfig(Path source, CipherType cipherType, String activeKeystore,
                            Map<String, KeystoreSettings> keystores, RegistrySettings registry, CacheLimits cache,
                            RotationPolicy rotation, Duration reloadInterval, Duration switchLease,
                            ClusterSettings cluster) {

    /** Default interval between checks of the configuration file. */
    public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(10);
    /** Default lease of a switch job. */
    public static final Duration DEFAULT_SWITCH_LEASE = Duration.ofSeconds(30);

    public DataEncConfig {
        Objects.requireNonNull(cipherType, "cipherType");
        Objects.requireNonNull(activeKeystore, "activeKeystore");
        keystores = Collections.unmodifiableMap(new LinkedHashMap<>(keystores));
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(cache, "cache");
        Objects.requireNonNull(rotation, "rotation");
        Objects.requireNonNull(reloadInterval, "reloadInterval");
        Objects.requireNonNull(switchLease, "switchLease");
        Objects.requireNonNull(cluster, "cluster");
        KeystoreSettings active = keystores.get(activeKeystore);
        if (active == null) {
            throw new IllegalArgumentException("active keystore '" + activeKeystore + "' is not among the configured keystores "
                    + keystores.keySet());
        }
        if (CipherType.ofKeystoreType(active.type()) != cipherType) {
            throw new IllegalArgumentException("cipher type " + cipherType + " does not match the active keystore '"
                    + activeKeystore + "' of type " + active.type());
        }
    }

    /** A configuration with the default {@link ClusterSettings}. */
    public DataEncConfig(Path source, CipherType cipherType, String activeKeystore, Map<String, KeystoreSettings> keystores,
                         RegistrySettings registry, CacheLimits cache, RotationPolicy rotation, Duration reloadInterval,
                         Duration switchLease) {
        this(source, cipherType, activeKeystore, keystores, registry, cache, rotation, reloadInterval, switchLease,
                ClusterSettings.defaults());
    }

    /** This configuration with other cluster settings. */
    public DataEncConfig withCluster(ClusterSettings c) {
        return new DataEncConfig(source, cipherType, activeKeystore, keystores, registry, cache, rotation, reloadInterval,
                switchLease, c);
    }

    /** The active keystore's settings. */
    public KeystoreSettings activeKeystoreSettings() {
        return keystores.get(activeKeystore);
    }

    /** This configuration with another active keystore (and the cipher type that keystore's type implies). */
    public DataEncConfig withActiveKeystore(String name) {
        KeystoreSettings s = keystores.get(name);
        if (s == null) {
            throw new IllegalArgumentException("keystore '" + name + "' is not configured; configured: " + keystores.keySet());
        }
        return new DataEncConfig(source, CipherType.ofKeystoreType(s.type()), name, keystores, registry, cache, rotation,
                reloadInterval, switchLease, cluster);
    }
}
