package io.github.keycloaklti.admin;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.keycloak.Config;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.services.ui.extend.UiPageProvider;
import org.keycloak.services.ui.extend.UiPageProviderFactory;

import io.github.keycloaklti.registration.LtiPlatformConfig;
import io.github.keycloaklti.registration.RealmSetup;

/**
 * "LTI realm setup", a page of the admin console (the {@code declarative-ui} feature): the admin names a registration
 * and saves, and the realm is set up for its launches, exactly as {@code POST …/lti/platforms/A/realm-setup} does it
 * (flows added where missing, bound only where nothing else is, the learner profile), so that an admin who only uses
 * the console can finish a registration there. Saving an entry is the admin's explicit action (components need
 * *manage realm*, as the REST call does); each entry says what the setup did. Saving a registration still only saves it.
 */
public class RealmSetupPage implements UiPageProviderFactory<ComponentModel> {

    public static final String ID = "lti-realm-setup";
    static final String REGISTRATION = "registration";
    static final String STATE = "state";

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getHelpText() {
        return "Sets the realm up for an LTI registration's launches: name the registration (its alias) and save. "
                + "Adds the 'lti first launch' and 'lti browser' flows where missing and binds them only where nothing "
                + "else is bound; never edits a built-in flow.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return ProviderConfigurationBuilder.create()
                .property().name(REGISTRATION).label("Registration (alias)")
                .helpText("The alias of the LTI 1.3 identity provider, as under Identity providers.")
                .type(ProviderConfigProperty.STRING_TYPE).required(true).add()
                .property().name(STATE).label("Done")
                .helpText("Filled in by Keycloak when you save: what the setup did. Saving again runs it again (it only "
                        + "adds what is missing).")
                .type(ProviderConfigProperty.STRING_TYPE).add()
                .build();
    }

    @Override
    public Map<String, Object> getTypeMetadata() {
        return Map.of("displayFields", List.of(REGISTRATION, STATE));
    }

    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model)
            throws ComponentValidationException {
        String alias = model.get(REGISTRATION) == null ? null : model.get(REGISTRATION).trim();
        IdentityProviderModel registration = alias == null || alias.isEmpty() ? null
                : session.identityProviders().getByAlias(alias);
        if (registration == null || !LtiPlatformConfig.PROVIDER_ID.equals(registration.getProviderId())) {
            // Keycloak formats the message with MessageFormat, where a single quote escapes
            throw new ComponentValidationException("There is no LTI 1.3 registration ''" + (alias == null ? "" : alias)
                    .replace("'", "''") + "'' in this realm: name it by its alias, as under Identity providers");
        }
        RealmSetup.Result result = RealmSetup.apply(session, realm, registration);
        model.put(STATE, Instant.now().truncatedTo(ChronoUnit.SECONDS) + ": flows '" + result.firstLaunchFlow()
                + "' and '" + result.browserFlow() + "'; "
                + (result.registrationBound() ? "bound as the registration's first login flow" : "the registration keeps its own first login flow")
                + "; tool clients bound: " + (result.toolClientsBound().isEmpty() ? "none (each has its own)"
                : String.join(", ", result.toolClientsBound())));
    }

    @Override
    public UiPageProvider create(KeycloakSession session) {
        return null;
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
