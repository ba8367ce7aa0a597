package dev.dataenc.cli;

import dev.dataenc.config.CipherType;

import java.util.List;

/**
 * What keystore-b of {@code dataenc demo} is: a {@code local} keystore file like keystores A and C, or one of the
 * optional modes, an {@code aws-kms} key, a key on a {@code pkcs11} token or an {@code azure-key-vault} key. Each
 * mode knows its configuration lines and how the demo describes it; credentials and PINs are never written.
 */
sealed interface KeystoreBMode {

    /** The keystore type. */
    String type();

    /**
     * The comment and settings (without the {@code dataenc.keystores.keystore-b.} prefix) written for keystore-b;
     * empty when it is written like keystores A and C.
     */
    List<String> configLines();

    /** The line saying what keystore-b is (empty for the default, a local file). */
    String description();

    /** Where keystore-b's master key is, as step 1 shows it after the key's summary. */
    String where();

    /** Whether the switch to keystore-b changes the cipher type platform &rarr; keystore. */
    default boolean keystoreCipher() {
        return CipherType.ofKeystoreType(type()) == CipherType.KEYSTORE;
    }

    /** The default: keystore-b is a local PKCS#12 file beside the configuration, like A and C. */
    record Local() implements KeystoreBMode {
        @Override
        public String type() {
            return "local";
        }

        @Override
        public List<String> configLines() {
            return List.of();
        }

        @Override
        public String description() {
            return "";
        }

        @Override
        public String where() {
            return " in keystore-b.p12";
        }
    }

    /**
     * An AWS KMS key; credentials from the AWS SDK's default chain (environment, system properties, profile, role).
     *
     * @param endpoint KMS endpoint URL
     * @param keyId    key id, key ARN, alias name or alias ARN
     * @param region   the key's region
     */
    record Kms(String endpoint, String keyId, String region) implements KeystoreBMode {
        @Override
        public String type() {
            return "aws-kms";
        }

        @Override
        public List<String> configLines() {
            return List.of("# an AWS KMS key; credentials come from the AWS SDK's default chain", "type=aws-kms",
                    "key-id=" + keyId, "region=" + region, "endpoint=" + endpoint);
        }

        @Override
        public String description() {
            return "keystore-b is an aws-kms keystore: key " + keyId + " at " + endpoint + " (region " + region
                    + ", credentials from the AWS SDK default chain)";
        }

        @Override
        public String where() {
            return " (aws-kms at " + endpoint + ")";
        }
    }

    /**
     * A non-extractable AES-256 key on a PKCS#11 token; the user PIN from {@link #PIN_ENV}.
     *
     * @param library    path of the token's PKCS#11 module
     * @param tokenLabel the token's label, or null when {@code slot} chooses it
     * @param slot       the slot id, or null when {@code tokenLabel} chooses the token
     * @param keyLabel   {@code CKA_LABEL} of the master key (created on the token by the demo when missing)
     */
    record Pkcs11(String library, String tokenLabel, Long slot, String keyLabel) implements KeystoreBMode {

        /** The environment variable the demo's pkcs11 keystore reads the user PIN from. */
        static final String PIN_ENV = "DATAENC_PKCS11_PIN";

        @Override
        public String type() {
            return "pkcs11";
        }

        @Override
        public List<String> configLines() {
            return List.of("# a key on a PKCS#11 token; the user PIN comes from $" + PIN_ENV, "type=pkcs11",
                    "library=" + library, tokenLabel != null ? "token-label=" + tokenLabel : "slot=" + slot,
                    "key-label=" + keyLabel, "pin-env=" + PIN_ENV);
        }

        @Override
        public String description() {
            return "keystore-b is a pkcs11 keystore: key '" + keyLabel + "' on " + token() + " of " + library
                    + " (user PIN from $" + PIN_ENV + ")";
        }

        @Override
        public String where() {
            return " (pkcs11 on " + token() + ")";
        }

        private String token() {
            return tokenLabel != null ? "token '" + tokenLabel + "'" : "slot " + slot;
        }
    }

    /**
     * An Azure Key Vault (or Managed HSM) key; credentials from the Azure SDK's default chain.
     *
     * @param vaultUrl {@code https://<vault>.vault.azure.net}
     * @param keyName  the key's name
     */
    record Azure(String vaultUrl, String keyName) implements KeystoreBMode {
        @Override
        public String type() {
            return "azure-key-vault";
        }

        @Override
        public List<String> configLines() {
            return List.of("# an Azure Key Vault key; credentials come from the Azure SDK's default chain",
                    "type=azure-key-vault", "vault-url=" + vaultUrl, "key-name=" + keyName);
        }

        @Override
        public String description() {
            return "keystore-b is an azure-key-vault keystore: key " + keyName + " in " + vaultUrl
                    + " (credentials from the Azure SDK default chain)";
        }

        @Override
        public String where() {
            return " (azure-key-vault " + vaultUrl + ")";
        }
    }
}
