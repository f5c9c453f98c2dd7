package io.github.keycloaklti.servicecontext;

import java.util.Objects;
import java.util.Optional;

import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;
import org.keycloak.common.util.Time;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.utils.KeycloakModelUtils;

import io.github.keycloaklti.claims.LaunchClaims;
import io.github.keycloaklti.claims.LtiLaunch;
import io.github.keycloaklti.logging.LogText;
import io.github.keycloaklti.platform.ServiceUrls;
import io.github.keycloaklti.store.StableId;

/**
 * Records and finds service contexts. The id is derived from realm, registration, tool client, deployment and LTI
 * context, so that every launch in a course names the same row on every node, and concurrent first launches
 * converge on it instead of creating duplicates.
 */
public final class ServiceContexts {

    private static final Logger LOG = Logger.getLogger(ServiceContexts.class);

    private ServiceContexts() {
    }

    static String idOf(String realmId, String alias, String toolClientId, String deploymentId, String contextId) {
        return StableId.of(realmId, alias, toolClientId, deploymentId, contextId);
    }

    /**
     * Records the launch's service context (in its own transaction, so that a race between first launches never
     * fails a launch) and returns its id; empty when the launch has no context or offers no service.
     */
    public static Optional<String> record(KeycloakSession session, String realmId, String alias, String toolClientId,
                                          LtiLaunch launch) {
        Optional<LaunchClaims.Context> context = LaunchClaims.context(launch.ltiClaims());
        Optional<LaunchClaims.NamesRoleService> nrps = LaunchClaims.namesRoleService(launch.ltiClaims());
        Optional<LaunchClaims.AgsEndpoint> ags = LaunchClaims.agsEndpoint(launch.ltiClaims());
        if (context.isEmpty() || (nrps.isEmpty() && ags.isEmpty())) {
            return Optional.empty();
        }
        String contextId = context.get().id();
        String id = idOf(realmId, alias, toolClientId, launch.deploymentId(), contextId);
        ServiceContextEntity values = new ServiceContextEntity();
        values.setId(id);
        values.setRealmId(realmId);
        values.setPlatformAlias(alias);
        values.setToolClientId(toolClientId);
        values.setDeploymentId(launch.deploymentId());
        values.setContextId(contextId);
        values.setContextTitle(context.get().title() == null ? null : truncate(context.get().title(), 255));
        values.setMembershipsUrl(nrps.map(LaunchClaims.NamesRoleService::contextMembershipsUrl).orElse(null));
        values.setLineItemsUrl(ags.map(LaunchClaims.AgsEndpoint::lineItems).orElse(null));
        values.setAgsScopes(ags.map(LaunchClaims.AgsEndpoint::scope).map(scopes -> String.join(" ", scopes))
                .orElse(null));
        if (upToDate(session, values)) {
            claimLaunchLineItem(session, values, ags);
            return Optional.of(id); // the usual launch: a read or two, no write
        }
        for (int attempt = 1; attempt <= 2; attempt++) {
            try {
                KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(), s -> upsert(s, values));
                claimLaunchLineItem(session, values, ags);
                return Optional.of(id);
            } catch (RuntimeException e) {
                // another node or request inserted the same context at the same moment: the retry updates it
                LOG.debugf("Recording LTI service context %s, attempt %d: %s", id, attempt, LogText.of(e.getMessage()));
            }
        }
        LOG.warnf("Could not record the LTI service context of platform '%s', context '%s'", LogText.of(alias),
                LogText.of(contextId));
        return Optional.of(id);
    }

    /**
     * The line item a launch names (AGS 2.0 3.4, {@code lineitem}) belongs to the launch's tool, unless a tool already
     * owns it; one outside the launch's own container is never recorded.
     */
    private static void claimLaunchLineItem(KeycloakSession session, ServiceContextEntity context,
                                            Optional<LaunchClaims.AgsEndpoint> ags) {
        String lineItem = ags.map(LaunchClaims.AgsEndpoint::lineItem).orElse(null);
        String container = ags.map(LaunchClaims.AgsEndpoint::lineItems).orElse(null);
        if (lineItem != null && container != null && ServiceUrls.isLineItemOf(lineItem, container)) {
            LineItemOwners.claim(session, context, lineItem);
        }
    }

    /** How often a context that did not change is written again, to keep its "last launch" time roughly right. */
    static final long REFRESH_MILLIS = 24L * 3600 * 1000;

    /** Whether the stored row already says what this launch says (and was seen within {@link #REFRESH_MILLIS}). */
    private static boolean upToDate(KeycloakSession session, ServiceContextEntity values) {
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        ServiceContextEntity stored = em.find(ServiceContextEntity.class, values.getId());
        return stored != null && values.getRealmId().equals(stored.getRealmId())
                && (values.getContextTitle() == null || values.getContextTitle().equals(stored.getContextTitle()))
                && (values.getMembershipsUrl() == null || values.getMembershipsUrl().equals(stored.getMembershipsUrl()))
                && (values.getLineItemsUrl() == null || (values.getLineItemsUrl().equals(stored.getLineItemsUrl())
                        && Objects.equals(values.getAgsScopes(), stored.getAgsScopes())))
                && stored.getUpdatedAt() > Time.currentTimeMillis() - REFRESH_MILLIS;
    }

    private static void upsert(KeycloakSession session, ServiceContextEntity values) {
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        ServiceContextEntity entity = em.find(ServiceContextEntity.class, values.getId());
        boolean isNew = entity == null;
        if (isNew) {
            entity = values;
        } else {
            entity.setContextTitle(values.getContextTitle() != null ? values.getContextTitle() : entity.getContextTitle());
            if (values.getMembershipsUrl() != null) {
                entity.setMembershipsUrl(values.getMembershipsUrl());
            }
            if (values.getLineItemsUrl() != null) {
                entity.setLineItemsUrl(values.getLineItemsUrl());
                entity.setAgsScopes(values.getAgsScopes());
            }
        }
        entity.setUpdatedAt(Time.currentTimeMillis());
        if (isNew) {
            em.persist(entity);
        }
        em.flush();
    }

    public static Optional<ServiceContextEntity> find(KeycloakSession session, String realmId, String id) {
        if (id == null || id.isBlank() || id.length() > 64) {
            return Optional.empty();
        }
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        ServiceContextEntity entity = em.find(ServiceContextEntity.class, id);
        return entity != null && entity.getRealmId().equals(realmId) ? Optional.of(entity) : Optional.empty();
    }

    /**
     * Forgets the contexts of a removed realm, registration or tool client, and the line items their tools owned (each
     * argument after the realm narrows it; null: any). What was recorded for them must not outlive them, nor serve a
     * new one of the same name.
     */
    public static int forget(KeycloakSession session, String realmId, String platformAlias, String toolClientId) {
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        deleteWhere(em, "LineItemOwnerEntity", realmId, platformAlias, toolClientId);
        return deleteWhere(em, "ServiceContextEntity", realmId, platformAlias, toolClientId);
    }

    private static int deleteWhere(EntityManager em, String entity, String realmId, String platformAlias,
                                   String toolClientId) {
        StringBuilder jpql = new StringBuilder("delete from " + entity + " c where c.realmId = :realm");
        if (platformAlias != null) {
            jpql.append(" and c.platformAlias = :alias");
        }
        if (toolClientId != null) {
            jpql.append(" and c.toolClientId = :client");
        }
        var query = em.createQuery(jpql.toString()).setParameter("realm", realmId);
        if (platformAlias != null) {
            query.setParameter("alias", platformAlias);
        }
        if (toolClientId != null) {
            query.setParameter("client", toolClientId);
        }
        return query.executeUpdate();
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }
}
