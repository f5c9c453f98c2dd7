package io.github.keycloaklti.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import jakarta.ws.rs.core.Response;

import org.keycloak.representations.idm.IdentityProviderRepresentation;

import io.github.keycloaklti.it.LtiRealm;
import io.github.keycloaklti.testsupport.http.QueryBuilder;

/**
 * A realm of a learning company with a registration per school: the same four figures with the realm's one
 * registration and with {@code count} (a returning launch, saving a registration, a tool's login opened in a frame
 * without a session, the realm's login page), medians of {@value #SAMPLES} each; the ratio at {@code count} to 1
 * should stay within 1.2x. Every registration is an ordinary one, of its own issuer, made through the admin REST.
 */
final class Registrations {

    static final int SAMPLES = 30;
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private Registrations() {
    }

    static Map<String, Object> measure(Target target, LtiRealm realm, int count) throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        System.out.println("[bench] registrations: figures with 1 registration...");
        Map<String, Double> one = figures(target, realm);
        long started = System.nanoTime();
        create(realm, count - 1);
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("[bench] registrations: %d more made in %.0f s (%.1f/s)%n", count - 1, seconds,
                (count - 1) / seconds);
        Map<String, Double> many = figures(target, realm);
        Map<String, Object> ratios = new LinkedHashMap<>();
        one.forEach((figure, value) -> ratios.put(figure, Medians.round(many.get(figure) / value)));
        result.put("registrations", count);
        result.put("p50_ms_with_1", one);
        result.put("p50_ms_with_" + count, many);
        result.put("ratio", ratios);
        result.put("creating_per_second", Medians.round((count - 1) / seconds));
        System.out.printf("[bench] registrations: with 1 %s; with %d %s; ratios %s (target at most 1.2x)%n", one,
                count, many, ratios);
        return result;
    }

    private static Map<String, Double> figures(Target target, LtiRealm realm) throws Exception {
        Map<String, Double> figures = new LinkedHashMap<>();
        Map<String, Object> launches = Load.closedLoop(target, realm, Flow.LTI, "returning", SAMPLES, 1);
        figures.put("returning_launch", ((Number) launches.get("p50_ms")).doubleValue());
        figures.put("registration_save", median(() -> {
            IdentityProviderRepresentation registration = realm.realm().identityProviders().get(LtiRealm.ALIAS)
                    .toRepresentation();
            long start = System.nanoTime();
            realm.realm().identityProviders().get(LtiRealm.ALIAS).update(registration);
            return (System.nanoTime() - start) / 1e6;
        }));
        String framed = realm.realmUrl() + "/protocol/openid-connect/auth?" + QueryBuilder.encode(Map.of(
                "client_id", LtiRealm.TOOL_CLIENT_ID, "response_type", "code", "scope", "openid",
                "redirect_uri", realm.tool().callbackUrl(), "state", "bench", "nonce", "bench"));
        figures.put("framed_tool_login", median(() -> timedGet(framed, "iframe")));
        String loginPage = realm.realmUrl() + "/protocol/openid-connect/auth?" + QueryBuilder.encode(Map.of(
                "client_id", "account-console", "response_type", "code", "scope", "openid",
                "redirect_uri", realm.realmUrl() + "/account/", "state", "bench", "code_challenge_method", "S256",
                "code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
        figures.put("realm_login_page", median(() -> timedGet(loginPage, "document")));
        return figures;
    }

    private static double timedGet(String url, String destination) {
        try {
            long start = System.nanoTime();
            HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Sec-Fetch-Dest", destination).GET().build(), HttpResponse.BodyHandlers.ofString());
            double millis = (System.nanoTime() - start) / 1e6;
            if (page.statusCode() != 200) {
                throw new IllegalStateException(url + " answered " + page.statusCode());
            }
            return millis;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static double median(Supplier<Double> sample) {
        sample.get(); // warm
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < SAMPLES; i++) {
            values.add(sample.get());
        }
        Collections.sort(values);
        return Medians.round(values.get(values.size() / 2));
    }

    /** Registrations of other schools, four at a time (as a provisioning script would). */
    private static void create(LtiRealm realm, int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> made = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int school = i;
                made.add(pool.submit(() -> {
                    String host = "https://lms-" + school + ".school.example";
                    Map<String, String> config = new HashMap<>();
                    config.put("issuer", host);
                    config.put("clientId", "kc-tool-" + school);
                    config.put("authorizationUrl", host + "/auth");
                    config.put("jwksUrl", host + "/jwks");
                    config.put("tokenUrl", host + "/token");
                    config.put("deploymentIds", "1");
                    config.put("toolClientIds", LtiRealm.TOOL_CLIENT_ID);
                    try (Response created = realm.createPlatform("school-" + school, config)) {
                        if (created.getStatus() != 201) {
                            throw new IllegalStateException("school " + school + ": " + created.getStatus() + " "
                                    + created.readEntity(String.class));
                        }
                    }
                    return null;
                }));
                if (made.size() % 1000 == 0) {
                    made.get(made.size() - 1).get();
                    System.out.printf("[bench] registrations: %d made%n", made.size());
                }
            }
            for (Future<?> one : made) {
                one.get();
            }
        } finally {
            pool.shutdown();
        }
    }
}
