package io.github.keycloaklti.launch;

/**
 * A value from a request or a platform as it may appear in a message of Keycloak's pages: cut to a length and
 * HTML-escaped, so that the theme's sanitizer (which lets links, images and headings of a message through) only ever
 * sees plain text.
 */
public final class PageText {

    private PageText() {
    }

    public static String of(Object value, int maxChars) {
        String text = String.valueOf(value);
        if (text.length() > maxChars) {
            text = text.substring(0, maxChars) + "…";
        }
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(Character.isISOControl(c) ? ' ' : c);
            }
        }
        return escaped.toString();
    }
}
