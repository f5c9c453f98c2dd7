package io.github.keycloaklti.launch;

import java.util.Locale;

/**
 * Every reason a login initiation or a launch is refused. Each has a stable code (in events, logs and the
 * error page), the rule of the 1EdTech specs it enforces, and a message key in the theme's messages, whose
 * text tells the learner what happened and the admin what to fix.
 */
public enum LaunchError {
    // Login initiation: Security Framework 5.1.1.1, LTI Core 4.1
    LOGIN_ISS_MISSING("Security Framework 5.1.1.1"),
    LOGIN_ISS_UNKNOWN("Security Framework 5.1.1.1"),
    LOGIN_HINT_MISSING("Security Framework 5.1.1.1"),
    LOGIN_TARGET_LINK_URI_MISSING("Security Framework 5.1.1.1"),
    LOGIN_CLIENT_ID_MISMATCH("LTI Core 4.1.3"),
    LOGIN_DEPLOYMENT_UNKNOWN("LTI Core 4.1.2"),
    TOOL_NOT_FOUND("LTI Core 4.1, target_link_uri"),
    TOOL_LOGIN_URI_NOT_ALLOWED("OIDC Third-Party Initiated Login; the tool's redirect URIs"),
    LOGIN_PARAMETER_TOO_LONG("Security Framework 5.1.1.1 (parameters of a few hundred characters)"),
    NOT_STARTED_BY_PLATFORM("Security Framework 5.1.1"),
    MALFORMED_REQUEST("Security Framework 5.1.1"),

    // The authentication response: Security Framework 5.1.1.3 to 5.1.3, OIDC Core 3.2.2.5
    PLATFORM_ERROR("OIDC Core 3.1.2.6"),
    ID_TOKEN_MISSING("Security Framework 5.1.1.5"),
    STATE_MISSING("Security Framework 7.3.1"),
    STATE_UNKNOWN("Security Framework 7.3.1"),
    STATE_OTHER_PLATFORM("Security Framework 7.3.1"),
    STORAGE_PROOF_CROSS_SITE("LTI Client Side postMessages (Platform Storage); login CSRF", 403),
    FIRST_LAUNCH_NEEDS_COOKIES("the registration's first login flow", 403),
    FIRST_LOGIN_FLOW_LINKS_ACCOUNTS("the registration's first login flow (existing accounts are never linked by a launch)", 403),
    ACCOUNT_EXISTS("LTI Core 5.3.6 (a user is created once per platform user; existing accounts are never taken over)", 409),
    MALFORMED_JWT("Security Framework 5.1.3 step 1"),
    ALG_NONE("Security Framework 5.1.3 step 6"),
    ALG_NOT_ALLOWED("Security Framework 5.1.3 step 6"),
    KID_MISSING("Security Framework 6.3"),
    KEY_UNKNOWN("Security Framework 5.1.3 step 1"),
    JWKS_UNAVAILABLE("Security Framework 6.3", 502),
    SIGNATURE_INVALID("Security Framework 5.1.3 step 1"),
    ISS_MISSING("Security Framework 5.1.3 step 2"),
    ISS_MISMATCH("Security Framework 5.1.3 step 2"),
    AUD_MISSING("Security Framework 5.1.3 step 3"),
    AUD_MISMATCH("Security Framework 5.1.3 step 3"),
    AZP_MISSING("Security Framework 5.1.3 step 4"),
    AZP_MISMATCH("Security Framework 5.1.3 step 5"),
    EXP_MISSING("Security Framework 5.1.3 step 7"),
    EXPIRED("Security Framework 5.1.3 step 7"),
    IAT_MISSING("Security Framework 5.1.3 step 8"),
    IAT_IN_FUTURE("Security Framework 5.1.3 step 8"),
    NONCE_MISSING("Security Framework 5.1.3 step 9"),
    NONCE_MISMATCH("Security Framework 5.1.3 step 9"),
    NONCE_REPLAYED("Security Framework 5.1.3 step 9"),
    NO_LTI_CLAIMS("LTI Core 5.3 (a platform that lost its own login session)"),
    SUB_MISSING("LTI Core 5.3.6"),
    VERSION_MISSING("LTI Core 5.3.2"),
    VERSION_UNSUPPORTED("LTI Core 5.3.2"),
    MESSAGE_TYPE_MISSING("LTI Core 5.3.1"),
    MESSAGE_TYPE_UNSUPPORTED("LTI Core 5.3.1"),
    MESSAGE_TYPE_NOT_ACCEPTED("LTI Core 5.3.1; the tool client's lti.message.types"),
    DEPLOYMENT_MISSING("LTI Core 5.3.3"),
    DEPLOYMENT_UNKNOWN("LTI Core 3.1.3"),
    TARGET_LINK_URI_MISSING("LTI Core 5.3.4"),
    TARGET_LINK_URI_MISMATCH("Security Framework 5.1.1.1"),
    RESOURCE_LINK_MISSING("LTI Core 5.3.5"),
    ROLES_MISSING("LTI Core 5.3.7"),
    DEEP_LINKING_SETTINGS_MISSING("Deep Linking 2.0 4.4.1"),
    CLAIM_MALFORMED("LTI Core 5.3");

    private final String specRule;
    private final int status;

    LaunchError(String specRule) {
        this(specRule, 400);
    }

    LaunchError(String specRule, int status) {
        this.specRule = specRule;
        this.status = status;
    }

    /** Stable code, e.g. {@code lti_deployment_unknown}. */
    public String code() {
        return "lti_" + name().toLowerCase(Locale.ROOT);
    }

    public String specRule() {
        return specRule;
    }

    public int status() {
        return status;
    }

    /** The theme message key of this error's text. */
    public String messageKey() {
        return "ltiError." + code();
    }
}
