package io.github.keycloaklti.testsupport.platform;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import com.nimbusds.jwt.JWTClaimsSet;

/**
 * What a platform launches: an LtiResourceLinkRequest or LtiDeepLinkingRequest for a user in a course, with
 * every claim of LTI Core 1.3, Deep Linking 2.0, NRPS 2.0 and AGS 2.0. Tests change any of it, or the built
 * claims themselves through {@link #tweak(Consumer)}, to make bad launches.
 */
public final class LtiMessage {

    public static final String INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor";
    public static final String LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner";
    public static final String FACULTY = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Faculty";
    public static final String STUDENT = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Student";

    static final String LTI = "https://purl.imsglobal.org/spec/lti/claim/";
    static final String DL_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings";
    static final String NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice";
    static final String AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint";

    String messageType = "LtiResourceLinkRequest";
    String subject = "user-" + UUID.randomUUID();
    String givenName = "Ada";
    String familyName = "Lovelace";
    String email;
    String name;
    List<String> roles = new ArrayList<>(List.of(LEARNER, STUDENT));
    String contextId = "course-101";
    String contextTitle = "Introduction to Computing";
    String resourceLinkId = "resource-link-1";
    String resourceLinkTitle = "Week 1: Analytical engines";
    String storageTarget;
    String targetLinkUri;
    String deploymentId;
    /** The tool registration this message is launched through; set at login initiation. */
    PlatformEmulator.Registration registration;
    Map<String, Object> custom = new LinkedHashMap<>(Map.of("chapter", "1"));
    Consumer<JWTClaimsSet.Builder> tweak = builder -> { };

    public static LtiMessage resourceLink() {
        return new LtiMessage();
    }

    public static LtiMessage deepLinking() {
        LtiMessage message = new LtiMessage();
        message.messageType = "LtiDeepLinkingRequest";
        message.roles = new ArrayList<>(List.of(INSTRUCTOR, FACULTY));
        return message;
    }

    public LtiMessage asInstructor() {
        roles = new ArrayList<>(List.of(INSTRUCTOR, FACULTY));
        return this;
    }

    public LtiMessage asLearner() {
        roles = new ArrayList<>(List.of(LEARNER, STUDENT));
        return this;
    }

    public LtiMessage user(String subject, String givenName, String familyName) {
        this.subject = subject;
        this.givenName = givenName;
        this.familyName = familyName;
        return this;
    }

    /**
     * What a platform that withholds names sends: no {@code given_name}, {@code family_name} or {@code name} (Canvas
     * "anonymous", Moodle "never share", 1EdTech's "No PII" and "Email only" launches).
     */
    public LtiMessage withoutNames() {
        this.givenName = null;
        this.familyName = null;
        this.name = null;
        return this;
    }

    /** Only {@code name}, as Open edX and platforms at a "name only" privacy level send it. */
    public LtiMessage nameOnly(String wholeName) {
        withoutNames();
        this.name = wholeName;
        return this;
    }

    public LtiMessage email(String email) {
        this.email = email;
        return this;
    }

    /** The roles this message sends, as sent. */
    public List<String> roles() {
        return List.copyOf(roles);
    }

    public LtiMessage roles(String... roles) {
        this.roles = new ArrayList<>(List.of(roles));
        return this;
    }

    /** Platform Storage is offered: {@code lti_storage_target} in the login initiation (a frame name or _parent). */
    public LtiMessage storageTarget(String target) {
        this.storageTarget = target;
        return this;
    }

    public LtiMessage context(String id, String title) {
        this.contextId = id;
        this.contextTitle = title;
        return this;
    }

    public LtiMessage resourceLink(String id, String title) {
        this.resourceLinkId = id;
        this.resourceLinkTitle = title;
        return this;
    }

    public LtiMessage targetLinkUri(String targetLinkUri) {
        this.targetLinkUri = targetLinkUri;
        return this;
    }

    public LtiMessage deploymentId(String deploymentId) {
        this.deploymentId = deploymentId;
        return this;
    }

    public LtiMessage custom(String name, Object value) {
        custom.put(name, value);
        return this;
    }

    /** Changes the claims after they are built: for launches that break a rule. */
    public LtiMessage tweak(Consumer<JWTClaimsSet.Builder> tweak) {
        this.tweak = this.tweak.andThen(tweak);
        return this;
    }

