package io.github.keycloaklti.deployment;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;
import org.keycloak.common.util.Time;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.utils.KeycloakModelUtils;

import io.github.keycloaklti.logging.LogText;
import io.github.keycloaklti.registration.LtiPlatformConfig;
import io.github.keycloaklti.store.StableId;

/**
 * The deployments recorded at first launch (see {@link RecordedDeploymentEntity}); the admin's own list stays in the
 * registration's {@code deploymentIds}. A deployment is known when it is in either.
 */
public final class RecordedDeployments {

    private static final Logger LOG = Logger.getLogger(RecordedDeployments.class);

    private RecordedDeployments() {
    }

    static String idOf(String realmId, String alias, String deploymentId) {
        return StableId.of(realmId, alias, deploymentId);
    }

    /** Whether a launch from this deployment is known: in the admin's list, or recorded at an earlier launch. */
    public static boolean isKnown(KeycloakSession session, String realmId, LtiPlatformConfig platform,
                                  String deploymentId) {
        return platform.getDeploymentIds().contains(deploymentId)
                || isRecorded(session, realmId, platform.getAlias(), deploymentId);
    }

    public static boolean isRecorded(KeycloakSession session, String realmId, String alias, String deploymentId) {
        RecordedDeploymentEntity found = em(session).find(RecordedDeploymentEntity.class,
                idOf(realmId, alias, deploymentId));
        return found != null && found.getRealmId().equals(realmId);
    }

    /**
     * Records a deployment in its own transaction: an insert of one row, nothing else rewritten. Two nodes recording
     * the same deployment at once name the same row; the loser's insert fails and finds it recorded.
     */
    public static void record(KeycloakSession session, String realmId, String alias, String deploymentId) {
        RecordedDeploymentEntity entity = new RecordedDeploymentEntity();
        entity.setId(idOf(realmId, alias, deploymentId));
        entity.setRealmId(realmId);
        entity.setPlatformAlias(alias);
        entity.setDeploymentId(deploymentId);
        entity.setRecordedAt(Time.currentTimeMillis());
        try {
            KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(), s -> {
                EntityManager em = em(s);
                if (em.find(RecordedDeploymentEntity.class, entity.getId()) == null) {
                    em.persist(entity);
                    em.flush();
                }
            });
        } catch (RuntimeException e) {
            LOG.debugf("Recording deployment of platform '%s' raced another node: %s", LogText.of(alias),
                    LogText.of(e.getMessage()));
        }
    }

    /** Every deployment a registration accepts: the admin's list, then those recorded at first launch. */
    public static List<String> known(KeycloakSession session, String realmId, LtiPlatformConfig platform) {
        Set<String> known = new LinkedHashSet<>(platform.getDeploymentIds());
        known.addAll(of(session, realmId, platform.getAlias()));
        return List.copyOf(known);
    }

    /** The recorded deployment ids of a registration, oldest first. */
    public static List<String> of(KeycloakSession session, String realmId, String alias) {
        return em(session).createQuery("select d.deploymentId from RecordedDeploymentEntity d"
                        + " where d.realmId = :realm and d.platformAlias = :alias order by d.recordedAt, d.deploymentId",
                        String.class)
                .setParameter("realm", realmId).setParameter("alias", alias).getResultList();
    }

    /** Forgets one recorded deployment; true if it was recorded. */
    public static boolean forget(KeycloakSession session, String realmId, String alias, String deploymentId) {
        RecordedDeploymentEntity found = em(session).find(RecordedDeploymentEntity.class,
                idOf(realmId, alias, deploymentId));
        if (found == null || !found.getRealmId().equals(realmId)) {
            return false;
        }
        em(session).remove(found);
        return true;
    }

    /** Forgets the deployments of a removed realm, or of one removed registration (alias not null). */
    static int forgetAll(KeycloakSession session, String realmId, String alias) {
        String jpql = "delete from RecordedDeploymentEntity d where d.realmId = :realm"
                + (alias == null ? "" : " and d.platformAlias = :alias");
        var query = em(session).createQuery(jpql).setParameter("realm", realmId);
        if (alias != null) {
            query.setParameter("alias", alias);
        }
        return query.executeUpdate();
    }

    private static EntityManager em(KeycloakSession session) {
        return session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }
}
