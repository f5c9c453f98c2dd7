package io.github.keycloaklti.it;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import io.github.keycloaklti.testsupport.keycloak.TestCertificate;

/**
 * The run's test certificate (see {@link KeycloakExtension#certificate}) for a test class that starts only servers of
 * its own: the shared Keycloak is not started for it (it is when a later class asks for it, with this certificate).
 */
public class SharedCertificate implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        return parameter.getParameter().getType() == TestCertificate.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
        return KeycloakExtension.certificate(extension);
    }
}
