package io.github.keycloaklti.dynamicregistration;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.keycloak.Config;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.services.ui.extend.UiPageProvider;
import org.keycloak.services.ui.extend.UiPageProviderFactory;

import io.github.keycloaklti.registration.MultiValue;
import io.github.keycloaklti.toolapi.ServiceException;

/**
 * "LTI registration links", a page of the admin console (Keycloak's admin UI extension SPI, shown when the
 * {@code declarative-ui} feature is on): the admin names the tool clients, saves, and the page shows the one-time,
 * expiring Dynamic Registration link to paste into the LMS. Each saved entry is a realm component holding the link
 * as a secret (never shown to readers of the page: realm viewers may read components; managers of identity providers
 * read it through the admin REST), its state and expiry; the link itself lives, single-use, where the admin REST
 * endpoint puts it.
 */
public class RegistrationLinksPage implements UiPageProviderFactory<ComponentModel> {

    public static final String ID = "lti-registration-links";
    static final String TOOL_CLIENT_IDS = "toolClientIds";
    static final String TARGET_LINK_URI = "targetLinkUri";
    static final String EXPIRES_IN = "expiresInSeconds";
    public static final String REGISTRATION_URL = "registrationUrl";
    public static final String EXPIRES_AT = "expiresAt";
    public static final String STATE = "state";
    /** How a state starts once a platform has used the link. */
    static final String USED = "used";
    /** How a state starts until the link is used: it says until when it works (no task rewrites it later). */
    static final String UNUSED = "unused, valid until ";
    /** Set on a session while it writes an entry's state, so that the save issues nothing. */
    private static final String WRITING_STATE = RegistrationLinksPage.class.getName() + ".writingState";

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getHelpText() {
        return "One-time LTI Dynamic Registration links: save one, then paste its URL into the learning platform's "
                + "\"register a tool by URL\" (Moodle, Canvas, Brightspace, ...). The platform becomes an LTI identity "
                + "provider of this realm.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        // a secret of the component: Keycloak never shows it to whoever reads this page (realm viewers may); an admin
        // who may manage identity providers reads it through the extension's admin REST (README)
        ProviderConfigProperty url = new ProviderConfigProperty(REGISTRATION_URL, "Registration URL (hidden)",
                "Issued when you save, and never shown here: whoever may view the realm reads this page. An admin who "
                        + "may manage identity providers copies it from GET /admin/realms/{realm}/lti/"
                        + "dynamic-registration-links/{this entry's id} (see the README), and gives it to the LMS admin. "
                        + "It works once, until it expires; saving again keeps it while unused.",
                ProviderConfigProperty.PASSWORD, null, true);
        ProviderConfigProperty state = new ProviderConfigProperty(STATE, "State",
                "Filled in by Keycloak: unused, valid until a time (after it, save the entry again for a fresh link), "
                        + "or used, with when and the registration it created (create a new entry for another link).",
                ProviderConfigProperty.STRING_TYPE, null);
        ProviderConfigProperty expiresAt = new ProviderConfigProperty(EXPIRES_AT, "Expires at (UTC)",
                "Filled in when you save.", ProviderConfigProperty.STRING_TYPE, null);
        // the link first: the console lists entries and titles a page by their first property
        List<ProviderConfigProperty> properties = new ArrayList<>(List.of(url, state, expiresAt));
        properties.addAll(ProviderConfigurationBuilder.create()
                .property().name(TOOL_CLIENT_IDS).label("Tool clients")
                .helpText("Client IDs of this realm's tools that the platform may launch (the first is the default).")
                .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE).required(true).add()
                .property().name(TARGET_LINK_URI).label("Launch URL (target link URI)")
                .helpText("Where launches go by default; empty: the first tool client's root URL.")
                .type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(DynamicRegistrationLinks.ENABLE_ON_REGISTRATION).label("Enable the platform when it registers")
                .helpText("Off: the new registration waits, disabled, until an admin checks and enables it under Identity "
                        + "providers. On: launches work at once.")
                .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("false").add()
                .property().name(EXPIRES_IN).label("Valid for (seconds)")
                .helpText("From 60 seconds to 7 days.").type(ProviderConfigProperty.STRING_TYPE)
                .defaultValue(String.valueOf(DynamicRegistrationLinks.DEFAULT_LIFETIME_SECONDS)).add()
                .build());
        return properties;
    }

    /** The console's list shows each entry's state, its expiry and its tools (never its link). */
    @Override
    public Map<String, Object> getTypeMetadata() {
        return Map.of("displayFields", List.of(STATE, EXPIRES_AT, TOOL_CLIENT_IDS));
    }

    /** An entry of this realm's page (its id), for an admin who may manage identity providers; empty if none. */
    public static Optional<ComponentModel> entry(RealmModel realm, String id) {
        return entries(realm).filter(entry -> entry.getId().equals(id)).findFirst();
    }

    /**
     * Saving the form issues the link. Saving an entry again keeps a link that is still unused and unexpired, keeps
     * a used one as it is (its state says which registration it created), and issues a fresh one otherwise (whatever
     * was typed into the output fields).
     */
    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model)
            throws ComponentValidationException {
        if (session.getAttribute(WRITING_STATE) != null) {
            return; // Keycloak validates every update: this one only writes the state
        }
        DynamicRegistrationLinks links = new DynamicRegistrationLinks(session, realm);
        String state = model.get(STATE);
        if ((state != null && state.startsWith(USED)) || links.isLive(model.get(REGISTRATION_URL))) {
            return;
        }
        Map<String, Object> request = new LinkedHashMap<>();
        List<String> tools = model.getConfig().getOrDefault(TOOL_CLIENT_IDS, List.of()).stream()
                .flatMap(value -> MultiValue.parse(value.replace(",", MultiValue.SEPARATOR)).stream())
                .map(String::trim).filter(value -> !value.isEmpty()).toList();
        request.put("toolClientIds", tools);
        request.put("targetLinkUri", model.get(TARGET_LINK_URI));
        request.put(DynamicRegistrationLinks.ENABLE_ON_REGISTRATION,
                Boolean.parseBoolean(model.get(DynamicRegistrationLinks.ENABLE_ON_REGISTRATION)));
        String lifetime = model.get(EXPIRES_IN);
        try {
            request.put("expiresInSeconds", lifetime == null || lifetime.isBlank()
                    ? DynamicRegistrationLinks.DEFAULT_LIFETIME_SECONDS : Integer.parseInt(lifetime.trim()));
        } catch (NumberFormatException e) {
            throw new ComponentValidationException("Valid for (seconds) must be a number of seconds");
        }
        Map<String, Object> link;
        try {
            link = links.create(request, DynamicRegistrationLinks.Issuer.REALM_ADMIN);
        } catch (ServiceException e) {
            // Keycloak formats the message with MessageFormat, where a single quote escapes
            throw new ComponentValidationException(e.getMessage().replace("'", "''"));
        }
        model.put(REGISTRATION_URL, (String) link.get("url"));
        String expiresAt = Instant.ofEpochSecond(((Number) link.get("expires_at")).longValue()).toString();
        model.put(EXPIRES_AT, expiresAt);
        model.put(STATE, UNUSED + expiresAt);
    }

    /**
     * The entry of a link a platform has just used, if the link was issued on this page: its state says so, with
     * the registration it created. (Called once, by the registration that spent the link.)
     */
    static void markUsed(KeycloakSession session, RealmModel realm, String token, String alias) {
        entries(realm).filter(entry -> token.equals(DynamicRegistrationLinks.tokenOf(entry.get(REGISTRATION_URL))))
                .toList()
                .forEach(entry -> writeState(session, realm, entry, USED + " " + Instant.now().truncatedTo(ChronoUnit.SECONDS)
                        + ": the platform registered as identity provider '" + alias + "'"));
    }

    private static Stream<ComponentModel> entries(RealmModel realm) {
        return realm.getComponentsStream(realm.getId(), UiPageProvider.class.getName())
                .filter(entry -> ID.equals(entry.getProviderId()));
    }

    private static void writeState(KeycloakSession session, RealmModel realm, ComponentModel entry, String state) {
        entry.put(STATE, state);
        session.setAttribute(WRITING_STATE, Boolean.TRUE);
        try {
            realm.updateComponent(entry);
        } finally {
            session.removeAttribute(WRITING_STATE);
        }
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
