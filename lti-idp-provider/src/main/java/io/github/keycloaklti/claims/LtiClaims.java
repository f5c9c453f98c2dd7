package io.github.keycloaklti.claims;

/** Claim names of LTI Core 1.3, Deep Linking 2.0, NRPS 2.0 and AGS 2.0, and the message types we accept. */
public final class LtiClaims {

    public static final String SPEC_PREFIX = "https://purl.imsglobal.org/spec/";
    private static final String LTI = "https://purl.imsglobal.org/spec/lti/claim/";

    public static final String MESSAGE_TYPE = LTI + "message_type";
    public static final String VERSION = LTI + "version";
    public static final String DEPLOYMENT_ID = LTI + "deployment_id";
    public static final String TARGET_LINK_URI = LTI + "target_link_uri";
    public static final String RESOURCE_LINK = LTI + "resource_link";
    public static final String ROLES = LTI + "roles";
    public static final String CONTEXT = LTI + "context";
    public static final String CUSTOM = LTI + "custom";
    public static final String LAUNCH_PRESENTATION = LTI + "launch_presentation";
    public static final String LIS = LTI + "lis";
    public static final String TOOL_PLATFORM = LTI + "tool_platform";
    public static final String ROLE_SCOPE_MENTOR = LTI + "role_scope_mentor";

    public static final String DEEP_LINKING_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings";
    public static final String NAMES_ROLE_SERVICE = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice";
    public static final String AGS_ENDPOINT = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint";

    public static final String RESOURCE_LINK_REQUEST = "LtiResourceLinkRequest";
    public static final String DEEP_LINKING_REQUEST = "LtiDeepLinkingRequest";
    /** AGS 2.0, submission review: an instructor reviews a learner's submission ({@link #FOR_USER}) in the tool. */
    public static final String SUBMISSION_REVIEW_REQUEST = "LtiSubmissionReviewRequest";
    /** A course-level placement (Tsugi and others): a context, no resource link. */
    public static final String CONTEXT_LAUNCH_REQUEST = "LtiContextLaunchRequest";
    /** The user a submission review is about: data for the tool, never the login. */
    public static final String FOR_USER = "https://purl.imsglobal.org/spec/lti/claim/for_user";
    public static final String SUPPORTED_VERSION = "1.3.0";

    /**
     * Claim (in the tool's tokens) naming the platform and the platform's own user id: {@code iss}, {@code sub},
     * {@code client_id} and the Keycloak {@code alias} of the registration.
     */
    public static final String PLATFORM = "lti_platform";

    private LtiClaims() {
    }
}
