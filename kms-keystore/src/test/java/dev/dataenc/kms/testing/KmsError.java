package dev.dataenc.kms.testing;

/**
 * A KMS error response: HTTP 400 (or 500 for internal errors) with header {@code x-amzn-ErrorType: type}
 * and body <code>{"__type": type, "message": message}</code>. The SDK maps {@code type} to its exception class.
 */
final class KmsError extends RuntimeException {

    private final String type;
    private final int status;

    KmsError(String type, String message) {
        this(type, 400, message);
    }

    KmsError(String type, int status, String message) {
        super(message, null, false, false);
        this.type = type;
        this.status = status;
    }

    String type() {
        return type;
    }

    int status() {
        return status;
    }

    static KmsError notFound(String message) {
        return new KmsError("NotFoundException", message);
    }

    static KmsError validation(String message) {
        return new KmsError("ValidationException", message);
    }

    static KmsError invalidState(String message) {
        return new KmsError("KMSInvalidStateException", message);
    }

    static KmsError invalidCiphertext() {
        return new KmsError("InvalidCiphertextException", null);
    }
}
