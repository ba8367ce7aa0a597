package dev.dataenc.control;

import dev.dataenc.error.DataEncException;
import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.Keystores;
import dev.dataenc.keystore.MasterKeyDescription;
import dev.dataenc.keystore.MasterKeyState;
import dev.dataenc.keystore.Wrapping;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The configured keystores, opened. A keystore that cannot be opened (wrong password, custom
 * cipher class not on the class path, unknown type) is kept as a failure with its reason, so
 * guards can explain what it would strand instead of the whole control plane failing.
 */
public final class KeystoreSet implements AutoCloseable {

    private final Map<String, KeystoreSettings> settings;
    private final Map<String, Keystore> open;
    private final Map<String, DataEncException> failed;
    private final Map<String, MasterKeyDescription> described = new ConcurrentHashMap<>();

    private KeystoreSet(Map<String, KeystoreSettings> settings, Map<String, Keystore> open,
                        Map<String, DataEncException> failed) {
        this.settings = settings;
        this.open = open;
        this.failed = failed;
    }

    /** Opens every configured keystore; failures are recorded, not thrown. */
    public static KeystoreSet open(Map<String, KeystoreSettings> configured) {
        Map<String, Keystore> open = new LinkedHashMap<>();
        Map<String, DataEncException> failed = new LinkedHashMap<>();
        configured.forEach((name, s) -> {
            try {
                open.put(name, Keystores.create(s));
            } catch (DataEncException e) {
                failed.put(name, e);
            } catch (RuntimeException | LinkageError e) {
                failed.put(name, new DataEncException(s.describe() + " cannot be opened: " + e, e));
            }
        });
        return new KeystoreSet(Collections.unmodifiableMap(new LinkedHashMap<>(configured)),
                Collections.unmodifiableMap(open), Collections.unmodifiableMap(failed));
    }

    /** Every configured keystore's settings by name. */
    public Map<String, KeystoreSettings> settings() {
        return settings;
    }

    /** True if a keystore of this name is configured (opened or not). */
    public boolean isConfigured(String name) {
        return settings.containsKey(name);
    }

    /** The opened keystore of this name. */
    public Optional<Keystore> get(String name) {
        return Optional.ofNullable(open.get(name));
    }

    /** The opened keystores, in configuration order. */
    public Collection<Keystore> opened() {
        return open.values();
    }

    /** Why a configured keystore could not be opened, if it could not. */
    public Optional<DataEncException> failure(String name) {
        return Optional.ofNullable(failed.get(name));
    }

    /** The keystores that could not be opened, with their reasons. */
    public Map<String, DataEncException> failures() {
        return failed;
    }

    /**
     * The master key description of an opened keystore (asked once per set, then remembered), or a
     * description in state UNAVAILABLE/NOT_FOUND when it is not open.
     */
    public MasterKeyDescription describe(String name) {
        return described.computeIfAbsent(name, n -> {
            Keystore ks = open.get(n);
            if (ks == null) {
                DataEncException why = failed.get(n);
                return new MasterKeyDescription(n, "?", "", why == null ? MasterKeyState.NOT_FOUND : MasterKeyState.UNAVAILABLE,
                        why == null ? "not configured" : "cannot be opened: " + why.getMessage());
            }
            try {
                return ks.describe();
            } catch (RuntimeException e) {
                return new MasterKeyDescription(n, "?", "", MasterKeyState.UNREACHABLE, e.getMessage());
            }
        });
    }

    /** Forgets remembered master key descriptions (they are asked again). */
    public void refreshDescriptions() {
        described.clear();
    }

    /**
     * The opened keystores able to unwrap this wrapping right now: they claim it and their master
     * key is ENABLED.
     */
    public List<Keystore> usableFor(Wrapping wrapping) {
        List<Keystore> usable = new ArrayList<>();
        for (Keystore ks : open.values()) {
            if (ks.canUnwrap(wrapping) && describe(ks.name()).state() == MasterKeyState.ENABLED) {
                usable.add(ks);
            }
        }
        return usable;
    }

    @Override
    public void close() {
        for (Keystore ks : open.values()) {
            try {
                ks.close();
            } catch (RuntimeException ignored) {
                // closing is best effort; nothing to lose
            }
        }
    }

    @Override
    public String toString() {
        return "KeystoreSet[open=" + open.keySet() + ", failed=" + failed.keySet() + "]";
    }
}
