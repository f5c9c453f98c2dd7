package io.github.keycloaklti.services;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;

import org.apache.http.client.config.RequestConfig;
import org.apache.http.conn.ConnectTimeoutException;
import org.keycloak.http.simple.SimpleHttp;
import org.keycloak.models.KeycloakSession;

import io.github.keycloaklti.platform.PlatformUrls;
import io.github.keycloaklti.toolapi.ServiceException;

/**
 * Outbound calls to a platform through Keycloak's HTTP client (its proxy, truststore and pool), with bounded
 * connect and read times, so a slow platform costs a caller at most those bounds.
 */
public final class PlatformHttp {

    public static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    public static final int READ_TIMEOUT_MILLIS = 10_000;
    public static final long MAX_RESPONSE_BYTES = 10L * 1024 * 1024;

    private PlatformHttp() {
    }

    public static SimpleHttp client(KeycloakSession session) {
        return SimpleHttp.create(session)
                .withMaxConsumedResponseSize(MAX_RESPONSE_BYTES)
                .withRequestConfig(RequestConfig.custom()
                        .setConnectTimeout(CONNECT_TIMEOUT_MILLIS)
                        .setConnectionRequestTimeout(CONNECT_TIMEOUT_MILLIS)
                        .setSocketTimeout(READ_TIMEOUT_MILLIS)
                        // a redirect would lead outside the URLs checked by PlatformUrls: answered as an error
                        .setRedirectsEnabled(false)
                        .build());
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

    /** What the caller is told when the platform could not be reached or timed out. */
    public static ServiceException unreachable(String what, IOException e) {
        if (e instanceof SocketTimeoutException || e instanceof ConnectTimeoutException
                || e instanceof InterruptedIOException) {
            return new ServiceException(504, "platform_timeout", "the platform did not answer " + what + " in time");
        }
        return new ServiceException(502, "platform_unreachable", "the platform could not be reached for " + what);
    }
}
