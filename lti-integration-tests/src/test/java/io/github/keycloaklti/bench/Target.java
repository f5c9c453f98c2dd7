package io.github.keycloaklti.bench;

import java.util.function.LongSupplier;

import io.github.keycloaklti.testsupport.keycloak.KeycloakCluster;
import io.github.keycloaklti.testsupport.keycloak.KeycloakServer;

/** What the load goes to: Keycloak's public URL, and the CPU time its processes have used so far. */
record Target(String baseUrl, LongSupplier cpu) {

    static Target of(KeycloakServer keycloak) {
        return new Target(keycloak.baseUrl(), keycloak::cpuMillis);
    }

    /** A cluster behind its balancer: the CPU of every node (not the balancer's, which runs in the harness). */
    static Target of(KeycloakCluster cluster) {
        return new Target(cluster.url(), () -> cluster.nodes().stream().mapToLong(KeycloakServer::cpuMillis).sum());
    }

    long cpuMillis() {
        return cpu.getAsLong();
    }
}
