package io.github.keycloaklti.handoff;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;

import io.github.keycloaklti.registration.RealmSetup;

/** Registers {@link LaunchHintAuthenticator} ("LTI launch hint") for browser flows. */
public class LaunchHintAuthenticatorFactory implements AuthenticatorFactory {

    public static final String ID = RealmSetup.LAUNCH_HINT_STEP;
    private static final LaunchHintAuthenticator SINGLETON = new LaunchHintAuthenticator();

    @Override
    public Authenticator create(KeycloakSession session) {
        return SINGLETON;
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "LTI launch hint";
    }

    @Override
    public String getReferenceCategory() {
        return "lti";
    }

    @Override
    public boolean isConfigurable() {
        return false;
    }

    @Override
    public AuthenticationExecutionModel.Requirement[] getRequirementChoices() {
        return new AuthenticationExecutionModel.Requirement[] {AuthenticationExecutionModel.Requirement.ALTERNATIVE,
                AuthenticationExecutionModel.Requirement.DISABLED};
    }

    @Override
    public boolean isUserSetupAllowed() {
        return false;
    }

    @Override
    public String getHelpText() {
        return "Logs a tool in from the one-time launch hint it received after an LTI launch (passed as login_hint), "
                + "without cookies. Does nothing for other logins.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }
}
