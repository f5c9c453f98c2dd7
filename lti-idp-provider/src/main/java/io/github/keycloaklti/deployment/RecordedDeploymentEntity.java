package io.github.keycloaklti.deployment;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A deployment id a platform first used in a launch, recorded because its registration says "record new
 * deployments". Kept apart from the registration's config, so that recording one never rewrites the registration
 * (two nodes recording at once cannot lose each other's, nor an admin's edit made meanwhile).
 */
@Entity
@Table(name = "LTI_DEPLOYMENT")
public class RecordedDeploymentEntity {

    @Id
    @Column(name = "ID", length = 64)
    private String id;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    @Column(name = "PLATFORM_ALIAS", length = 255, nullable = false)
    private String platformAlias;

    @Column(name = "DEPLOYMENT_ID", length = 255, nullable = false)
    private String deploymentId;

    @Column(name = "RECORDED_AT", nullable = false)
    private long recordedAt;

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

    public String getDeploymentId() {
        return deploymentId;
    }

    public void setDeploymentId(String deploymentId) {
        this.deploymentId = deploymentId;
    }

    public long getRecordedAt() {
        return recordedAt;
    }

    public void setRecordedAt(long recordedAt) {
        this.recordedAt = recordedAt;
    }
}
