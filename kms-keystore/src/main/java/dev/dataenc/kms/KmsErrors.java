package dev.dataenc.kms;

import dev.dataenc.error.DataEncException;
import dev.dataenc.error.KeystoreConfigurationException;
import dev.dataenc.error.KeystoreUnavailableException;
import dev.dataenc.error.WrappedKeyException;
import dev.dataenc.keystore.MasterKeyDescription;
import dev.dataenc.keystore.MasterKeyState;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.kms.model.CustomKeyStoreInvalidStateException;
import software.amazon.awssdk.services.kms.model.DependencyTimeoutException;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.IncorrectKeyException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.InvalidKeyUsageException;
import software.amazon.awssdk.services.kms.model.KeyUnavailableException;
import software.amazon.awssdk.services.kms.model.KmsInternalException;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.LimitExceededException;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.UnsupportedOperationException;

/**
 * Maps every exception of the KMS client to a typed dataenc exception with the remedy KMS documents:
 *
 * <table>
 *   <caption>KMS error to dataenc error</caption>
 *   <tr><th>KMS / SDK</th><th>dataenc</th></tr>
 *   <tr><td>{@code DisabledException}</td><td>{@link KeystoreUnavailableException} with the state
 *       {@code DescribeKey} reports: {@code DISABLED}, or {@code PENDING_DELETION} (KMS documents both answers for a
 *       key pending deletion; never the EnableKey remedy for it)</td></tr>
 *   <tr><td>{@code KMSInvalidStateException}, {@code CustomKeyStoreInvalidStateException}</td>
 *       <td>{@link KeystoreUnavailableException} with the state {@code DescribeKey} reports ({@code PENDING_DELETION},
 *       {@code PENDING_IMPORT}, {@code EXTERNAL_STORE_DISCONNECTED}, ...); for a key that is {@code Enabled} (an
 *       external or CloudHSM key store refusing the request) KMS's message is kept: a bad ciphertext or context is a
 *       {@link WrappedKeyException}, anything else {@code UNAVAILABLE} (transient ones were retried, see
 *       {@link #isTransientKeyStoreError})</td></tr>
 *   <tr><td>{@code LimitExceededException}</td><td>retried like throttling, then {@code UNAVAILABLE}, message says
 *       which quota</td></tr>
 *   <tr><td>credentials missing or rejected ({@code Unable to load credentials}, {@code UnrecognizedClientException},
 *       {@code InvalidSignatureException}, {@code ExpiredTokenException}, ...)</td><td>{@code UNREACHABLE}, message
 *       says "credentials"</td></tr>
 *   <tr><td>{@code KeyUnavailableException}</td><td>{@code UNAVAILABLE}</td></tr>
 *   <tr><td>{@code NotFoundException}</td><td>{@code NOT_FOUND}</td></tr>
 *   <tr><td>{@code InvalidCiphertextException}, {@code IncorrectKeyException}</td><td>{@link WrappedKeyException}</td></tr>
 *   <tr><td>{@code InvalidKeyUsageException}, {@code UnsupportedOperationException}</td>
 *       <td>{@link KeystoreConfigurationException} (not a symmetric encryption key)</td></tr>
 *   <tr><td>throttling (after the retries)</td><td>{@code UNREACHABLE}, message says throttled</td></tr>
 *   <tr><td>{@code AccessDeniedException} / HTTP 403</td><td>{@code UNREACHABLE}, message names the IAM action</td></tr>
 *   <tr><td>{@code KMSInternalException}, {@code DependencyTimeoutException}, other service errors</td>
 *       <td>{@code UNREACHABLE}</td></tr>
 *   <tr><td>network errors and timeouts ({@code SdkClientException})</td><td>{@code UNREACHABLE}</td></tr>
 * </table>
 */
final class KmsErrors {

    private final String keystoreName;
    private final AwsKmsSettings settings;
    private final Function<String, MasterKeyDescription> describer;

    /**
     * @param describer describes a key by id/ARN (used only on the error path, to tell which state a
     *                  {@code KMSInvalidStateException} stands for)
     */
    KmsErrors(String keystoreName, AwsKmsSettings settings, Function<String, MasterKeyDescription> describer) {
        this.keystoreName = keystoreName;
        this.settings = settings;
        this.describer = describer;
    }