    /**
     * The LTI 1.1 migration claim ({@code .../claim/lti1p1}) with these fields, and {@code oauth_consumer_key_sign}
     * computed as LTI 1.3 Core's migration guide says, with the 1.1 shared secret, over this message as signed (its
     * deployment, issuer, audience, expiry and nonce). A null secret sends the fields unsigned.
     */
    public LtiMessage lti1p1(Map<String, Object> fields, String secret) {
        return tweak(claims -> {
            Map<String, Object> claim = new LinkedHashMap<>(fields);
            if (secret != null) {
                JWTClaimsSet signed = claims.build();
                String base = String.join("&", String.valueOf(fields.get("oauth_consumer_key")),
                        String.valueOf(signed.getClaim(LTI + "deployment_id")), signed.getIssuer(),
                        signed.getAudience().get(0), Long.toString(signed.getExpirationTime().getTime() / 1000),
                        String.valueOf(signed.getClaim("nonce")));
                claim.put("oauth_consumer_key_sign", hmacSha256(secret, base));
            }
            claims.claim(LTI + "lti1p1", claim);
        });
    }

    /** Brightspace's (and Canvas's) {@code .../claim/lti11_legacy_user_id}. */
    public LtiMessage lti11LegacyUserId(String userId) {
        return tweak(claims -> claims.claim(LTI + "lti11_legacy_user_id", userId));
    }

    private static String hmacSha256(String secret, String base) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    "HmacSHA256"));
            return java.util.Base64.getEncoder().encodeToString(
                    mac.doFinal(base.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String subject() {
        return subject;
    }

    public String messageType() {
        return messageType;
    }

    public String targetLinkUri() {
        return targetLinkUri;
    }

    public String deploymentId() {
        return deploymentId;
    }

    public String contextId() {
        return contextId;
    }

    JWTClaimsSet claims(PlatformEmulator platform, String nonce, Instant now) {
        PlatformEmulator.Registration tool = platform.registrationOf(this);
        String deployment = deploymentId != null ? deploymentId : tool.deploymentId();
        String base = platform.baseUrl();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(platform.issuer())
                .subject(subject)
                .audience(tool.clientId())
                .issueTime(java.util.Date.from(now))
                .expirationTime(java.util.Date.from(now.plusSeconds(300)))
                .claim("nonce", nonce)
                .claim(LTI + "message_type", messageType)
                .claim(LTI + "version", "1.3.0")
                .claim(LTI + "deployment_id", deployment)
                .claim(LTI + "target_link_uri", targetLinkUri)
                .claim(LTI + "roles", roles)
                .claim(LTI + "context", Map.of("id", contextId, "label", "CS101", "title", contextTitle,
                        "type", List.of("http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering")))
                .claim(LTI + "tool_platform", Map.of("guid", "platform-emulator", "name", "Platform emulator",
                        "product_family_code", "keycloak-lti-emulator", "version", "1.0"))
                .claim(LTI + "launch_presentation", Map.of("document_target", "iframe",
                        "return_url", base + "/return", "locale", "en"))
                .claim(LTI + "lis", Map.of("person_sourcedid", "sis-" + subject, "course_section_sourcedid", "sis-" + contextId))
                .claim(LTI + "custom", custom)
                .claim(NRPS, Map.of("context_memberships_url", base + "/nrps/" + contextId + "/memberships",
                        "service_versions", List.of("2.0")))
                .claim(AGS, Map.of("scope", List.of("https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
                                "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
                                "https://purl.imsglobal.org/spec/lti-ags/scope/score"),
                        "lineitems", base + "/ags/" + contextId + "/lineitems"));
        if (givenName != null) {
            claims.claim("given_name", givenName);
        }
        if (familyName != null) {
            claims.claim("family_name", familyName);
        }
        String wholeName = name != null ? name : givenName != null && familyName != null ? givenName + " " + familyName : null;
        if (wholeName != null) {
            claims.claim("name", wholeName);
        }
        if (email != null) {
            claims.claim("email", email);
        }
        if ("LtiDeepLinkingRequest".equals(messageType)) {
            String data = "dl-data-" + UUID.randomUUID();
            platform.services().rememberDeepLinkingData(data);
            // a return URL with its own query, as Canvas makes them: the response must go back to it whole
            claims.claim(DL_SETTINGS, Map.of("deep_link_return_url", base + "/deep-link-return?return_for=" + data,
                    "accept_types", List.of("ltiResourceLink", "link", "file", "html", "image"),
                    "accept_presentation_document_targets", List.of("iframe", "window"),
                    "accept_multiple", true, "accept_lineitem", true, "data", data));
            // real platforms send a resource_link in deep-linking requests too
            claims.claim(LTI + "resource_link", Map.of("id", resourceLinkId));
        } else {
            claims.claim(LTI + "resource_link", Map.of("id", resourceLinkId, "title", resourceLinkTitle));
        }
        tweak.accept(claims);
        return claims.build();
    }
}
