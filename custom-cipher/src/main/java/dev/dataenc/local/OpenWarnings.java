package dev.dataenc.local;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warnings about a {@code local} keystore file that opens but falls short of what dataenc creates today: a
 * password shorter than 12 characters, a file protected with fewer than 600,000 iterations, or the deprecated
 * setting {@code create=true}. Each is logged once per file per JVM (never the password itself).
 */
final class OpenWarnings {

    private static final Logger LOG = LoggerFactory.getLogger(LocalKeystore.class);
    private static final Set<String> SHOWN = ConcurrentHashMap.newKeySet();

    private OpenWarnings() {
    }

    static void check(String keystore, LocalKeystoreConfig config, Path file, MasterKeySet keys) {
        if (config.shortPassword() && SHOWN.add("password " + file)) {
            LOG.warn("local keystore '{}': the password of {} (from {}) is shorter than {} characters; new files need"
                    + " at least that. Create a new keystore with a longer password and switch to it.", keystore, file,
                    config.passwordOrigin, Pkcs12Protection.MIN_PASSWORD_LENGTH);
        }
        if (keys.weakProtection() && SHOWN.add("iterations " + file)) {
            LOG.warn("local keystore '{}': {} is protected with {} iterations (dataenc writes {} now); it is upgraded at"
                    + " its next change, e.g. `dataenc keystore rotate-master-key {}`.", keystore, file, keys.macIterations(),
                    Pkcs12Protection.ITERATIONS, keystore);
        }
        if (config.createRequested && SHOWN.add("create " + file)) {
            LOG.warn("local keystore '{}': setting 'create' is deprecated and has no effect: opening never creates a"
                    + " master key; create one with `dataenc keystore create {}`. Remove the setting.", keystore, keystore);
        }
    }
}
