package io.github.keycloaklti.servicecontext;

import org.jboss.logging.Logger;
import org.keycloak.common.util.Time;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.timer.ScheduledTask;

/**
 * Removes service contexts not launched for longer than the retention (a course nobody opened for a year keeps no
 * platform URLs). Each launch refreshes its context's time at least daily (see {@link ServiceContexts}). The delete is
 * idempotent, so every node may run it; Keycloak's timer runs it in its own transaction.
 */
final class ServiceContextRetention implements ScheduledTask {

    static final String TASK_NAME = "lti-service-context-retention";
    private static final Logger LOG = Logger.getLogger(ServiceContextRetention.class);

    private final long retentionMillis;

    ServiceContextRetention(long retentionMillis) {
        this.retentionMillis = retentionMillis;
    }

    @Override
    public void run(KeycloakSession session) {
        long cutoff = Time.currentTimeMillis() - retentionMillis;
        int removed = session.getProvider(JpaConnectionProvider.class).getEntityManager()
                .createQuery("delete from ServiceContextEntity c where c.updatedAt < :cutoff")
                .setParameter("cutoff", cutoff).executeUpdate();
        LineItemOwners.forgetOrphans(session);
        if (removed > 0) {
            LOG.infof("Removed %d LTI service contexts not launched for %d days", removed, retentionMillis / 86_400_000L);
        }
    }

    @Override
    public String getTaskName() {
        return TASK_NAME;
    }
}
