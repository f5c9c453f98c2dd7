package io.github.keycloaklti.mapping;

import java.util.ArrayList;
import java.util.List;

import org.keycloak.broker.provider.AbstractIdentityProviderMapper;
import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.models.IdentityProviderMapperModel;
import org.keycloak.models.IdentityProviderSyncMode;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.provider.ProviderConfigProperty;

import io.github.keycloaklti.claims.ClaimPath;
import io.github.keycloaklti.claims.LtiLaunch;

/** Copies a launch claim into a user session note, for Keycloak's own "User Session Note" token mapper. */
public class LtiClaimToSessionNoteMapper extends AbstractIdentityProviderMapper {

    public static final String PROVIDER_ID = "lti-claim-to-session-note-mapper";
    public static final String NOTE = "session.note";

    private static final List<ProviderConfigProperty> CONFIG = new ArrayList<>();

    static {
        ProviderConfigProperty claim = new ProviderConfigProperty();
        claim.setName(LtiMappers.CLAIM);
        claim.setLabel("Claim");
        claim.setHelpText("Claim name, optionally followed by .key for a value inside it, e.g. https://purl.imsglobal.org/spec/lti/claim/context.title");
        claim.setType(ProviderConfigProperty.STRING_TYPE);
        CONFIG.add(claim);
        ProviderConfigProperty note = new ProviderConfigProperty();
        note.setName(NOTE);
        note.setLabel("Session note name");
        note.setType(ProviderConfigProperty.STRING_TYPE);
        CONFIG.add(note);
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String[] getCompatibleProviders() {
        return LtiMappers.COMPATIBLE_PROVIDERS;
    }

    /** Notes belong to each launch's session, so they are written on every launch: not in IMPORT mode. */
    @Override
    public boolean supportsSyncMode(IdentityProviderSyncMode syncMode) {
        return syncMode != IdentityProviderSyncMode.IMPORT;
    }

    @Override
    public String getDisplayCategory() {
        return "Session Note Importer";
    }

    @Override
    public String getDisplayType() {
        return "LTI Claim to Session Note";
    }

    @Override
    public String getHelpText() {
        return "Store a claim of the LTI launch in a user session note.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }

    @Override
    public void importNewUser(KeycloakSession session, RealmModel realm, UserModel user,
                              IdentityProviderMapperModel mapperModel, BrokeredIdentityContext context) {
        addNote(mapperModel, context);
    }

    @Override
    public void updateBrokeredUser(KeycloakSession session, RealmModel realm, UserModel user,
                                   IdentityProviderMapperModel mapperModel, BrokeredIdentityContext context) {
        addNote(mapperModel, context);
    }

    @Override
    public void updateBrokeredUserLegacy(KeycloakSession session, RealmModel realm, UserModel user,
                                         IdentityProviderMapperModel mapperModel, BrokeredIdentityContext context) {
        addNote(mapperModel, context);
    }

    private static void addNote(IdentityProviderMapperModel mapperModel, BrokeredIdentityContext context) {
        LtiLaunch launch = LtiMappers.launchOf(context);
        String note = mapperModel.getConfig().get(NOTE);
        if (launch == null || note == null || note.isBlank()) {
            return;
        }
        List<String> values = ClaimPath.asStrings(launch.claim(mapperModel.getConfig().get(LtiMappers.CLAIM)));
        if (!values.isEmpty()) {
            context.setSessionNote(note, String.join(",", values));
        }
    }
}
