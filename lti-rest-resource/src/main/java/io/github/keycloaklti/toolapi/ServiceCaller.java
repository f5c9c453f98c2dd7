package io.github.keycloaklti.toolapi;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;

import io.github.keycloaklti.claims.LtiRole;
import io.github.keycloaklti.claims.PairwiseIds;
import io.github.keycloaklti.compat.Authenticated;
import io.github.keycloaklti.registration.LtiPlatformConfig;
import io.github.keycloaklti.registration.Registrations;
import io.github.keycloaklti.servicecontext.ServiceContextEntity;
import io.github.keycloaklti.servicecontext.ServiceContexts;

/**
 * Who calls a service endpoint, for which course: either a user's access token from a launch (its own context,
 * read calls, as the launch's LTI role allows), or the tool client's service-account token holding the realm role
 * {@value #SERVICE_ROLE} (any call, for contexts recorded from launches to that tool).
 */
public record ServiceCaller(Authenticated auth, ServiceContextEntity context, LtiPlatformConfig platform,
                            List<String> launchRoles, boolean serviceAccount) {

    public static final String SERVICE_ROLE = "lti-service";
    /** Course staff: these context roles (LTI Core A.2.3), and the sub-roles of Instructor. Mentors are not staff. */
    private static final Set<String> STAFF_CONTEXT_ROLES = Set.of("Instructor", "Administrator", "ContentDeveloper",
            "TeachingAssistant").stream().map(name -> LtiRole.CONTEXT_ROLE_PREFIX + name)
            .collect(Collectors.toUnmodifiableSet());
    private static final String INSTRUCTOR_SUB_ROLE_PREFIX = LtiRole.VOCABULARY + "membership/Instructor#";

    public static ServiceCaller authenticate(KeycloakSession session, String contextParam) {
        Authenticated auth = LaunchBearer.bearer(session);
        RealmModel realm = session.getContext().getRealm();
        Optional<LaunchBearer> launch = LaunchBearer.of(session, auth);
        if (launch.isPresent()) {
            return ofLaunch(session, realm, launch.get(), contextParam);
        }
        return ofServiceAccount(session, realm, auth, contextParam);
    }

    private static ServiceCaller ofLaunch(KeycloakSession session, RealmModel realm, LaunchBearer launch,
                                          String contextParam) {
        String launchContext = launch.serviceContextId();
        if (launchContext == null) {
            throw new ServiceException(404, "no_service_context", "the launch offered no NRPS or AGS service");
        }
        if (contextParam != null && !contextParam.equals(launchContext)) {
            throw new ServiceException(403, "other_context", "a launch's token may only be used for that launch's context");
        }
        ServiceContextEntity context = ServiceContexts.find(session, realm.getId(), launchContext)
                .orElseThrow(() -> new ServiceException(404, "no_service_context", "the launch's service context is not recorded"));
        String toolClientId = launch.auth().client().getClientId();
        return new ServiceCaller(launch.auth(), context, platformOf(session, context, toolClientId), launch.roles(), false);
    }

    private static ServiceCaller ofServiceAccount(KeycloakSession session, RealmModel realm, Authenticated auth,
                                                  String contextParam) {
        UserModel user = auth.user();
        if (user == null || !auth.client().getId().equals(user.getServiceAccountClientLink())) {
            throw new ServiceException(403, "not_a_launch", "the token comes neither from an LTI launch nor from a "
                    + "tool's service account");
        }
        RoleModel role = realm.getRole(SERVICE_ROLE);
        if (role == null || !user.hasRole(role)) {
            throw new ServiceException(403, "missing_role", "the service account of client '"
                    + auth.client().getClientId() + "' needs the realm role '" + SERVICE_ROLE + "'");
        }
        if (contextParam == null || contextParam.isBlank()) {
            throw new ServiceException(400, "context_required", "name the course with 'context', the "
                    + "lti_platform.service_context claim of a launch");
        }
        ServiceContextEntity context = ServiceContexts.find(session, realm.getId(), contextParam)
                .filter(c -> c.getToolClientId().equals(auth.client().getClientId()))
                .orElseThrow(() -> new ServiceException(404, "no_service_context",
                        "no launch of this tool recorded the context '" + contextParam + "'"));
        return new ServiceCaller(auth, context, platformOf(session, context, auth.client().getClientId()), List.of(), true);
    }

    private static LtiPlatformConfig platformOf(KeycloakSession session, ServiceContextEntity context, String toolClientId) {
        LtiPlatformConfig platform = Registrations.findEnabled(session, context.getPlatformAlias())
                .orElseThrow(() -> new ServiceException(403, "platform_unavailable", "the platform registration '"
                        + context.getPlatformAlias() + "' was removed or disabled"));
        if (!platform.getToolClientIds().contains(toolClientId)) {
            throw new ServiceException(403, "wrong_client", "client '" + toolClientId
                    + "' is no longer a tool of platform '" + platform.getAlias() + "'");
        }
        return platform;
    }

    /**
     * Staff of this course, or the tool's service account; never a learner, a mentor (an observer, a parent) or
     * someone who is staff elsewhere in the institution: institution and system roles count only where the
     * registration's admin listed them ({@value LtiPlatformConfig#SERVICE_STAFF_ROLES}).
     */
    public boolean isStaff() {
        if (serviceAccount) {
            return true;
        }
        List<String> optedIn = platform.getServiceStaffRoles();
        return launchRoles.stream().filter(r -> r != null && !r.isBlank()).map(LtiRole::of)
                .filter(role -> !role.isNone())
                .anyMatch(role -> STAFF_CONTEXT_ROLES.contains(role.uri())
                        || role.uri().startsWith(INSTRUCTOR_SUB_ROLE_PREFIX)
                        || (role.isInstitutionRole() || role.isSystemRole()) && optedIn.stream().anyMatch(role::matches));
    }

    public void requireStaff(String what) {
        if (!isStaff()) {
            throw new ServiceException(403, "insufficient_role", "the launch's LTI role does not allow " + what);
        }
    }

    /** The calling tool client's pairwise platform user ids; empty where it sees the platform's own. */
    public Optional<PairwiseIds> pairwiseIds() {
        Optional<Map<String, String>> config = PairwiseIds.mapperConfig(auth.client());
        Optional<PairwiseIds> ids = config.flatMap(PairwiseIds::of);
        if (ids.isEmpty() && config.map(PairwiseIds::requested).orElse(false)) {
            // never the platform's ids for a client that asked for its own
            throw new ServiceException(403, "pairwise_key_missing", "client '" + auth.client().getClientId()
                    + "' asks for pairwise user ids but its LTI claims mapper has no key: save the mapper in the "
                    + "console (or through its admin REST) to have one made");
        }
        return ids;
    }

    /**
     * The platform's user id for one the tool sent: for a client with pairwise ids, the id behind one of them (400
     * {@code problem} for any other value, so a platform id never reaches the platform for such a client).
     */
    public String platformUserId(String sent, String problem) {
        Optional<PairwiseIds> pairwise = pairwiseIds();
        if (pairwise.isEmpty() || sent == null) {
            return sent;
        }
        return pairwise.get().reveal(pairwiseOwner(), sent).orElseThrow(() -> new ServiceException(400, problem,
                "'" + sent + "' is not one of client '" + auth.client().getClientId() + "''s pairwise user ids (the "
                        + "user ids of its tokens and rosters)"));
    }

    /** Whose user ids this call's pairwise ids are: the registration's platform (see {@link PairwiseIds#platform}). */
    public String pairwiseOwner() {
        return PairwiseIds.platform(platform.getIssuer(), platform.getClientId());
    }

    public void requireServiceAccount(String what) {
        if (!serviceAccount) {
            throw new ServiceException(403, "service_account_required", what
                    + " needs the tool's service-account token (client credentials), not a user's token");
        }
    }
}
