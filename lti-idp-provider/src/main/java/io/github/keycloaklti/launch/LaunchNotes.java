package io.github.keycloaklti.launch;

/** Authentication-session notes of a launch in progress, between login initiation and the launch POST. */
final class LaunchNotes {

    static final String PLATFORM_ALIAS = "lti.platform_alias";
    static final String STATE = "lti.state";
    static final String NONCE = "lti.nonce";
    static final String TARGET_LINK_URI = "lti.target_link_uri";
    static final String LOGIN_DEPLOYMENT_ID = "lti.login_deployment_id";
    static final String STORAGE_PROOF_HASH = "lti.storage_proof_hash";
    static final String STORAGE_TARGET = "lti.storage_target";
    /** Origin of the platform page that sent the login initiation (Origin or Referer), when the browser said. */
    static final String STORAGE_PAGE_ORIGIN = "lti.storage_page_origin";

    /**
     * Client note (kept through Keycloak's first-login flow, which clears auth notes): this login runs on a
     * partitioned login cookie, in a frame whose browser blocks third-party cookies.
     */
    static final String PARTITIONED = "lti.partitioned";

    /**
     * Client notes of a launch completed through Platform Storage (kept through the first-login flow): where the
     * launch's hint is stored for a tool that ignores it (the storage frame, the platform's origin, the page's).
     */
    static final String HANDOFF_STORAGE_TARGET = "lti.handoff_storage_target";
    static final String HANDOFF_PLATFORM_ORIGIN = "lti.handoff_platform_origin";
    static final String HANDOFF_PAGE_ORIGIN = "lti.handoff_page_origin";

    private LaunchNotes() {
    }
}
