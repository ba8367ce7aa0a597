package dev.dataenc.kms;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.error.WrappedKeyException;
import dev.dataenc.keystore.DataKey;
import dev.dataenc.keystore.GeneratedDataKey;
import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.MasterKeyAdmin;
import dev.dataenc.keystore.MasterKeyDescription;
import dev.dataenc.keystore.MasterKeyState;
import dev.dataenc.keystore.ReWrapper;
import dev.dataenc.keystore.Wrapping;
import dev.dataenc.kms.KmsErrors.KeyRef;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.EncryptResponse;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.ReEncryptResponse;

/**
 * The {@code aws-kms} keystore: CDKs wrapped by a symmetric AWS KMS key, through the AWS SDK for Java v2.
 *
 * <h2>Settings</h2>
 * <ul>
 *   <li>{@code key-id} (required): key id, key ARN, alias name ({@code alias/NAME}) or alias ARN of a symmetric
 *       encryption key. An alias is resolved by KMS on every new wrapping; wrappings record the resolved key ARN.</li>
 *   <li>{@code region} (required): the key's region.</li>
 *   <li>{@code endpoint}: endpoint override (VPC or FIPS endpoint, a test server).</li>
 *   <li>{@code access-key-id}, {@code secret-access-key}, {@code session-token}: static credentials; without them the
 *       SDK's default chain (environment, system properties, profile, web identity, container, instance).</li>
 *   <li>{@code api-timeout} (30s), {@code api-call-attempt-timeout} (5s), {@code connect-timeout} (2s): durations
 *       such as {@code 500ms}, {@code 30s} or {@code PT30S}.</li>
 *   <li>{@code max-attempts} (3), {@code retry-base-delay} (100ms), {@code throttling-base-delay} (1s),
 *       {@code max-backoff} (20s): the SDK's standard retry strategy with full-jitter exponential backoff.</li>
 * </ul>
 *
 * <h2>KMS calls</h2>
 * <ul>
 *   <li>{@link #generateDataKey}: {@code GenerateDataKey} with {@code KeySpec=AES_256}.</li>
 *   <li>{@link #unwrap}: {@code Decrypt} with {@code KeyId} pinned to the wrapping's key ARN, so KMS never
 *       decrypts with a key other than the one recorded.</li>
 *   <li>{@link #wrap}: {@code Encrypt} (a CDK that came from another keystore).</li>
 *   <li>{@link #rewrap}/{@link #rewrapFrom}: {@code ReEncrypt} from another KMS key of the same account and region;
 *       the plaintext CDK never leaves KMS.</li>
 *   <li>{@link #describe()}: {@code DescribeKey}, plus {@code DescribeCustomKeyStores} for keys in a custom key store.</li>
 * </ul>
 * Every call carries the encryption context <code>{"dataenc:cdk-id": "&lt;CDK id&gt;"}</code>, so a wrapped key copied
 * to another CDK fails to decrypt ({@link WrappedKeyException}), and CloudTrail shows which CDK each call was for.
 * {@link Wrapping#masterKeyVersion()} is always empty: KMS keeps the backing keys of a rotated key itself.
 *
 * <h2>Which wrappings it unwraps</h2>
 * {@link #canUnwrap} is true for a wrapping of this keystore name whose master key id is a KMS key ARN in this
 * keystore's region (so after {@code key-id}'s alias moves to a new key, wrappings under the old key still
 * unwrap), and for a wrapping under exactly the key this keystore currently uses, whatever keystore name made it.
 * Wrappings of other aws-kms keystores under other keys are not unwrapped here; move them with {@link #rewrapFrom}.
 *
 * <h2>Errors</h2>
 * See {@link KmsErrors}: key states become {@link dev.dataenc.error.KeystoreUnavailableException} with the
 * state and KMS's remedy, bad wrapped keys {@link WrappedKeyException}, throttling and network failures (after the
 * retries) {@code KeystoreUnavailableException} with state {@link MasterKeyState#UNREACHABLE}.
 *
 * <p>{@link MasterKeyAdmin} drives {@code DisableKey}, {@code EnableKey} and {@code RotateKeyOnDemand}; it needs
 * those IAM permissions and is meant for tests and administrators, not for the data plane. Thread-safe. Plaintext
 * key bytes received from the SDK are copied into a {@link DataKey} and the SDK's buffers zeroed.
 */
