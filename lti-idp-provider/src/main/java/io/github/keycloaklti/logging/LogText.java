package io.github.keycloaklti.logging;

/**
 * A value from outside (a platform's name, an alias, a URL a platform sent) as it may appear in Keycloak's log:
 * one line (CR, LF and other control characters replaced), at most 200 characters, so nobody can forge log lines.
 */
public final class LogText {

    private static final int MAX_CHARS = 200;

    private LogText() {
    }

    public static String of(Object value) {
        if (value == null) {
            return "null";
        }
        String text = String.valueOf(value);
        StringBuilder line = new StringBuilder(Math.min(text.length(), MAX_CHARS) + 1);
        for (int i = 0; i < text.length() && line.length() < MAX_CHARS; i++) {
            char c = text.charAt(i);
            line.append(Character.isISOControl(c) || c == '\u2028' || c == '\u2029' ? '_' : c);
        }
        if (text.length() > MAX_CHARS) {
            line.append('…');
        }
        return line.toString();
    }
}
