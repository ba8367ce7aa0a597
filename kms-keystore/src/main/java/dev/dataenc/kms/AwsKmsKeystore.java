package dev.dataenc.kms;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.error.DataEncException;
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

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
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
 *       encryption key. Resolved to its key ARN once per keystore instance (see below).</li>
 *   <li>{@code region}: the key's region; default the region of a {@code key-id} ARN, else the SDK's region chain
 *       ({@code AWS_REGION}, {@code aws.region}, profile).</li>
 *   <li>{@code endpoint}: endpoint override (VPC or FIPS endpoint, a test server); {@code http://} only for
 *       loopback hosts.</li>
 *   <li>{@code former-key-arns}: comma-separated key ARNs (same account and region) whose wrappings this keystore
 *       still unwraps and re-encrypts from, e.g. the key an alias named before it moved.</li>
 *   <li>{@code access-key-id}, {@code secret-access-key}, {@code session-token}: static credentials; without them the
 *       SDK's default chain (environment, system properties, web identity, profile including SSO, container,
 *       instance).</li>
 *   <li>{@code api-timeout} (30s), {@code api-call-attempt-timeout} (5s), {@code connect-timeout} (2s): durations
 *       such as {@code 500ms}, {@code 30s} or {@code PT30S}.</li>
 *   <li>{@code max-attempts} (3), {@code retry-base-delay} (100ms), {@code throttling-base-delay} (1s),
 *       {@code max-backoff} (20s): the SDK's standard retry strategy with full-jitter exponential backoff.</li>
 *   <li>{@code failure-cache-ttl} (5s, {@code 0} = off): how long a failed unwrap is remembered (see below).</li>
 * </ul>
 *
 * <h2>KMS calls</h2>
 * <ul>
 *   <li>{@link #generateDataKey}: {@code GenerateDataKey} with {@code KeySpec=AES_256} under the pinned key ARN.</li>
 *   <li>{@link #unwrap}: {@code Decrypt} with {@code KeyId} pinned to the wrapping's key ARN, so KMS never
 *       decrypts with a key other than the one recorded, and only for an accepted key.</li>
 *   <li>{@link #wrap}: {@code Encrypt} (a CDK that came from another keystore).</li>
 *   <li>{@link #rewrap}/{@link #rewrapFrom}: {@code ReEncrypt} from an accepted former key to the pinned key; the
 *       plaintext CDK never leaves KMS.</li>
 *   <li>{@link #describe()}: {@code DescribeKey}, plus {@code DescribeCustomKeyStores} for keys in a custom key store.</li>
 * </ul>
 * Every call carries the encryption context <code>{"dataenc:cdk-id": "&lt;CDK id&gt;"}</code>, so a wrapped key copied
 * to another CDK fails to decrypt ({@link WrappedKeyException}), and CloudTrail shows which CDK each call was for.
 * {@link Wrapping#masterKeyVersion()} is always empty: KMS keeps the backing keys of a rotated key itself.
 *
 * <h2>Which wrappings it unwraps</h2>
 * Only wrappings under the configured key's ARN, as resolved once when the keystore first needs it (no call for a
 * key ARN, one {@code DescribeKey} for a key id or alias), and under the ARNs listed in {@code former-key-arns};
 * always of the same partition, region and account. The keystore name recorded in the wrapping does not matter.
 * Anything else is refused with {@link UnacceptedKeyException} before any KMS call, by {@link #unwrap} and
 * {@link #rewrap}; {@link #rewrapFrom} returns empty for it. A registry writer therefore cannot make applications
 * use a CDK wrapped under a key the writer controls. See {@link KeyPin}.
 *
 * <h2>Errors</h2>
 * See {@link KmsErrors}: key states become {@link dev.dataenc.error.KeystoreUnavailableException} with the
 * state and KMS's remedy, bad wrapped keys {@link WrappedKeyException}, throttling and network failures (after the
 * retries) {@code KeystoreUnavailableException}. A failed unwrap is remembered per wrapping for
 * {@code failure-cache-ttl} (doubling while it keeps failing, at most 8 times) and rethrown without a KMS call, so an
 * outage costs O(CDKs) KMS calls, not O(records); {@link #describe()} reporting the key usable, or
 * {@link #enableMasterKey()}, forgets the failures.
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
    private static final String RESOLVE = "resolve key-id";

    private final AwsKmsSettings settings;
    private final KmsClient client;
    private final KmsKeyInspector inspector;
    private final KmsErrors errors;
    private final KeyPin pin;
    private final FailureCache failures;

    AwsKmsKeystore(AwsKmsSettings settings, KmsClient client, Clock clock) {
        this.settings = settings;
        this.client = client;
        this.inspector = new KmsKeyInspector(client, settings.keystoreName());
        this.errors = new KmsErrors(settings.keystoreName(), settings, inspector::describe);
        this.pin = new KeyPin(settings);
        this.failures = new FailureCache(settings.failureCacheTtl(), clock);
    }

    /**
     * Creates the keystore from its settings. Makes no KMS call: an unreachable KMS or a bad key shows at the
     * first use or {@link #describe()}.
     *
     * @throws dev.dataenc.error.KeystoreConfigurationException naming the setting that is missing or wrong
     */
    public static AwsKmsKeystore open(KeystoreSettings settings) {
        AwsKmsSettings s = AwsKmsSettings.parse(settings);
        return new AwsKmsKeystore(s, KmsClientFactory.create(s), Clock.systemUTC());
    }

    @Override
    public String name() {
        return settings.keystoreName();
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** Setting {@code rewrap-concurrency} (default 16): KMS is remote, so re-wrapping many CDKs runs calls in parallel. */
    @Override
    public int rewrapConcurrency() {
        return settings.rewrapConcurrency();
    }

    /** The parsed settings. */
    public AwsKmsSettings settings() {
        return settings;
    }

    @Override
    public GeneratedDataKey generateDataKey(CdkId cdkId) {
        String arn = pinnedArn().toString();
        GenerateDataKeyResponse r = call("GenerateDataKey", "new CDK " + cdkId, ownKey(arn), () ->
                client.generateDataKey(b -> b.keyId(arn).keySpec(DataKeySpec.AES_256)
                        .encryptionContext(context(cdkId))));
        DataKey key = takeKey(cdkId, r.plaintext(), "GenerateDataKey");
        try {
            return new GeneratedDataKey(key, wrapping(arn, r.keyId(), r.ciphertextBlob(), "GenerateDataKey"));
        } catch (RuntimeException e) {
            key.destroy();
            throw e;
        }
    }

    @Override
    public Wrapping wrap(DataKey key) {
        String arn = pinnedArn().toString();
        byte[] plain = key.getEncoded();
        try {
            EncryptResponse r = call("Encrypt", "wrap of CDK " + key.cdkId(), ownKey(arn), () ->
                    client.encrypt(b -> b.keyId(arn).plaintext(SdkBytes.fromByteArrayUnsafe(plain))
                            .encryptionContext(context(key.cdkId()))));
            return wrapping(arn, r.keyId(), r.ciphertextBlob(), "Encrypt");
        } finally {
            DataKey.zeroize(plain);
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws UnacceptedKeyException if the wrapping's key is not the pinned key or a listed former key
     */
    @Override
    public DataKey unwrap(CdkId cdkId, Wrapping wrapping) {
        String arn = wrapping.masterKeyId();
        byte[] blob = wrapping.wrappedKey();
        checkAccepted(wrapping, "unwrap");
        if (blob.length == 0) {
            throw new WrappedKeyException("aws-kms keystore '" + name() + "': the wrapping of CDK " + cdkId + " is empty");
        }
        String cacheKey = cacheKey(cdkId, arn, blob);
        DecryptResponse r = remembering(cacheKey, () -> call("Decrypt", "unwrap of CDK " + cdkId,
                List.of(new KeyRef(name(), arn)), () -> client.decrypt(b -> b.keyId(arn)
                        .ciphertextBlob(SdkBytes.fromByteArrayUnsafe(blob)).encryptionContext(context(cdkId)))));
        DataKey key = takeKey(cdkId, r.plaintext(), "Decrypt");
        if (!arn.equals(r.keyId())) {
            key.destroy();
            throw new WrappedKeyException("aws-kms keystore '" + name() + "': KMS decrypted CDK " + cdkId + " with key "
                    + r.keyId() + " but the wrapping names " + arn);
        }
        return key;
    }

    /**
     * Re-wraps a wrapping made under an accepted former key (setting {@code former-key-arns}) under this keystore's
     * pinned key with {@code ReEncrypt}; the plaintext CDK never leaves KMS. Needs {@code kms:ReEncryptFrom} on the
     * source key and {@code kms:ReEncryptTo} on this keystore's key.
     *
     * @throws UnacceptedKeyException if the source's master key is not the pinned key or a listed former key
     * @throws dev.dataenc.error.KeystoreUnavailableException if either key is unusable (blaming the one that is)
     * @throws WrappedKeyException if the source does not decrypt for {@code cdkId}
     */
    public Wrapping rewrap(CdkId cdkId, Wrapping source) {
        KeyArn own = pinnedArn();
        checkAccepted(source, "ReEncrypt from");
        byte[] blob = source.wrappedKey();
        String to = own.toString();
        List<KeyRef> keys = List.of(new KeyRef(source.keystoreName(), source.masterKeyId()), new KeyRef(name(), to));
        ReEncryptResponse r = call("ReEncrypt", "re-wrap of CDK " + cdkId + " from " + source.masterKeyId(), keys, () ->
                client.reEncrypt(b -> b.ciphertextBlob(SdkBytes.fromByteArrayUnsafe(blob))
                        .sourceKeyId(source.masterKeyId()).sourceEncryptionContext(context(cdkId))
                        .destinationKeyId(to).destinationEncryptionContext(context(cdkId))));
        return wrapping(to, r.keyId(), r.ciphertextBlob(), "ReEncrypt");
    }

    /**
     * {@link #rewrap} when the source wrapping's master key is one this keystore accepts (a listed former key, or
     * its own key); empty otherwise, for example for a {@code local} keystore's wrapping or another aws-kms
     * keystore's key that is not listed. The caller then unwraps with the keystore that owns the source (which
     * checks its own pin) and wraps here with {@code Encrypt}.
     */
    @Override
    public Optional<Wrapping> rewrapFrom(CdkId id, Wrapping wrapping) {
        return canUnwrap(wrapping) ? Optional.of(rewrap(id, wrapping)) : Optional.empty();
    }

    /**
     * True when the wrapping's master key is the pinned key or a listed former key of the same account and
     * region, whatever keystore name made it. Resolves the pin on first use; if that fails (KMS unreachable),
     * false, and {@link #unwrap} reports the failure.
     */
    @Override
    public boolean canUnwrap(Wrapping wrapping) {
        try {
            return pin.accepts(pinnedArn(), wrapping.masterKeyId());
        } catch (DataEncException e) {
            LOG.debug("aws-kms keystore '{}': cannot tell whether it accepts {}: {}", name(), wrapping.masterKeyId(),
                    e.getMessage());
            return false;
        }
    }

    private void checkAccepted(Wrapping wrapping, String what) {
        KeyArn own = pinnedArn();
        if (!pin.accepts(own, wrapping.masterKeyId())) {
            throw new UnacceptedKeyException("aws-kms keystore '" + name() + "' refuses to " + what + " a wrapping"
                    + " (recorded for keystore '" + wrapping.keystoreName() + "') under master key '"
                    + wrapping.masterKeyId() + "': " + pin.describeAccepted(own) + ". If that key is yours, add its ARN to '"
                    + AwsKmsSettings.FORMER_KEY_ARNS + "'; otherwise someone wrote this wrapping into the registry:"
                    + " investigate");
        }
    }

    /**
     * Describes the pinned key (resolving and pinning {@code key-id} on first use). A usable key forgets the
     * remembered unwrap failures.
     */
    @Override
    public MasterKeyDescription describe() {
        MasterKeyDescription d = inspector.describe(pin.known().map(KeyArn::toString).orElse(settings.keyId()));
        if (pin.known().isEmpty() && d.masterKeyId().startsWith("arn:")) {
            pin.pin(d.masterKeyId());
        }
        if (d.state().isUsable()) {
            failures.clear();
        }
        return d;
    }

    /** {@code RotateKeyOnDemand}: KMS adds new key material; old wrappings still unwrap. Returns the description. */
    @Override
    public MasterKeyDescription rotateMasterKey() {
        String arn = pinnedArn().toString();
        call("RotateKeyOnDemand", "rotation of the master key", ownKey(arn), () -> client.rotateKeyOnDemand(b -> b.keyId(arn)));
        return describe();
    }

    /** {@code DisableKey} on the pinned key. */
    @Override
    public void disableMasterKey() {
        String arn = pinnedArn().toString();
        call("DisableKey", "disable the master key", ownKey(arn), () -> client.disableKey(b -> b.keyId(arn)));
    }

    /** {@code EnableKey} on the pinned key; forgets the remembered unwrap failures. */
    @Override
    public void enableMasterKey() {
        String arn = pinnedArn().toString();
        call("EnableKey", "enable the master key", ownKey(arn), () -> client.enableKey(b -> b.keyId(arn)));
        failures.clear();
    }

    /** The pinned key ARN; the first time for a key id or alias, a {@code DescribeKey} (failures remembered). */
    private KeyArn pinnedArn() {
        return pin.get(() -> remembering(RESOLVE, () -> call("DescribeKey", "resolve key-id " + settings.keyId(),
                ownKey(settings.keyId()), () -> client.describeKey(b -> b.keyId(settings.keyId()))).keyMetadata().arn()));
    }

    /** Runs a KMS call unless its failure is remembered; remembers a typed failure, forgets it on success. */
    private <T> T remembering(String cacheKey, Supplier<T> call) {
        Optional<DataEncException> known = failures.remembered(cacheKey);
        if (known.isPresent()) {
            throw known.get();
        }
        try {
            T result = call.get();
            failures.succeeded(cacheKey);
            return result;
        } catch (DataEncException e) {
            failures.failed(cacheKey, e);
            throw e;
        }
    }

    /** CDK id, key ARN and a digest of the wrapped bytes (ciphertext, not secret): one entry per wrapping. */
    private static String cacheKey(CdkId cdkId, String arn, byte[] blob) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(arn.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(blob);
            return cdkId + "/" + HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Remembered unwrap failures (for tests). */
    int rememberedFailures() {
        return failures.size();
    }

    private List<KeyRef> ownKey(String keyId) {
        return List.of(new KeyRef(name(), keyId));
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

    /** The new wrapping; KMS must report the key that was asked for. */
    private Wrapping wrapping(String requestedArn, String keyArn, SdkBytes blob, String operation) {
        Objects.requireNonNull(keyArn, "KMS returned no KeyId");
        if (!requestedArn.equals(keyArn)) {
            throw new WrappedKeyException("aws-kms keystore '" + name() + "': " + operation + " under key " + requestedArn
                    + " answered with key " + keyArn + "; the wrapping was not used");
        }
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
