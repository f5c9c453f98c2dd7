package io.github.keycloaklti.platform;

import java.io.IOException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.http.HttpHost;
import org.apache.http.HttpRequest;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.AbstractExecutionAwareRequest;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.conn.ClientConnectionManager;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.params.HttpParams;
import org.apache.http.protocol.HttpContext;
import org.keycloak.common.Version;
import org.keycloak.connections.httpclient.HttpClientProvider;
import org.keycloak.http.simple.SimpleHttp;
import org.keycloak.models.KeycloakSession;

import io.github.keycloaklti.logging.Product;

/**
 * Every call Keycloak makes to a platform (keyset, token, NRPS, AGS, Dynamic Registration) goes out through
 * {@link #start}: Keycloak's own HTTP client (its proxy, truststore and pool), no redirects, bounded connect and read
 * times, a bounded answer, a {@code User-Agent} that names the product (Canvas requires one), and a <b>total
 * deadline</b>: a platform that answers one byte at a time never holds a Keycloak thread longer than that (the call is
 * aborted, its thread freed). The limits are server options, set once at start-up.
 */
public final class PlatformCalls {

    /** The limits of one call; defaults below, the operator's in {@link PlatformPolicy}. */
    public record Limits(int connectMillis, int readMillis, int deadlineMillis, int keysetDeadlineMillis) {
        public static final Limits DEFAULT = new Limits(5_000, 10_000, 15_000, 5_000);
    }

    /** What every call says it is (RFC 9110 10.1.5), e.g. {@code keycloak-lti/1.0.0 (Keycloak 26.7.3)}. */
    public static final String USER_AGENT = "keycloak-lti/" + Product.VERSION + " (Keycloak " + Version.VERSION
            + "; +https://github.com/keycloak-lti/keycloak-lti)";

    /** Fires the deadlines: one daemon thread per JVM, holding nothing but pending aborts (no state). */
    private static final ScheduledThreadPoolExecutor DEADLINES = deadlines();

    private PlatformCalls() {
    }

    public static Limits limits() {
        return PlatformPolicy.current().limits();
    }

    /** One call to a platform: its HTTP client, and afterwards whether the deadline ended it. */
    public static final class Call {
        private final SimpleHttp http;
        private final BoundedClient client;

        private Call(SimpleHttp http, BoundedClient client) {
            this.http = http;
            this.client = client;
        }

        public SimpleHttp http() {
            return http;
        }

        /** Whether the call was aborted at its deadline (a timeout, not an unreachable platform). */
        public boolean timedOut() {
            return client.timedOut;
        }
    }

    /** A call whose answer may hold at most {@code maxAnswerBytes}, within the deadline of calls. */
    public static Call start(KeycloakSession session, long maxAnswerBytes) {
        return start(session, maxAnswerBytes, limits().deadlineMillis());
    }

    /**
     * A keyset fetch: launches wait for it (Keycloak runs one fetch per registration and makes the others wait), so
     * it has a deadline of its own, shorter: a keyset is a few keys.
     */
    public static Call startKeysetFetch(KeycloakSession session, long maxAnswerBytes) {
        return start(session, maxAnswerBytes, limits().keysetDeadlineMillis());
    }

    private static Call start(KeycloakSession session, long maxAnswerBytes, int deadlineMillis) {
        Limits now = limits();
        BoundedClient client = new BoundedClient(session.getProvider(HttpClientProvider.class).getHttpClient(),
                deadlineMillis);
        SimpleHttp http = SimpleHttp.create(client)
                .withMaxConsumedResponseSize(maxAnswerBytes)
                .withRequestConfig(RequestConfig.custom()
                        .setConnectTimeout(now.connectMillis())
                        .setConnectionRequestTimeout(now.connectMillis())
                        .setSocketTimeout(now.readMillis())
                        // a redirect would lead outside the URLs checked by PlatformUrls: answered as an error
                        .setRedirectsEnabled(false)
                        .build());
        return new Call(http, client);
    }

    /**
     * Keycloak's client with our header and deadline on each request. The deadline aborts the request (connection
     * included) wherever it is: waiting for a pooled connection, connecting, reading headers or the body.
     */
    private static final class BoundedClient extends CloseableHttpClient {
        private final CloseableHttpClient keycloaks;
        private final int deadlineMillis;
        private volatile boolean timedOut;

        BoundedClient(CloseableHttpClient keycloaks, int deadlineMillis) {
            this.keycloaks = keycloaks;
            this.deadlineMillis = deadlineMillis;
        }

        @Override
        protected CloseableHttpResponse doExecute(HttpHost target, HttpRequest request, HttpContext context)
                throws IOException {
            request.setHeader("User-Agent", USER_AGENT);
            if (request instanceof AbstractExecutionAwareRequest abortable) {
                DEADLINES.schedule(() -> {
                    if (!abortable.isAborted()) {
                        timedOut = true;
                        abortable.abort(); // harmless once the answer was read and its connection released
                    }
                }, deadlineMillis, TimeUnit.MILLISECONDS);
            }
            return keycloaks.execute(target, request, context);
        }

        @Override
        public void close() {
            // Keycloak's client is Keycloak's to close
        }

        @Override
        @SuppressWarnings("deprecation")
        public HttpParams getParams() {
            return keycloaks.getParams();
        }

        @Override
        @SuppressWarnings("deprecation")
        public ClientConnectionManager getConnectionManager() {
            return keycloaks.getConnectionManager();
        }
    }

    private static ScheduledThreadPoolExecutor deadlines() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "keycloak-lti-platform-call-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }
}
