package dev.dataenc.kms;

import dev.dataenc.error.KeystoreConfigurationException;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Which KMS keys an {@code aws-kms} keystore wraps under and unwraps with: the key that {@code key-id} names,
 * resolved to its key ARN <em>once</em> per keystore instance (with {@code DescribeKey} for a key id or alias; a
 * key ARN needs no call), plus the key ARNs listed in {@code former-key-arns}, all of the resolved key's partition,
 * region and account. Every call that wraps names the pinned ARN, not the alias, so the keystore only ever makes
 * wrappings it accepts; an alias moved later takes effect when the keystore is opened again.
 *
 * <p>Never accepted: a wrapping whose master key id is not a key ARN, a key of another account or partition, or
 * another key of the same account that is not listed. That is what keeps a writer of the CDK registry from making
 * applications use a CDK wrapped under a key the writer controls. Thread-safe.
 */
final class KeyPin {

    private final AwsKmsSettings settings;
    private volatile KeyArn pinned;

    KeyPin(AwsKmsSettings settings) {
        this.settings = settings;
        this.pinned = KeyArn.parse(settings.keyId()).filter(KeyArn::isKey).orElse(null);
        if (pinned != null) {
            checkFormer(pinned);
        }
    }

    /** The pinned key ARN if already known. */
    Optional<KeyArn> known() {
        return Optional.ofNullable(pinned);
    }

    /**
     * The pinned key ARN, resolving it with {@code resolver} (returns the key ARN {@code key-id} names now) the
     * first time.
     *
     * @throws KeystoreConfigurationException if a {@code former-key-arns} entry is of another account or partition
     */
    KeyArn get(Supplier<String> resolver) {
        KeyArn p = pinned;
        if (p != null) {
            return p;
        }
        synchronized (this) {
            if (pinned == null) {
                pin(resolver.get());
            }
            return pinned;
        }
    }

    /** Pins {@code arn} (from a {@code DescribeKey} of {@code key-id}) unless a key is pinned already. */
    synchronized void pin(String arn) {
        if (pinned != null) {
            return;
        }
        KeyArn k = KeyArn.parse(arn).filter(KeyArn::isKey).orElseThrow(() -> new KeystoreConfigurationException(
                "aws-kms keystore '" + settings.keystoreName() + "': KMS resolved key-id '" + settings.keyId()
                + "' to '" + arn + "', which is not a key ARN"));
        checkFormer(k);
        pinned = k;
    }

    /** True when {@code masterKeyId} is the pinned key's ARN or a listed former key ARN of the same account. */
    boolean accepts(KeyArn pin, String masterKeyId) {
        Optional<KeyArn> arn = KeyArn.parse(masterKeyId).filter(KeyArn::isKey);
        return arn.isPresent() && arn.get().sameAccountAndRegion(pin)
                && (arn.get().equals(pin) || settings.formerKeyArns().contains(arn.get()));
    }

    /** What is accepted, for messages: the pinned ARN (and key-id) and the former ARNs. */
    String describeAccepted(KeyArn pin) {
        String former = settings.formerKeyArns().isEmpty() ? "none"
                : settings.formerKeyArns().stream().map(KeyArn::toString).collect(Collectors.joining(", "));
        return "it accepts key " + pin + (pin.toString().equals(settings.keyId()) ? "" : " (key-id '" + settings.keyId()
                + "' as resolved when the keystore was opened)") + " and the keys in setting '"
                + AwsKmsSettings.FORMER_KEY_ARNS + "' (" + former + ")";
    }

    private void checkFormer(KeyArn pin) {
        List<KeyArn> foreign = settings.formerKeyArns().stream().filter(f -> !f.sameAccountAndRegion(pin)).toList();
        if (!foreign.isEmpty()) {
            throw new KeystoreConfigurationException("aws-kms keystore '" + settings.keystoreName() + "': setting '"
                    + AwsKmsSettings.FORMER_KEY_ARNS + "' lists " + foreign + ", not of account " + pin.account()
                    + " and partition " + pin.partition() + " of key " + pin + "; list only former keys of that account");
        }
    }
}
