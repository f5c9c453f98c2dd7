package io.github.keycloaklti.claims;

/**
 * An LTI role as sent in the roles claim, or as written by an admin in a mapper. LTI Core 1.3 A.2 names
 * roles by URI ({@code http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor}); platforms also
 * send the deprecated short context role names ({@code Instructor}) and sub-roles
 * ({@code membership/Instructor#TeachingAssistant}). Both spellings compare equal here.
 */
public record LtiRole(String uri) {

    public static final String VOCABULARY = "http://purl.imsglobal.org/vocab/lis/v2/";
    public static final String CONTEXT_ROLE_PREFIX = VOCABULARY + "membership#";

    public static LtiRole of(String role) {
        if (role == null || role.isBlank()) {
            throw new IllegalArgumentException("empty LTI role");
        }
        return new LtiRole(canonical(role.trim()));
    }

    static String canonical(String role) {
        if (role.startsWith("http://") || role.startsWith("https://")) {
            return role;
        }
        if (role.contains("#")) {
            // "membership#Instructor", "institution/person#Faculty", "membership/Instructor#TeachingAssistant"
            return VOCABULARY + role;
        }
        return CONTEXT_ROLE_PREFIX + role;
    }

    /** The name after '#', e.g. {@code Instructor}; the last path segment when the URI has no fragment. */
    public String name() {
        int hash = uri.lastIndexOf('#');
        if (hash >= 0) {
            return uri.substring(hash + 1);
        }
        int slash = uri.lastIndexOf('/');
        return slash >= 0 ? uri.substring(slash + 1) : uri;
    }

    public boolean isContextRole() {
        return uri.startsWith(VOCABULARY + "membership");
    }

    public boolean isInstitutionRole() {
        return uri.startsWith(VOCABULARY + "institution/person");
    }

    public boolean isSystemRole() {
        return uri.startsWith(VOCABULARY + "system/person");
    }

    /** LTI Core A.2.5: a role whose name is {@code None} says the user has no role of that kind. */
    public boolean isNone() {
        return "None".equals(name());
    }

    public boolean matches(String configuredRole) {
        return configuredRole != null && !configuredRole.isBlank() && uri.equals(canonical(configuredRole.trim()));
    }
}
