package io.github.keycloaklti.servicecontext;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * Which tool client owns a line item of the platform: the one that created it through Keycloak, or the one a launch
 * naming it went to. The platform sees one tool per registration, so its line-items container holds the line items
 * of every tool client of that registration: ownership is the only thing that keeps them apart. One row per realm,
 * registration and line item id; it lives as long as the service context it was recorded for.
 */
@Entity
@Table(name = "LTI_LINE_ITEM_OWNER")
public class LineItemOwnerEntity {

    @Id
    @Column(name = "ID", length = 64)
    private String id;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    @Column(name = "PLATFORM_ALIAS", length = 255, nullable = false)
    private String platformAlias;

    @Column(name = "TOOL_CLIENT_ID", length = 255, nullable = false)
    private String toolClientId;

    @Column(name = "SERVICE_CONTEXT_ID", length = 64, nullable = false)
    private String serviceContextId;

    @Column(name = "LINE_ITEM_URL", length = 2048, nullable = false)
    private String lineItemUrl;

    @Column(name = "CREATED_AT", nullable = false)
    private long createdAt;

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public String getRealmId() {
        return realmId;
    }

    public void setRealmId(String realmId) {
        this.realmId = realmId;
    }

    public String getPlatformAlias() {
        return platformAlias;
    }

    public void setPlatformAlias(String platformAlias) {
        this.platformAlias = platformAlias;
    }

    public String getToolClientId() {
        return toolClientId;
    }

    public void setToolClientId(String toolClientId) {
        this.toolClientId = toolClientId;
    }

    public String getServiceContextId() {
        return serviceContextId;
    }

    public void setServiceContextId(String serviceContextId) {
        this.serviceContextId = serviceContextId;
    }

    public String getLineItemUrl() {
        return lineItemUrl;
    }

    public void setLineItemUrl(String lineItemUrl) {
        this.lineItemUrl = lineItemUrl;
    }

    public long getCreatedAt() {
        return createdAt;
    }

    public void setCreatedAt(long createdAt) {
        this.createdAt = createdAt;
    }
}
