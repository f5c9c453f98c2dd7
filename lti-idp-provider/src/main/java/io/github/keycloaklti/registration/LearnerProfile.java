package io.github.keycloaklti.registration;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Set;

import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.userprofile.config.UPAttribute;
import org.keycloak.representations.userprofile.config.UPAttributeRequired;
import org.keycloak.representations.userprofile.config.UPConfig;
import org.keycloak.userprofile.UserProfileProvider;
import org.keycloak.util.JsonSerialization;

/**
 * Learners land in the tool even when the platform withholds their name or email (Canvas "anonymous", Moodle "never
 * share", 1EdTech's "No PII" launch), in a realm whose user profile is Keycloak's default (first name, last name and
 * email required of users), and every other login of the realm keeps asking for them.
 *
 * <p>Keycloak's user profile can require an attribute only for logins that request a given client scope. So:
 * <ul>
 * <li>{@code email}, {@code firstName} and {@code lastName}, where their rule is still Keycloak's default ("required
 * of users"), become "required of users when the client scope {@value #BASIC} or {@value #ROLE_LIST} is requested".
 * Every OIDC client has {@value #BASIC} among its default scopes and every SAML client {@value #ROLE_LIST} (Keycloak
 * adds them): for them nothing changes, in the login pages or in the account console; the admin console never required
 * them. Clients that hold neither (an admin removed them) are listed in the answer, since the rule no longer reaches
 * them;</li>
 * <li>the registration's tool clients get {@value #LTI_BASIC} (a copy of {@value #BASIC}: the same {@code sub} and
 * {@code auth_time} mappers, the same tokens) in its place. Their logins, the launches, require neither name nor
 * email, and carry whatever the platform sent.</li>
 * </ul>
 * A rule the admin changed is left as the admin chose it. Undo: give the three attributes back their rule without
 * scopes (Realm settings, User profile) and swap {@value #LTI_BASIC} for {@value #BASIC} on the tool clients.
 */
public final class LearnerProfile {

    static final String BASIC = "basic";
    /** SAML clients' default scope: SAML logins keep the rule through it ({@value #BASIC} is an OIDC scope). */
    static final String ROLE_LIST = "role_list";
    static final Set<String> RULE_SCOPES = Set.of(BASIC, ROLE_LIST);
    /** Keycloak's own clients: never tools, never given {@value #LTI_BASIC}. */
    static final Set<String> KEYCLOAK_CLIENTS = Set.of("account", "account-console", "admin-cli", "broker",
            "realm-management", "security-admin-console");
    public static final String LTI_BASIC = "lti-basic";
    static final List<String> ATTRIBUTES = List.of("email", "firstName", "lastName");

    /** What the setup did: attributes now required only with {@value #BASIC}, tool clients given {@value #LTI_BASIC}. */
    public record Result(List<String> attributesScoped, List<String> attributesKeptAsTheAdminSetThem,
                         List<String> toolClientsGivenLtiBasic, List<String> otherClientsWithoutTheRule) {
    }

    private LearnerProfile() {
    }

    static Result apply(KeycloakSession session, RealmModel realm, List<String> toolClientIds) {
        ClientScopeModel basic = scopeNamed(realm, BASIC);
        if (basic == null) {
            // a realm from before Keycloak 25, or whose admin removed "basic": nothing to scope by
            return new Result(List.of(), ATTRIBUTES, List.of(), List.of());
        }
        ClientScopeModel ltiBasic = ensureLtiBasic(realm, basic);
        List<String> scopedClients = new ArrayList<>();
        for (String clientId : toolClientIds) {
            ClientModel client = realm.getClientByClientId(clientId);
            if (client != null && !KEYCLOAK_CLIENTS.contains(clientId) && client.getClientScopes(true).containsKey(BASIC)) {
                client.removeClientScope(basic);
                client.addClientScope(ltiBasic, true);
                scopedClients.add(clientId);
            }
        }
        UserProfileProvider profiles = session.getProvider(UserProfileProvider.class);
        UPConfig config = copy(profiles.getConfiguration());
        List<String> scoped = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (String name : ATTRIBUTES) {
            UPAttribute attribute = config.getAttribute(name);
            UPAttributeRequired required = attribute == null ? null : attribute.getRequired();
            if (required == null) {
                continue; // not required: nothing to do
            }
            if (RULE_SCOPES.equals(required.getScopes())) {
                scoped.add(name); // done by an earlier setup
            } else if (isKeycloaksDefault(required)) {
                required.setScopes(RULE_SCOPES);
                scoped.add(name);
            } else {
                kept.add(name);
            }
        }
        profiles.setConfiguration(config);
        // clients that are no tool of this registration and hold neither scope: the rule no longer reaches them
        List<String> outside = realm.getClientsStream()
                .filter(c -> !toolClientIds.contains(c.getClientId()) && !c.isBearerOnly())
                .filter(c -> {
                    Set<String> defaults = c.getClientScopes(true).keySet();
                    return defaults.stream().noneMatch(RULE_SCOPES::contains) && !defaults.contains(LTI_BASIC);
                })
                .map(ClientModel::getClientId).sorted().toList();
        return new Result(scoped, kept, scopedClients, outside);
    }

    /** Keycloak's own rule for these attributes: required of users, whatever the client asks. */
    private static boolean isKeycloaksDefault(UPAttributeRequired required) {
        return Set.of("user").equals(required.getRoles())
                && (required.getScopes() == null || required.getScopes().isEmpty());
    }

    private static ClientScopeModel ensureLtiBasic(RealmModel realm, ClientScopeModel basic) {
        ClientScopeModel existing = scopeNamed(realm, LTI_BASIC);
        if (existing != null) {
            return existing;
        }
        ClientScopeModel scope = realm.addClientScope(LTI_BASIC);
        scope.setProtocol(basic.getProtocol());
        scope.setDescription("The tokens of Keycloak's 'basic' scope (sub, auth_time), for the tools of LTI platforms: "
                + "their logins do not require the names and email that the user profile requires with 'basic'");
        basic.getAttributes().forEach(scope::setAttribute);
        basic.getProtocolMappersStream().forEach(mapper -> {
            ProtocolMapperModel copy = new ProtocolMapperModel();
            copy.setName(mapper.getName());
            copy.setProtocol(mapper.getProtocol());
            copy.setProtocolMapper(mapper.getProtocolMapper());
            copy.setConfig(new HashMap<>(mapper.getConfig()));
            scope.addProtocolMapper(copy);
        });
        return scope;
    }

    private static ClientScopeModel scopeNamed(RealmModel realm, String name) {
        return realm.getClientScopesStream().filter(s -> name.equals(s.getName())).findFirst().orElse(null);
    }

    private static UPConfig copy(UPConfig config) {
        try {
            return JsonSerialization.readValue(JsonSerialization.writeValueAsBytes(config), UPConfig.class);
        } catch (IOException e) {
            throw new IllegalStateException("could not copy the realm's user profile", e);
        }
    }
}