    /**
     * The dataenc exception for a failed KMS call.
     *
     * @param operation KMS operation, e.g. {@code Decrypt}
     * @param what      what was being done, e.g. {@code unwrap of CDK 1234}
     * @param keys      the KMS keys the call used, as (keystore name, key id) pairs; for a key-state error
     *                  the first key that is not enabled is blamed
     */
    DataEncException map(String operation, String what, List<KeyRef> keys, SdkException e) {
        KeyRef first = keys.get(0);
        String prefix = "aws-kms keystore '" + keystoreName + "': " + operation + " (" + what + ") ";
        if (e instanceof DisabledException || e instanceof KmsInvalidStateException || e instanceof KeyUnavailableException
                || e instanceof CustomKeyStoreInvalidStateException) {
            return keyState(prefix, operation, what, keys, e);
        }
        if (e instanceof NotFoundException) {
            return unavailable(first, MasterKeyState.NOT_FOUND, prefix + "failed: KMS has no key " + first.keyId()
                    + " in region " + settings.region() + " (" + kmsSays(e) + ")", e);
        }
        if (e instanceof InvalidCiphertextException || e instanceof IncorrectKeyException) {
            return wrappedKey(operation, what, e);
        }
        if (e instanceof InvalidKeyUsageException || e instanceof UnsupportedOperationException) {
            return new KeystoreConfigurationException(prefix + "failed: KMS key " + first.keyId() + " cannot do this ("
                    + kmsSays(e) + "); setting '" + AwsKmsSettings.KEY_ID + "' must name a symmetric encryption key"
                    + " (KeySpec SYMMETRIC_DEFAULT, KeyUsage ENCRYPT_DECRYPT)", e);
        }
        if (e instanceof LimitExceededException) {
            return unavailable(first, MasterKeyState.UNAVAILABLE, prefix + "exceeded a KMS quota and still did after "
                    + settings.maxAttempts() + " attempt(s) (setting '" + AwsKmsSettings.MAX_ATTEMPTS + "'); lower the"
                    + " request rate or ask AWS for a higher quota (" + kmsSays(e) + ")", e);
        }
        if (isCredentialsFailure(e)) {
            return unavailable(first, MasterKeyState.UNREACHABLE, prefix + "failed for lack of valid AWS credentials:"
                    + " set '" + AwsKmsSettings.ACCESS_KEY_ID + "'/'" + AwsKmsSettings.SECRET_ACCESS_KEY + "', or give the"
                    + " SDK's default credentials chain (environment, web identity, profile or SSO, container, instance"
                    + " role) valid credentials (" + kmsSays(e) + ")", e);
        }
        if (e instanceof AwsServiceException ase) {
            if (ase.isThrottlingException()) {
                return unavailable(first, MasterKeyState.UNREACHABLE, prefix + "was throttled by KMS and still throttled"
                        + " after " + settings.maxAttempts() + " attempt(s) (setting '" + AwsKmsSettings.MAX_ATTEMPTS
                        + "'); lower the request rate, raise the KMS request quota, or allow more attempts ("
                        + kmsSays(e) + ")", e);
            }
            if (ase.statusCode() == 403 || "AccessDeniedException".equals(errorCode(ase))) {
                return unavailable(first, MasterKeyState.UNREACHABLE, prefix + "was denied: grant the caller kms:"
                        + operation + " on " + first.keyId() + " in the key policy or IAM policy (" + kmsSays(e) + ")", e);
            }
            String kind = e instanceof KmsInternalException || e instanceof DependencyTimeoutException
                    ? "failed inside KMS" : "failed";
            return unavailable(first, MasterKeyState.UNREACHABLE, prefix + kind + " after " + settings.maxAttempts()
                    + " attempt(s) (" + kmsSays(e) + ")", e);
        }
        String endpoint = settings.endpoint().map(Object::toString).orElse("the KMS endpoint of region " + settings.region());
        String kind = e instanceof ApiCallTimeoutException ? "timed out (setting '" + AwsKmsSettings.API_TIMEOUT + "')"
                : e instanceof SdkClientException ? "could not reach " + endpoint : "failed";
        return unavailable(first, MasterKeyState.UNREACHABLE, prefix + kind + " after up to " + settings.maxAttempts()
                + " attempt(s): " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }

    /**
     * A key-state answer: {@code DescribeKey} (and the custom key store) tell which state it stands for, blaming the
     * first key of the call that is not usable; KMS's own message is kept in every case.
     */
    private DataEncException keyState(String prefix, String operation, String what, List<KeyRef> keys, SdkException e) {
        boolean describeFailed = false;
        for (KeyRef k : keys) {
            MasterKeyDescription d = describer.apply(k.keyId());
            if (d.state() == MasterKeyState.UNREACHABLE) {
                describeFailed = true;
            } else if (!d.state().isUsable()) {
                return unavailable(k, d.state(), prefix + "failed: KMS key " + d.masterKeyId() + " is " + d.state()
                        + " (" + d.detail() + "; " + kmsSays(e) + ")", e);
            }
        }
        KeyRef first = keys.get(0);
        if (describeFailed) {
            // cannot tell Disabled from PendingDeletion (both answer DisabledException): no EnableKey remedy
            return unavailable(first, MasterKeyState.UNAVAILABLE, prefix + "failed: KMS refused key " + first.keyId()
                    + " (" + kmsSays(e) + ") and DescribeKey, which would tell which key state that stands for, failed"
                    + " too", e);
        }
        // every key is Enabled: an external (XKS) or CloudHSM key store refused the operation
        if (e instanceof KmsInvalidStateException && isBadInputMessage(e)) {
            return wrappedKey(operation, what, e);
        }
        return unavailable(first, MasterKeyState.UNAVAILABLE, prefix + "failed although KMS reports key " + first.keyId()
                + " Enabled; its key store refused the request after " + settings.maxAttempts() + " attempt(s) ("
                + kmsSays(e) + ")", e);
    }

    private WrappedKeyException wrappedKey(String operation, String what, SdkException e) {
        return new WrappedKeyException("aws-kms keystore '" + keystoreName + "': " + operation + " (" + what
                + ") rejected the wrapped key: it was altered, belongs to another CDK (encryption context "
                + AwsKmsKeystore.CONTEXT_KEY + " differs) or was made by another KMS key (" + kmsSays(e) + ")", e);
    }

    /** Words of KMS's messages for a bad ciphertext or encryption context from an external or CloudHSM key store. */
    private static final Pattern BAD_INPUT = Pattern.compile("ciphertext|additional authenticated data|encryption context"
            + "|\\baad\\b|authentication tag");
    /** Words of KMS's messages for a key store that is briefly overloaded or slow. */
    private static final Pattern TRANSIENT = Pattern.compile("timed out|timeout|did not respond|not responding|throttl"
            + "|too many requests|busy|try again|retry the request|temporar");
    /** Error codes of requests whose credentials are missing, unknown, expired or wrongly signed. */
    private static final Set<String> CREDENTIAL_CODES = Set.of("UnrecognizedClientException", "InvalidSignatureException",
            "IncompleteSignatureException", "ExpiredTokenException", "ExpiredToken", "MissingAuthenticationTokenException",
            "InvalidClientTokenId", "AuthFailure", "SignatureDoesNotMatch");

    private static boolean isBadInputMessage(SdkException e) {
        return BAD_INPUT.matcher(serviceMessage(e)).find();
    }

    /**
     * True for a {@code KMSInvalidStateException} whose message says the key store was slow or overloaded (an
     * external key store proxy timing out or throttling): the SDK retries those like throttling.
     */
    static boolean isTransientKeyStoreError(Throwable t) {
        return t instanceof KmsInvalidStateException e && !BAD_INPUT.matcher(serviceMessage(e)).find()
                && TRANSIENT.matcher(serviceMessage(e)).find();
    }

    /** True for what the SDK's retry strategy should treat as throttling: throttling codes and KMS quota answers. */
    static boolean isThrottlingLike(Throwable t) {
        return t instanceof LimitExceededException || (t instanceof SdkServiceException s && s.isThrottlingException());
    }

    /** Credentials missing (the SDK's chain found none) or rejected by AWS. */
    static boolean isCredentialsFailure(SdkException e) {
        if (e instanceof AwsServiceException ase) {
            return CREDENTIAL_CODES.contains(errorCode(ase));
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && m.toLowerCase(Locale.ROOT).contains("credentials")) {
                return true;
            }
        }
        return false;
    }

    private static String serviceMessage(SdkException e) {
        String m = e instanceof AwsServiceException ase && ase.awsErrorDetails() != null
                ? ase.awsErrorDetails().errorMessage() : e.getMessage();
        return m == null ? "" : m.toLowerCase(Locale.ROOT);
    }

    private static KeystoreUnavailableException unavailable(KeyRef key, MasterKeyState state, String message, Throwable cause) {
        return new KeystoreUnavailableException(key.keystoreName(), state, message + ". Remedy: " + state.remedy(), cause);
    }

    /** {@code <ErrorCode>: <message>} of a service error, else the exception's message. */
    static String kmsSays(SdkException e) {
        if (e instanceof AwsServiceException ase && ase.awsErrorDetails() != null) {
            return "KMS " + errorCode(ase) + ": " + ase.awsErrorDetails().errorMessage();
        }
        return e.getMessage();
    }

    private static String errorCode(AwsServiceException e) {
        return e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
    }

    /**
     * A KMS key used by a call, and the name of the keystore it belongs to.
     *
     * @param keystoreName keystore that is blamed when the key is unusable
     * @param keyId        key id, ARN or alias as sent to KMS
     */
    record KeyRef(String keystoreName, String keyId) {
    }
}
