package io.github.keycloaklti.dynamicregistration;

import java.time.Instant;

import org.keycloak.models.KeycloakSession;
import org.keycloak.timer.ScheduledTask;

/**
 * Keycloak's scheduled task that keeps the "LTI registration links" page true: an entry whose link expired unused
 * says "expired" from then on, instead of "live until" a time gone by. It touches only such entries, and only their
 * state: once each, since an expired entry is never live again until an admin saves it (which issues a fresh link).
 * Each node runs it; two nodes writing the same state are harmless.
 */
final class ExpiredRegistrationLinks implements ScheduledTask {

    static final String TASK_NAME = "lti-expired-registration-links";

    @Override
    public void run(KeycloakSession session) {
        Instant now = Instant.now();
        session.realms().getRealmsStream().forEach(realm -> RegistrationLinksPage.markExpired(session, realm, now));
    }

    @Override
    public String getTaskName() {
        return TASK_NAME;
    }
}
