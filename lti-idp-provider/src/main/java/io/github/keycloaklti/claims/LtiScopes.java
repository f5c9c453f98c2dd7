package io.github.keycloaklti.claims;

import java.util.List;

/** The OAuth scopes of the LTI services (NRPS 2.0, AGS 2.0) that Keycloak asks platforms for. */
public final class LtiScopes {

    public static final String NRPS_MEMBERSHIPS = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly";
    public static final String AGS_LINEITEM = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem";
    public static final String AGS_LINEITEM_READONLY = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly";
    public static final String AGS_RESULT_READONLY = "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly";
    public static final String AGS_SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score";

    /** Every service scope, in the order registrations list them. */
    public static final List<String> SERVICES = List.of(NRPS_MEMBERSHIPS, AGS_LINEITEM, AGS_LINEITEM_READONLY,
            AGS_RESULT_READONLY, AGS_SCORE);

    /** Canvas placements: where a course shows the tool, by message type. */
    public static final List<String> CANVAS_RESOURCE_LINK_PLACEMENTS = List.of("course_navigation");
    public static final List<String> CANVAS_DEEP_LINKING_PLACEMENTS = List.of("link_selection", "assignment_selection");

    private LtiScopes() {
    }
}
