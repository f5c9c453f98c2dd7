package io.github.keycloaklti.launch;

import java.util.List;

import org.jboss.logging.Logger;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.Constants;
import org.keycloak.models.FederatedIdentityModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.representations.userprofile.config.UPAttribute;
import org.keycloak.representations.userprofile.config.UPConfig;
import org.keycloak.userprofile.UserProfileProvider;
import org.keycloak.vault.VaultStringSecret;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;

import io.github.keycloaklti.claims.LtiLaunch;
import io.github.keycloaklti.logging.LogText;
import io.github.keycloaklti.lti11.Lti11Claim;
import io.github.keycloaklti.registration.LtiPlatformConfig;

/**
 * A launch's LTI 1.1 identifiers, as its registration's migration mode decides (see {@link Lti11Claim}): applied to
 * the launch's claims before anything is kept of them; a claim verify mode drops leaves an event
 * ({@code IDENTITY_PROVIDER_LOGIN_ERROR}, error {@code lti11_claim_not_verified}, the reason in detail
 * {@code lti11_outcome}) and counts in {@code lti_lti11_claims_total{platform, outcome}}; the launch goes on.
 * Then, for a platform user not yet linked, the one user an earlier import keyed by the verified 1.1 user id (in the
 * attribute the registration names, one only admins write and no other registration names) becomes the launch's
 * user: never found by email, never a user linked to any identity provider, an administrator or another
 * organization's member.
 */
final class Lti11Launch {

    private static final Logger LOG = Logger.getLogger(Lti11Launch.class);
    static final String METRIC = "lti.lti11.claims";
    static final String NOT_VERIFIED = "lti11_claim_not_verified";

    /** The launch as kept, and what became of its 1.1 identifiers. */
    record Applied(LtiLaunch launch, Lti11Claim.Result result) {
    }

    private Lti11Launch() {
    }

    static Applied apply(KeycloakSession session, RealmModel realm, LtiPlatformConfig platform, LtiLaunch launch,
                         String nonce) {
        Lti11Claim.Mode mode = platform.getLti11Mode();
        String secret = mode == Lti11Claim.Mode.VERIFY ? secret(session, platform) : null;
        Lti11Claim.Result result = Lti11Claim.evaluate(mode, secret, platform.getLti11ConsumerKey(),
                launch.ltiClaims(), new Lti11Claim.Launch(launch.issuer(), platform.getClientId(),
                        launch.deploymentId(), launch.expiresAt(), nonce));
        if (result.outcome() != Lti11Claim.Outcome.ABSENT && mode != Lti11Claim.Mode.OFF) {
            Counter.builder(METRIC).description("LTI 1.1 migration claims of launches, by platform registration and "
                            + "outcome (verified, trusted, or why verify mode dropped the claim)")
                    .tags("platform", platform.getAlias(), "outcome", result.outcome().code())
                    .register(Metrics.globalRegistry).increment();
            if (!result.accepted()) {
                LOG.warnf("LTI platform '%s': the launch's LTI 1.1 claim was dropped (%s); the launch goes on",
                        platform.getAlias(), result.outcome().code());
                new EventBuilder(realm, session, session.getContext().getConnection())
                        .event(EventType.IDENTITY_PROVIDER_LOGIN)
                        .detail(Details.IDENTITY_PROVIDER, platform.getAlias())
                        .detail("lti11_outcome", result.outcome().code())
                        .error(NOT_VERIFIED);
            }
        }
        return new Applied(launch.withLtiClaims(Lti11Claim.applied(launch.ltiClaims(), result)), result);
    }

    /**
     * Links the platform's user to the user an earlier import keyed by the accepted 1.1 user id, when the platform's
     * user is not yet linked and exactly one user qualifies; otherwise leaves all as it is (a new user, as always).
     */
    static void linkImportedUser(KeycloakSession session, RealmModel realm, LtiPlatformConfig platform,
                                 LtiLaunch launch, Lti11Claim.Result result) {
        String attribute = platform.getLti11UserAttribute();
        String userId = result.userId();
        if (attribute == null || userId == null || result.outcome() != Lti11Claim.Outcome.VERIFIED) {
            return; // only a verified claim links: trust mode passes identifiers on, it never picks an account
        }
        String alias = platform.getAlias();
        if (session.users().getUserByFederatedIdentity(realm,
                new FederatedIdentityModel(alias, launch.subject(), null)) != null) {
            return; // a returning user: linked already
        }
        if (!onlyAdminsWrite(session, attribute)) {
            LOG.warnf("LTI platform '%s': user attribute '%s' can be edited by users themselves: launches are not "
                    + "linked by it (declare it in the user profile, editable by admins only)", alias,
                    LogText.of(attribute));
            return;
        }
        List<UserModel> found = session.users().searchForUserByUserAttributeStream(realm, attribute, userId)
                .limit(2).toList();
        if (found.size() != 1) {
            return;
        }
        UserModel user = found.get(0);
        if (!user.isEnabled() || user.getServiceAccountClientLink() != null
                || session.users().getFederatedIdentitiesStream(realm, user).findAny().isPresent()
                || administers(realm, user) || inAnotherOrganization(session, user, platform)) {
            // disabled, a client's, linked to any identity provider already (another registration's learner, or
            // this one's other user), an administrator, or another institution's member: never taken over
            return;
        }
        session.users().addFederatedIdentity(realm, user, new FederatedIdentityModel(alias, launch.subject(),
                user.getUsername()));
        new EventBuilder(realm, session, session.getContext().getConnection()).event(EventType.FEDERATED_IDENTITY_LINK)
                .user(user).detail(Details.IDENTITY_PROVIDER, alias).detail(Details.USERNAME, user.getUsername())
                .detail("lti11_attribute", attribute).success();
        LOG.infof("LTI platform '%s': first launch linked to the user imported with %s of its LTI 1.1 user id", alias,
                LogText.of(attribute));
    }

    /** Whether the user holds any role of the realm's administration client (an administrator, however narrow). */
    private static boolean administers(RealmModel realm, UserModel user) {
        ClientModel management = realm.getClientByClientId(Constants.REALM_MANAGEMENT_CLIENT_ID);
        return management != null && management.getRolesStream().anyMatch(user::hasRole);
    }

    /** Whether the user belongs to an organization other than the registration's own. */
    private static boolean inAnotherOrganization(KeycloakSession session, UserModel user, LtiPlatformConfig platform) {
        OrganizationProvider organizations = session.getProvider(OrganizationProvider.class);
        return organizations != null && organizations.getByMember(user)
                .anyMatch(organization -> !organization.getId().equals(platform.getOrganizationId()));
    }

    /** Whether only admins can write the attribute (users editing their own could claim anyone's 1.1 account). */
    private static boolean onlyAdminsWrite(KeycloakSession session, String attribute) {
        UPConfig profile = session.getProvider(UserProfileProvider.class).getConfiguration();
        UPAttribute declared = profile.getAttribute(attribute);
        if (declared != null) {
            return declared.getPermissions() == null || declared.getPermissions().getEdit() == null
                    || !declared.getPermissions().getEdit().contains("user");
        }
        return profile.getUnmanagedAttributePolicy() != UPConfig.UnmanagedAttributePolicy.ENABLED;
    }

    private static String secret(KeycloakSession session, LtiPlatformConfig platform) {
        String reference = platform.getLti11SecretReference();
        if (reference == null || reference.isBlank()) {
            return null;
        }
        try (VaultStringSecret secret = session.vault().getStringSecret(reference)) {
            return secret.get().orElse(null);
        }
    }
}