public final class AwsKmsKeystore implements Keystore, MasterKeyAdmin, ReWrapper {

    /** The type name in configuration. */
    public static final String TYPE = "aws-kms";
    /** The encryption context key that binds each KMS ciphertext to its CDK id. */
    public static final String CONTEXT_KEY = "dataenc:cdk-id";

    private static final Logger LOG = LoggerFactory.getLogger(AwsKmsKeystore.class);

    private final AwsKmsSettings settings;
    private final KmsClient client;
    private final KmsKeyInspector inspector;
    private final KmsErrors errors;
    private final Optional<KeyArn> configuredArn;
    /** The key ARN {@code key-id} resolved to at the last call that told us; null until then. */
    private volatile String currentKeyArn;

    private AwsKmsKeystore(AwsKmsSettings settings, KmsClient client) {
        this.settings = settings;
        this.client = client;
        this.inspector = new KmsKeyInspector(client, settings.keystoreName());
        this.errors = new KmsErrors(settings.keystoreName(), settings, inspector::describe);
        this.configuredArn = KeyArn.parse(settings.keyId());
        this.currentKeyArn = configuredArn.filter(KeyArn::isKey).map(KeyArn::toString).orElse(null);
    }

    /**
     * Creates the keystore from its settings. Makes no KMS call: an unreachable KMS or a bad key shows at the
     * first use or {@link #describe()}.
     *
     * @throws dev.dataenc.error.KeystoreConfigurationException naming the setting that is missing or wrong
     */
    public static AwsKmsKeystore open(KeystoreSettings settings) {
        AwsKmsSettings s = AwsKmsSettings.parse(settings);
        return new AwsKmsKeystore(s, KmsClientFactory.create(s));
    }

