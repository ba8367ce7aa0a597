package dev.dataenc.kms;

/**
 * A wrapping names a KMS key that this {@code aws-kms} keystore does not accept: neither the configured key (its
 * resolved ARN) nor one listed in {@code former-key-arns}, or a key of another partition or account. Nothing was
 * sent to KMS. The message names the wrapping's key and what is accepted.
 *
 * <p>An {@link IllegalArgumentException}, as {@link dev.dataenc.keystore.Keystore#unwrap} specifies for a wrapping
 * that {@code canUnwrap} refuses; typed so that callers can tell it from other bad arguments. A registry row naming a
 * key that nobody configured is what a registry writer who wants to choose the key would insert, so treat it as an
 * integrity alarm, not as a routine miss.
 */
public final class UnacceptedKeyException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** @param message what was refused and what is accepted */
    public UnacceptedKeyException(String message) {
        super(message);
    }
}
