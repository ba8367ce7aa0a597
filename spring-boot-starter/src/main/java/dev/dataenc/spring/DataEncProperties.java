package dev.dataenc.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code dataenc.*} properties of a Spring Boot application: the keys of dataenc's configuration file
 * ({@code docs/CONFIGURATION.md}), plus {@code dataenc.config-file}, {@code dataenc.base-dir} and
 * {@code dataenc.registry.use-application-datasource}. Values are passed to dataenc as text and validated by
 * dataenc's own rules (durations such as {@code 5m}), so a mistake gives the same message as in the file.
 */
@ConfigurationProperties(prefix = "dataenc")
public class DataEncProperties {

    /** Whether the starter creates the dataenc beans. */
    private boolean enabled = true;
    /** A dataenc configuration file to use instead of these properties; it is then watched for changes. */
    private String configFile;
    /** Directory that relative keystore paths resolve against; also holds the default H2 registry. Default: the working directory. */
    private String baseDir;
    /** Cipher type: platform (local keystore), custom (custom keystore) or keystore (external, e.g. aws-kms). */
    private String cipherType;
    /** Keystores by name: type and the type's settings, e.g. dataenc.keystores.primary.type=local. */
    private Map<String, Map<String, String>> keystores = new LinkedHashMap<>();
    private final Keystore keystore = new Keystore();
    private final Registry registry = new Registry();
    private final Cache cache = new Cache();
    private final Rotation rotation = new Rotation();
    private final Switch switchSettings = new Switch();
    private final Cluster cluster = new Cluster();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getConfigFile() {
        return configFile;
    }

    public void setConfigFile(String configFile) {
        this.configFile = configFile;
    }

    public String getBaseDir() {
        return baseDir;
    }

    public void setBaseDir(String baseDir) {
        this.baseDir = baseDir;
    }

    public String getCipherType() {
        return cipherType;
    }

    public void setCipherType(String cipherType) {
        this.cipherType = cipherType;
    }

    public Map<String, Map<String, String>> getKeystores() {
        return keystores;
    }

    public void setKeystores(Map<String, Map<String, String>> keystores) {
        this.keystores = keystores;
    }

    public Keystore getKeystore() {
        return keystore;
    }

    public Registry getRegistry() {
        return registry;
    }

    public Cache getCache() {
        return cache;
    }

    public Rotation getRotation() {
        return rotation;
    }

    public Switch getSwitch() {
        return switchSettings;
    }

    public Cluster getCluster() {
        return cluster;
    }

    /** {@code dataenc.keystore.*}. */
    public static class Keystore {
        /** Name of the keystore new CDKs are generated under. */
        private String active;
        /** Whether naming another active keystore than the registry's starts the guarded switch. */
        private Boolean switchOnFileChange;

        public String getActive() {
            return active;
        }

        public void setActive(String active) {
            this.active = active;
        }

        public Boolean getSwitchOnFileChange() {
            return switchOnFileChange;
        }

        public void setSwitchOnFileChange(Boolean switchOnFileChange) {
            this.switchOnFileChange = switchOnFileChange;
        }
    }

    /** {@code dataenc.registry.*}. */
    public static class Registry {
        /** Keep the CDK registry in the application's DataSource (tables dataenc_*) instead of its own database. */
        private boolean useApplicationDatasource;
        /** JDBC URL of the registry (jdbc:h2:file:... or jdbc:postgresql://...); default: an H2 file in the base directory. */
        private String url;
        /** Database user of the registry. */
        private String user;
        /** Database password of the registry (prefer password-env). */
        private String password;
        /** Name of the environment variable holding the registry password. */
        private String passwordEnv;
        /**
         * How long a registry call waits for a database connection before it fails (e.g. 5s, the default; 250ms to
         * 10m). Not used with use-application-datasource, where the application's pool decides.
         */
        private String connectTimeout;

        public String getConnectTimeout() {
            return connectTimeout;
        }

        public void setConnectTimeout(String connectTimeout) {
            this.connectTimeout = connectTimeout;
        }

        public boolean isUseApplicationDatasource() {
            return useApplicationDatasource;
        }

        public void setUseApplicationDatasource(boolean useApplicationDatasource) {
            this.useApplicationDatasource = useApplicationDatasource;
        }

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            this.url = url;
        }

        public String getUser() {
            return user;
        }

        public void setUser(String user) {
            this.user = user;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        public String getPasswordEnv() {
            return passwordEnv;
        }

        public void setPasswordEnv(String passwordEnv) {
            this.passwordEnv = passwordEnv;
        }
    }

    /** {@code dataenc.cache.*}. */
    public static class Cache {
        /** How long an unwrapped CDK stays cached, e.g. 5m. */
        private String maxAge;
        /** How many unwrapped CDKs are cached at most. */
        private String maxEntries;
        /** How often the ACTIVE CDK id is re-read from the registry, e.g. 30s. */
        private String activeRefresh;
        /** What to do with a CDK that has no key check value: warn, decrypt-only or refuse. */
        private String legacyCdks;

        public String getMaxAge() {
            return maxAge;
        }

        public void setMaxAge(String maxAge) {
            this.maxAge = maxAge;
        }

        public String getMaxEntries() {
            return maxEntries;
        }

        public void setMaxEntries(String maxEntries) {
            this.maxEntries = maxEntries;
        }

        public String getActiveRefresh() {
            return activeRefresh;
        }

        public void setActiveRefresh(String activeRefresh) {
            this.activeRefresh = activeRefresh;
        }

        public String getLegacyCdks() {
            return legacyCdks;
        }

        public void setLegacyCdks(String legacyCdks) {
            this.legacyCdks = legacyCdks;
        }
    }

    /** {@code dataenc.rotation.*}. */
    public static class Rotation {
        /** Maximum age of the ACTIVE CDK before rotation, e.g. 90d. */
        private String maxAge;
        /** Maximum number of encryptions under one CDK before rotation. */
        private String maxMessages;

        public String getMaxAge() {
            return maxAge;
        }

        public void setMaxAge(String maxAge) {
            this.maxAge = maxAge;
        }

        public String getMaxMessages() {
            return maxMessages;
        }

        public void setMaxMessages(String maxMessages) {
            this.maxMessages = maxMessages;
        }
    }

    /** {@code dataenc.switch.*}. */
    public static class Switch {
        /** Lease of a keystore-switch job, e.g. 30s. */
        private String lease;

        public String getLease() {
            return lease;
        }

        public void setLease(String lease) {
            this.lease = lease;
        }
    }

    /** {@code dataenc.cluster.*}. */
    public static class Cluster {
        /** After how many missed heartbeats a node shows as stale. */
        private String staleHeartbeats;
        /** After how long without a heartbeat a node's row is deleted, e.g. 1h. */
        private String nodeExpiry;

        public String getStaleHeartbeats() {
            return staleHeartbeats;
        }

        public void setStaleHeartbeats(String staleHeartbeats) {
            this.staleHeartbeats = staleHeartbeats;
        }

        public String getNodeExpiry() {
            return nodeExpiry;
        }

        public void setNodeExpiry(String nodeExpiry) {
            this.nodeExpiry = nodeExpiry;
        }
    }
}
