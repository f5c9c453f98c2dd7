package io.github.keycloaklti.page;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.Properties;

import jakarta.ws.rs.core.Response;

import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.theme.Theme;

/**
 * Error pages that show values from a request or a platform. Keycloak's own error page passes its message through
 * {@code kcSanitize}, which decodes entities and then lets links, images and headings through: a crafted issuer or
 * error_description would render as a "Session expired, click here" link. These pages instead format the message
 * here and let the theme's template print it as text (FreeMarker escapes it), each value cut to a length.
 */
public final class PageText {

    private PageText() {
    }

    /** A value as shown: at most {@code maxChars} characters, control characters replaced. */
    public static String of(Object value, int maxChars) {
        String text = String.valueOf(value);
        if (text.length() > maxChars) {
            text = text.substring(0, maxChars) + "…";
        }
        StringBuilder shown = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            shown.append(Character.isISOControl(c) ? ' ' : c);
        }
        return shown.toString();
    }

    /** The login theme's error page, with the message {@code key} formatted with {@code params}, as text only. */
    public static Response errorPage(KeycloakSession session, Response.Status status, String key, Object... params) {
        Locale locale = session.getContext().resolveLocale(null);
        String text;
        try {
            Properties messages = session.theme().getTheme(Theme.Type.LOGIN)
                    .getEnhancedMessages(session.getContext().getRealm(), locale);
            String pattern = messages.getProperty(key, key);
            text = new MessageFormat(pattern, locale).format(params);
        } catch (Exception e) {
            text = key;
        }
        return session.getProvider(LoginFormsProvider.class)
                .setDetachedAuthSession()
                .setAttribute("ltiErrorText", text)
                .setStatus(status)
                .createForm("lti-error.ftl");
    }
}
