package io.github.keycloaklti.mapping;

import java.util.ArrayList;
import java.util.List;

import org.keycloak.broker.provider.BrokeredIdentityContext;
import org.keycloak.models.IdentityProviderMapperModel;
import org.keycloak.models.IdentityProviderSyncMode;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.provider.ProviderConfigProperty;


/** Copies a launch claim into a user session note, for Keycloak's own "User Session Note" token mapper. */
public class LtiClaimToSessionNoteMapper extends AbstractLtiClaimMapper {

    public static final String PROVIDER_ID = "lti-claim-to-session-note-mapper";
    public static final String NOTE = "session.note";

    private static final List<ProviderConfigProperty> CONFIG = new ArrayList<>();

    static {
        CONFIG.add(claimProperty("https://purl.imsglobal.org/spec/lti/claim/context.title"));
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
        String note = mapperModel.getConfig().get(NOTE);
        if (note == null || note.isBlank()) {
            return;
        }
        List<String> values = claimValues(mapperModel, context);
        if (!values.isEmpty()) {
            context.setSessionNote(note, String.join(",", values));
        }
    }
}
