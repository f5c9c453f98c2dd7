package io.github.keycloaklti.launch;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;

/**
 * Launch counters in Keycloak's Micrometer registry, exported at the management interface's {@code /metrics} when
 * metrics are enabled: {@code lti_launches_total{platform, message_type, outcome}}, outcome being
 * {@code success} or the error code. Every label has a bounded set of values (registration aliases, two message
 * types or {@code unknown}, the codes of {@link LaunchError}).
 */
final class LaunchMetrics {

    static final String NAME = "lti.launches";

    private LaunchMetrics() {
    }

    static void success(String platformAlias, String messageType) {
        count(platformAlias, messageType, "success");
    }

    static void refused(String platformAlias, LaunchError error) {
        count(platformAlias, "unknown", error.code());
    }

    private static void count(String platformAlias, String messageType, String outcome) {
        Counter.builder(NAME).description("LTI launches received, by platform registration, message type and outcome "
                        + "(success or the refusal's error code)")
                .tags("platform", platformAlias, "message_type", messageType, "outcome", outcome)
                .register(Metrics.globalRegistry).increment();
    }
}
