package io.github.keycloaklti.services;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;

import org.apache.http.conn.ConnectTimeoutException;
import org.keycloak.models.KeycloakSession;

import io.github.keycloaklti.platform.PlatformCalls;
import io.github.keycloaklti.platform.PlatformUrls;
import io.github.keycloaklti.toolapi.ServiceException;

/**
 * The REST tier's side of calls to platforms (see {@link PlatformCalls}, the one home of their limits): the size
 * each kind of answer may have, the URL policy right before a call, and what the tool is told when a call failed.
 */
public final class PlatformHttp {

    /** One page of a roster or of line items, a line item, results: ample for thousands of members per page. */
    public static final long MAX_SERVICE_ANSWER_BYTES = 4L * 1024 * 1024;
    /** A token answer holds a token and a few fields. */
    public static final long MAX_TOKEN_ANSWER_BYTES = 64L * 1024;
    /** A platform's OpenID configuration or registration answer. */
    public static final long MAX_REGISTRATION_ANSWER_BYTES = 256L * 1024;

    private PlatformHttp() {
    }

    public static PlatformCalls.Call call(KeycloakSession session, long maxAnswerBytes) {
        return PlatformCalls.start(session, maxAnswerBytes);
    }

    /**
     * Checks {@code url} against the URL policy right before calling it (see {@link PlatformUrls}); refused URLs
     * are the registration's fault, told as one generic error that does not say what the host resolved to.
     */
    public static void checkBeforeCall(String url, String what) {
        try {
            PlatformUrls.checkBeforeFetch(url, what);
        } catch (PlatformUrls.RefusedUrlException e) {
            throw new ServiceException(502, "platform_url_refused", "the registration's " + what
                    + " is not an address Keycloak may call");
        }
    }

    /** What the caller is told when the platform could not be reached, timed out, or ran past the deadline. */
    public static ServiceException unreachable(String what, IOException e, PlatformCalls.Call call) {
        if (call.timedOut()) {
            return new ServiceException(504, "platform_timeout", "the platform did not answer " + what + " within "
                    + PlatformCalls.limits().deadlineMillis() / 1000 + " s");
        }
        if (String.valueOf(e.getMessage()).contains("max bytes to be consumed")) { // Keycloak's SafeInputStream
            return new ServiceException(502, "platform_answer_too_large", "the platform's answer to " + what
                    + " is larger than Keycloak reads");
        }
        if (e instanceof SocketTimeoutException || e instanceof ConnectTimeoutException
                || e instanceof InterruptedIOException) {
            return new ServiceException(504, "platform_timeout", "the platform did not answer " + what + " in time");
        }
        return new ServiceException(502, "platform_unreachable", "the platform could not be reached for " + what);
    }
}
