package dev.dataenc.azure;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.identity.CredentialUnavailableException;

/** Classifies what the Azure SDK throws. */
final class AzureErrors {

    private AzureErrors() {
    }

    /** The HTTP status of the failure, or 0 when no HTTP answer came (network, TLS, credential chain). */
    static int status(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof HttpResponseException h && h.getResponse() != null) {
                return h.getResponse().getStatusCode();
            }
        }
        return 0;
    }

    /**
     * The condition a failure means when the status alone tells it; 403 and 404 need a look at the key
     * ({@link KeyInspector}) and come back as {@link KeyCondition#FORBIDDEN} and {@link KeyCondition#NOT_FOUND}.
     */
    static KeyCondition byStatus(Throwable e) {
        if (isCredentialFailure(e)) {
            return KeyCondition.NO_CREDENTIAL;
        }
        int status = status(e);
        if (status == 401 || status == 403) {
            return KeyCondition.FORBIDDEN;
        }
        if (status == 404) {
            return KeyCondition.NOT_FOUND;
        }
        if (status == 429) {
            return KeyCondition.THROTTLED;
        }
        if (status >= 500) {
            return KeyCondition.SERVICE_ERROR;
        }
        if (status >= 400) {
            return KeyCondition.REJECTED;
        }
        return KeyCondition.UNREACHABLE;
    }

    /** A short, non-secret description: status and the service's error code/message, or the exception type. */
    static String describe(Throwable e) {
        int status = status(e);
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = e.getMessage() == null ? "" : e.getMessage();
        int nl = msg.indexOf('\n');
        msg = nl >= 0 ? msg.substring(0, nl) : msg;
        if (msg.length() > 300) {
            msg = msg.substring(0, 300) + "...";
        }
        if (status != 0) {
            return "HTTP " + status + ": " + msg;
        }
        return e.getClass().getSimpleName() + (msg.isEmpty() ? "" : ": " + msg)
                + (root != e ? " (" + root.getClass().getSimpleName() + ")" : "");
    }

    private static boolean isCredentialFailure(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof CredentialUnavailableException || c instanceof ClientAuthenticationException
                    && !(c instanceof HttpResponseException h && h.getResponse() != null)) {
                return true;
            }
        }
        return false;
    }
}
