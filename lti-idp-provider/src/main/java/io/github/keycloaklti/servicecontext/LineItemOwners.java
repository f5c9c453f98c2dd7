package io.github.keycloaklti.servicecontext;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;
import org.keycloak.common.util.Time;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.utils.KeycloakModelUtils;

import io.github.keycloaklti.logging.LogText;
import io.github.keycloaklti.store.StableId;

/**
 * Records and reads which tool client owns a line item (see {@link LineItemOwnerEntity}). A line item has one owner
 * for its life: the first recorded (a tool's create, or the first launch naming it) wins, and nobody takes it over.
 */
public final class LineItemOwners {

    private static final Logger LOG = Logger.getLogger(LineItemOwners.class);
    /** Line item ids longer than this are not recorded (and so stay owned by no tool). */
    static final int MAX_URL_LENGTH = 2048;

    private LineItemOwners() {
    }

    static String idOf(String realmId, String alias, String lineItemUrl) {
        return StableId.of(realmId, alias, lineItemUrl);
    }

    /** The tool client that owns the line item; empty when no tool does. */
    public static Optional<String> ownerOf(KeycloakSession session, ServiceContextEntity context, String lineItemUrl) {
        LineItemOwnerEntity owner = em(session).find(LineItemOwnerEntity.class,
                idOf(context.getRealmId(), context.getPlatformAlias(), lineItemUrl));
        return owner == null || !owner.getRealmId().equals(context.getRealmId()) ? Optional.empty()
                : Optional.of(owner.getToolClientId());
    }

    /** The owners of those of these line item ids that a tool owns: line item id to tool client. */
    public static Map<String, String> ownersOf(KeycloakSession session, ServiceContextEntity context,
                                               Collection<String> urls) {
        Map<String, String> owners = new HashMap<>();
        List<String> ids = urls.stream().filter(u -> u != null && u.length() <= MAX_URL_LENGTH)
                .map(u -> idOf(context.getRealmId(), context.getPlatformAlias(), u)).toList();
        for (int from = 0; from < ids.size(); from += 500) {
            em(session).createQuery("select o from LineItemOwnerEntity o where o.id in :ids and o.realmId = :realm",
                            LineItemOwnerEntity.class)
                    .setParameter("ids", ids.subList(from, Math.min(ids.size(), from + 500)))
                    .setParameter("realm", context.getRealmId())
                    .getResultList().forEach(o -> owners.put(o.getLineItemUrl(), o.getToolClientId()));
        }
        return owners;
    }

    /**
     * Makes the context's tool client the owner of the line item unless another tool already owns it, in a
     * transaction of its own (committed before the caller answers); returns the owner afterwards.
     */
    public static Optional<String> claim(KeycloakSession session, ServiceContextEntity context, String lineItemUrl) {
        if (lineItemUrl == null || lineItemUrl.length() > MAX_URL_LENGTH) {
            return Optional.empty();
        }
        Optional<String> owner = ownerOf(session, context, lineItemUrl);
        if (owner.isPresent()) {
            return owner;
        }
        for (int attempt = 1; attempt <= 2; attempt++) {
            try {
                KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(),
                        s -> insertIfAbsent(s, context, lineItemUrl));
                break;
            } catch (RuntimeException e) {
                // another node recorded it at the same moment: read what won
                LOG.debugf("Recording the owner of an LTI line item, attempt %d: %s", attempt, LogText.of(e.getMessage()));
            }
        }
        return KeycloakModelUtils.runJobInTransactionWithResult(session.getKeycloakSessionFactory(),
                s -> ownerOf(s, context, lineItemUrl));
    }

    private static void insertIfAbsent(KeycloakSession session, ServiceContextEntity context, String lineItemUrl) {
        EntityManager em = em(session);
        String id = idOf(context.getRealmId(), context.getPlatformAlias(), lineItemUrl);
        if (em.find(LineItemOwnerEntity.class, id) != null) {
            return;
        }
        LineItemOwnerEntity owner = new LineItemOwnerEntity();
        owner.setId(id);
        owner.setRealmId(context.getRealmId());
        owner.setPlatformAlias(context.getPlatformAlias());
        owner.setToolClientId(context.getToolClientId());
        owner.setServiceContextId(context.getId());
        owner.setLineItemUrl(lineItemUrl);
        owner.setCreatedAt(Time.currentTimeMillis());
        em.persist(owner);
        em.flush();
    }

    /** Forgets the owner of a line item the platform deleted. */
    public static void forget(KeycloakSession session, ServiceContextEntity context, String lineItemUrl) {
        EntityManager em = em(session);
        LineItemOwnerEntity owner = em.find(LineItemOwnerEntity.class,
                idOf(context.getRealmId(), context.getPlatformAlias(), lineItemUrl));
        if (owner != null) {
            em.remove(owner);
        }
    }

    /** Forgets the owners recorded for service contexts that no longer exist (their realm, registration or tool). */
    static int forgetOrphans(KeycloakSession session) {
        return em(session).createQuery("delete from LineItemOwnerEntity o where not exists "
                + "(select c.id from ServiceContextEntity c where c.id = o.serviceContextId)").executeUpdate();
    }

    private static EntityManager em(KeycloakSession session) {
        return session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }
}
