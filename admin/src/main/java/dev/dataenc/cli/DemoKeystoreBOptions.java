package dev.dataenc.cli;

import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options of {@code dataenc demo} that make keystore-b an {@code aws-kms}, {@code pkcs11} or
 * {@code azure-key-vault} keystore instead of a local file; at most one of these modes at a time.
 */
final class DemoKeystoreBOptions {

    @Option(names = "--kms-endpoint", paramLabel = "<url>",
            description = "Make keystore-b an aws-kms keystore at this KMS endpoint (e.g. a test server or a VPC"
                    + " endpoint); credentials from the AWS SDK default chain (e.g. AWS_ACCESS_KEY_ID and"
                    + " AWS_SECRET_ACCESS_KEY). Needs --kms-key-id.")
    private String kmsEndpoint;

    @Option(names = "--kms-key-id", paramLabel = "<id|arn|alias>",
            description = "The KMS key of keystore-b: key id, key ARN, alias name (alias/NAME) or alias ARN.")
    private String kmsKeyId;

    @Option(names = "--kms-region", paramLabel = "<region>", defaultValue = "us-east-1",
            description = "Region of the KMS key (default: ${DEFAULT-VALUE}).")
    private String kmsRegion;

    @Option(names = "--pkcs11-library", paramLabel = "<path>",
            description = "Make keystore-b a pkcs11 keystore on a token of this PKCS#11 module (e.g."
                    + " /usr/lib/softhsm/libsofthsm2.so), the user PIN from $" + KeystoreBMode.Pkcs11.PIN_ENV
                    + ". Needs --pkcs11-token-label or --pkcs11-slot, and --pkcs11-key-label.")
    private String pkcs11Library;

    @Option(names = "--pkcs11-token-label", paramLabel = "<label>", description = "The token's label.")
    private String pkcs11TokenLabel;

    @Option(names = "--pkcs11-slot", paramLabel = "<id>", description = "The token's slot id.")
    private Long pkcs11Slot;

    @Option(names = "--pkcs11-key-label", paramLabel = "<label>",
            description = "Label of keystore-b's master key on the token; the demo creates it there"
                    + " (as dataenc keystore create does) when the token has no key with this label.")
    private String pkcs11KeyLabel;

    @Option(names = "--azure-vault-url", paramLabel = "<https url>",
            description = "Make keystore-b an azure-key-vault keystore in this vault (https://<vault>.vault.azure.net);"
                    + " credentials from the Azure SDK default chain. Needs --azure-key-name.")
    private String azureVaultUrl;

    @Option(names = "--azure-key-name", paramLabel = "<name>", description = "The Key Vault key of keystore-b.")
    private String azureKeyName;

    /** Keystore-b's mode from the options; a usage error for two modes at once or an incomplete one. */
    KeystoreBMode mode(CommandLine cmd) {
        List<String> chosen = new ArrayList<>();
        if (kmsEndpoint != null) {
            chosen.add("--kms-endpoint");
        }
        if (pkcs11Library != null) {
            chosen.add("--pkcs11-library");
        }
        if (azureVaultUrl != null) {
            chosen.add("--azure-vault-url");
        }
        if (chosen.size() > 1) {
            throw new ParameterException(cmd, "keystore-b is one keystore: give only one of --kms-endpoint,"
                    + " --pkcs11-library and --azure-vault-url (got " + String.join(" and ", chosen) + ")");
        }
        require(cmd, kmsEndpoint != null || kmsKeyId == null, "--kms-key-id needs --kms-endpoint <url>");
        require(cmd, pkcs11Library != null || (pkcs11TokenLabel == null && pkcs11Slot == null && pkcs11KeyLabel == null),
                "--pkcs11-token-label, --pkcs11-slot and --pkcs11-key-label need --pkcs11-library <path>");
        require(cmd, azureVaultUrl != null || azureKeyName == null, "--azure-key-name needs --azure-vault-url <https url>");
        if (kmsEndpoint != null) {
            require(cmd, present(kmsKeyId), "--kms-endpoint needs --kms-key-id <key id, ARN or alias>");
            return new KeystoreBMode.Kms(kmsEndpoint, kmsKeyId, kmsRegion);
        }
        if (pkcs11Library != null) {
            require(cmd, present(pkcs11TokenLabel) ^ (pkcs11Slot != null),
                    "--pkcs11-library needs exactly one of --pkcs11-token-label <label> and --pkcs11-slot <id>");
            require(cmd, present(pkcs11KeyLabel), "--pkcs11-library needs --pkcs11-key-label <label>");
            require(cmd, System.getenv(KeystoreBMode.Pkcs11.PIN_ENV) != null,
                    "--pkcs11-library needs the token's user PIN in the environment variable "
                            + KeystoreBMode.Pkcs11.PIN_ENV);
            return new KeystoreBMode.Pkcs11(pkcs11Library, pkcs11TokenLabel, pkcs11Slot, pkcs11KeyLabel);
        }
        if (azureVaultUrl != null) {
            require(cmd, azureVaultUrl.startsWith("https://"), "--azure-vault-url must be an https URL"
                    + " (https://<vault>.vault.azure.net)");
            require(cmd, present(azureKeyName), "--azure-vault-url needs --azure-key-name <name>");
            return new KeystoreBMode.Azure(azureVaultUrl, azureKeyName);
        }
        return new KeystoreBMode.Local();
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    private static void require(CommandLine cmd, boolean ok, String message) {
        if (!ok) {
            throw new ParameterException(cmd, message);
        }
    }
}
