package io.github.keycloaklti.compat;

/** Chooses the {@link KeycloakSpi} once per JVM, from what this Keycloak's classes are (not a cache: a constant). */
final class SelectedSpi {

    /** Compiled against 26.4's SPI in module {@code lti-compat-264}, carried by the same JAR. */
    static final String SPI_264 = "io.github.keycloaklti.compat264.KeycloakSpi264";
    static final KeycloakSpi CURRENT = select();

    private SelectedSpi() {
    }

    private static KeycloakSpi select() {
        ClassLoader loader = SelectedSpi.class.getClassLoader();
        try {
            Class.forName(KeycloakSpi265.MARKER, false, loader);
            return new KeycloakSpi265();
        } catch (ClassNotFoundException newer) {
            try {
                return Class.forName(SPI_264, true, loader).asSubclass(KeycloakSpi.class).getConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                throw new IllegalStateException("keycloak-lti needs Keycloak 26.4 or later: this Keycloak has no "
                        + KeycloakSpi265.MARKER + " and the classes for 26.4 do not load (" + e + ")", e);
            }
        }
    }
}
