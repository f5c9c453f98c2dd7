package io.github.keycloaklti.logging;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** What this build of the extension is: its version, and the Keycloak releases it was tested on (Maven writes both). */
public final class Product {

    private static final Properties BUILD = read();
    /** The product's version; "dev" when run from classes Maven did not build. */
    public static final String VERSION = BUILD.getProperty("version", "dev");
    /** The Keycloak releases this build was tested on, e.g. "26.4.7, 26.5.6, 26.7.3". */
    public static final String TESTED_ON = BUILD.getProperty("tested", "unknown");

    private Product() {
    }

    private static Properties read() {
        Properties properties = new Properties();
        try (InputStream in = Product.class.getResourceAsStream("/META-INF/keycloak-lti-version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // a build without the file says "dev"
        }
        return properties;
    }
}