    @Override
    public String name() {
        return settings.keystoreName();
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** The parsed settings. */
    public AwsKmsSettings settings() {
        return settings;
    }

    @Override
    public GeneratedDataKey generateDataKey(CdkId cdkId) {
        GenerateDataKeyResponse r = call("GenerateDataKey", "new CDK " + cdkId, ownKey(), () ->
                client.generateDataKey(b -> b.keyId(settings.keyId()).keySpec(DataKeySpec.AES_256)
                        .encryptionContext(context(cdkId))));
        DataKey key = takeKey(cdkId, r.plaintext(), "GenerateDataKey");
        try {
            return new GeneratedDataKey(key, wrapping(r.keyId(), r.ciphertextBlob()));
        } catch (RuntimeException e) {
            key.destroy();
            throw e;
        }
    }

    @Override
    public Wrapping wrap(DataKey key) {
        byte[] plain = key.getEncoded();
        try {
            EncryptResponse r = call("Encrypt", "wrap of CDK " + key.cdkId(), ownKey(), () ->
                    client.encrypt(b -> b.keyId(settings.keyId()).plaintext(SdkBytes.fromByteArrayUnsafe(plain))
                            .encryptionContext(context(key.cdkId()))));
            return wrapping(r.keyId(), r.ciphertextBlob());
        } finally {
            DataKey.zeroize(plain);
        }
    }

    @Override
    public DataKey unwrap(CdkId cdkId, Wrapping wrapping) {
        if (!canUnwrap(wrapping)) {
            throw new IllegalArgumentException("wrapping of keystore '" + wrapping.keystoreName() + "' master key '"
                    + wrapping.masterKeyId() + "' given to aws-kms keystore '" + name() + "' (key-id '"
                    + settings.keyId() + "', region " + settings.region() + "); choose the keystore with canUnwrap");
        }
        byte[] blob = wrapping.wrappedKey();
        if (blob.length == 0) {
            throw new WrappedKeyException("aws-kms keystore '" + name() + "': the wrapping of CDK " + cdkId + " is empty");
        }
        String arn = wrapping.masterKeyId();
        DecryptResponse r = call("Decrypt", "unwrap of CDK " + cdkId, List.of(new KeyRef(name(), arn)), () ->
                client.decrypt(b -> b.keyId(arn).ciphertextBlob(SdkBytes.fromByteArrayUnsafe(blob))
                        .encryptionContext(context(cdkId))));
        DataKey key = takeKey(cdkId, r.plaintext(), "Decrypt");
        if (!arn.equals(r.keyId())) {
            key.destroy();
            throw new WrappedKeyException("aws-kms keystore '" + name() + "': KMS decrypted CDK " + cdkId + " with key "
                    + r.keyId() + " but the wrapping names " + arn);
        }
        return key;
    }

    /**
     * Re-wraps a wrapping made under another KMS key (another aws-kms keystore, or this keystore's previous key)
     * under this keystore's key with {@code ReEncrypt}; the plaintext CDK never leaves KMS. Needs
     * {@code kms:ReEncryptFrom} on the source key and {@code kms:ReEncryptTo} on this keystore's key.
     *
     * @throws IllegalArgumentException if the source's master key id is not a KMS key ARN in this region
     * @throws dev.dataenc.error.KeystoreUnavailableException if either key is unusable (blaming the one that is)
     * @throws WrappedKeyException if the source does not decrypt for {@code cdkId}
     */
    public Wrapping rewrap(CdkId cdkId, Wrapping source) {
        if (!sameRegion(source.masterKeyId())) {
            throw new IllegalArgumentException("aws-kms keystore '" + name() + "' can only ReEncrypt from KMS keys in region "
                    + settings.region() + ", not from master key '" + source.masterKeyId() + "' of keystore '"
                    + source.keystoreName() + "'; unwrap it there and wrap it here instead");
        }
        byte[] blob = source.wrappedKey();
        List<KeyRef> keys = List.of(new KeyRef(source.keystoreName(), source.masterKeyId()), new KeyRef(name(), settings.keyId()));
        ReEncryptResponse r = call("ReEncrypt", "re-wrap of CDK " + cdkId + " from " + source.masterKeyId(), keys, () ->
                client.reEncrypt(b -> b.ciphertextBlob(SdkBytes.fromByteArrayUnsafe(blob))
                        .sourceKeyId(source.masterKeyId()).sourceEncryptionContext(context(cdkId))
                        .destinationKeyId(settings.keyId()).destinationEncryptionContext(context(cdkId))));
        return wrapping(r.keyId(), r.ciphertextBlob());
    }

    /**
     * {@link #rewrap} when the source wrapping's master key is a KMS key ARN in this keystore's partition, region
     * and (once known) account; empty otherwise (for example a {@code local} keystore's wrapping).
     */
    @Override
    public Optional<Wrapping> rewrapFrom(CdkId id, Wrapping wrapping) {
        Optional<KeyArn> source = KeyArn.parse(wrapping.masterKeyId()).filter(KeyArn::isKey);
        Optional<KeyArn> own = Optional.ofNullable(currentKeyArn).flatMap(KeyArn::parse).or(() -> configuredArn);
        boolean reachable = source.isPresent() && source.get().region().equals(settings.region())
                && own.map(o -> o.sameAccountAndRegion(source.get())).orElse(true);
        return reachable ? Optional.of(rewrap(id, wrapping)) : Optional.empty();
    }

    @Override
    public boolean canUnwrap(Wrapping wrapping) {
        String arn = wrapping.masterKeyId();
        return (name().equals(wrapping.keystoreName()) && sameRegion(arn)) || arn.equals(currentKeyArn);
    }

    private boolean sameRegion(String masterKeyId) {
        return KeyArn.parse(masterKeyId).filter(a -> a.isKey() && a.region().equals(settings.region())).isPresent();
    }

    @Override
    public MasterKeyDescription describe() {
        MasterKeyDescription d = inspector.describe(settings.keyId());
        if (d.masterKeyId().startsWith("arn:")) {
            currentKeyArn = d.masterKeyId();
        }
        return d;
    }

    /** {@code RotateKeyOnDemand}: KMS adds new key material; old wrappings still unwrap. Returns the description. */
    @Override
    public MasterKeyDescription rotateMasterKey() {
        String arn = resolvedKeyArn();
        call("RotateKeyOnDemand", "rotation of the master key", List.of(new KeyRef(name(), arn)),
                () -> client.rotateKeyOnDemand(b -> b.keyId(arn)));
        return describe();
    }

    /** {@code DisableKey} on the resolved key. */
    @Override
    public void disableMasterKey() {
        String arn = resolvedKeyArn();
        call("DisableKey", "disable the master key", List.of(new KeyRef(name(), arn)), () -> client.disableKey(b -> b.keyId(arn)));
    }

    /** {@code EnableKey} on the resolved key. */
    @Override
    public void enableMasterKey() {
        String arn = resolvedKeyArn();
        call("EnableKey", "enable the master key", List.of(new KeyRef(name(), arn)), () -> client.enableKey(b -> b.keyId(arn)));
    }

    /** The key ARN that {@code key-id} names now ({@code DescribeKey}); admin operations take no aliases. */
    private String resolvedKeyArn() {
        String arn = call("DescribeKey", "resolve " + settings.keyId(), ownKey(),
                () -> client.describeKey(b -> b.keyId(settings.keyId()))).keyMetadata().arn();
        currentKeyArn = arn;
        return arn;
    }

    private List<KeyRef> ownKey() {
        return List.of(new KeyRef(name(), settings.keyId()));
    }

    private <T> T call(String operation, String what, List<KeyRef> keys, Supplier<T> call) {
        try {
            T result = call.get();
            LOG.debug("aws-kms keystore '{}': {} ({}) done", name(), operation, what);
            return result;
        } catch (SdkException e) {
            RuntimeException mapped = errors.map(operation, what, keys, e);
            LOG.debug("aws-kms keystore '{}': {} ({}) failed: {}", name(), operation, what, mapped.getMessage());
            throw mapped;
        }
    }

    private Wrapping wrapping(String keyArn, SdkBytes blob) {
        Objects.requireNonNull(keyArn, "KMS returned no KeyId");
        currentKeyArn = keyArn;
        return new Wrapping(name(), keyArn, "", blob.asByteArrayUnsafe());
    }

    /** Copies the plaintext into a DataKey and zeroes the SDK's buffer. */
    private DataKey takeKey(CdkId cdkId, SdkBytes plaintext, String operation) {
        byte[] plain = plaintext == null ? new byte[0] : plaintext.asByteArrayUnsafe();
        try {
            if (plain.length != DataKey.LENGTH) {
                throw new WrappedKeyException("aws-kms keystore '" + name() + "': " + operation + " returned "
                        + plain.length + " key bytes for CDK " + cdkId + ", expected " + DataKey.LENGTH);
            }
            return DataKey.copyOf(cdkId, plain);
        } finally {
            DataKey.zeroize(plain);
        }
    }

    static Map<String, String> context(CdkId cdkId) {
        return Map.of(CONTEXT_KEY, cdkId.toString());
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return "AwsKmsKeystore[name=" + name() + ", key-id=" + settings.keyId() + ", region=" + settings.region()
                + settings.endpoint().map(e -> ", endpoint=" + e).orElse("") + "]";
    }
}
