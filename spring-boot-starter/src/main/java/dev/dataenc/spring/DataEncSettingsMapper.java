package dev.dataenc.spring;

import dev.dataenc.config.ConfigLoader;

import java.util.LinkedHashMap;
import java.util.Map;

/** Turns {@link DataEncProperties} into the keys of dataenc's configuration file, for {@link ConfigLoader#fromMap}. */
final class DataEncSettingsMapper {

    private DataEncSettingsMapper() {
    }

    /** The {@code dataenc.*} file keys set in {@code p} (unset ones are left to dataenc's defaults). */
    static Map<String, String> toSettings(DataEncProperties p) {
        Map<String, String> m = new LinkedHashMap<>();
        put(m, ConfigLoader.CIPHER_TYPE, p.getCipherType());
        put(m, ConfigLoader.KEYSTORE_ACTIVE, p.getKeystore().getActive());
        put(m, ConfigLoader.SWITCH_ON_FILE_CHANGE, p.getKeystore().getSwitchOnFileChange());
        p.getKeystores().forEach((name, settings) ->
                settings.forEach((k, v) -> put(m, ConfigLoader.KEYSTORES_PREFIX + name + "." + k, v)));
        if (!p.getRegistry().isUseApplicationDatasource()) {
            put(m, ConfigLoader.REGISTRY_URL, p.getRegistry().getUrl());
            put(m, ConfigLoader.REGISTRY_USER, p.getRegistry().getUser());
            put(m, ConfigLoader.REGISTRY_PASSWORD, p.getRegistry().getPassword());
            put(m, ConfigLoader.REGISTRY_PASSWORD_ENV, p.getRegistry().getPasswordEnv());
            put(m, ConfigLoader.REGISTRY_CONNECT_TIMEOUT, p.getRegistry().getConnectTimeout());
        }
        put(m, ConfigLoader.CACHE_MAX_AGE, p.getCache().getMaxAge());
        put(m, ConfigLoader.CACHE_MAX_ENTRIES, p.getCache().getMaxEntries());
        put(m, ConfigLoader.CACHE_ACTIVE_REFRESH, p.getCache().getActiveRefresh());
        put(m, ConfigLoader.CACHE_LEGACY_CDKS, p.getCache().getLegacyCdks());
        put(m, ConfigLoader.ROTATION_MAX_AGE, p.getRotation().getMaxAge());
        put(m, ConfigLoader.ROTATION_MAX_MESSAGES, p.getRotation().getMaxMessages());
        put(m, ConfigLoader.SWITCH_LEASE, p.getSwitch().getLease());
        put(m, ConfigLoader.CLUSTER_STALE_HEARTBEATS, p.getCluster().getStaleHeartbeats());
        put(m, ConfigLoader.CLUSTER_NODE_EXPIRY, p.getCluster().getNodeExpiry());
        return m;
    }

    private static void put(Map<String, String> m, String key, Object value) {
        if (value != null) {
            m.put(key, value.toString());
        }
    }
}
