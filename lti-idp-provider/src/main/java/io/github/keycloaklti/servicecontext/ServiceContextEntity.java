package io.github.keycloaklti.servicecontext;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * What a tool needs to call the platform's services for a course, recorded at every validated launch, so that it
 * outlives the browser session and restarts, on every node. One row per realm, platform registration, tool
 * client, deployment and LTI context.
 */
@Entity
@Table(name = "LTI_SERVICE_CONTEXT")
@NamedQueries({
        @NamedQuery(name = "ltiServiceContextsOfTool",
                query = "select c from ServiceContextEntity c where c.realmId = :realmId and c.toolClientId = :toolClientId")
})
public class ServiceContextEntity {

    @Id
    @Column(name = "ID", length = 64)
    private String id;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    @Column(name = "PLATFORM_ALIAS", length = 255, nullable = false)
    private String platformAlias;

    @Column(name = "TOOL_CLIENT_ID", length = 255, nullable = false)
    private String toolClientId;

    @Column(name = "DEPLOYMENT_ID", length = 255, nullable = false)
    private String deploymentId;

    @Column(name = "CONTEXT_ID", length = 255, nullable = false)
    private String contextId;

    @Column(name = "CONTEXT_TITLE", length = 255)
    private String contextTitle;

    @Column(name = "MEMBERSHIPS_URL", length = 2048)
    private String membershipsUrl;

    @Column(name = "LINEITEMS_URL", length = 2048)
    private String lineItemsUrl;

    @Column(name = "AGS_SCOPES", length = 1024)
    private String agsScopes;

    @Column(name = "UPDATED_AT", nullable = false)
    private long updatedAt;

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

    public String getDeploymentId() {
        return deploymentId;
    }

    public void setDeploymentId(String deploymentId) {
        this.deploymentId = deploymentId;
    }

    public String getContextId() {
        return contextId;
    }

    public void setContextId(String contextId) {
        this.contextId = contextId;
    }

    public String getContextTitle() {
        return contextTitle;
    }

    public void setContextTitle(String contextTitle) {
        this.contextTitle = contextTitle;
    }

    public String getMembershipsUrl() {
        return membershipsUrl;
    }

    public void setMembershipsUrl(String membershipsUrl) {
        this.membershipsUrl = membershipsUrl;
    }

    public String getLineItemsUrl() {
        return lineItemsUrl;
    }

    public void setLineItemsUrl(String lineItemsUrl) {
        this.lineItemsUrl = lineItemsUrl;
    }

    public String getAgsScopes() {
        return agsScopes;
    }

    public void setAgsScopes(String agsScopes) {
        this.agsScopes = agsScopes;
    }

    public long getUpdatedAt() {
        return updatedAt;
    }

    public void setUpdatedAt(long updatedAt) {
        this.updatedAt = updatedAt;
    }
}
