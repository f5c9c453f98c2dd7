package io.github.keycloaklti.testsupport.tool;

import io.github.keycloaklti.testsupport.http.Exchanges;

/** What the demo tool shows after a login: who, in which course and role, and every claim. */
final class ToolPage {

    private static final String LTI = "https://purl.imsglobal.org/spec/lti/claim/";

    private ToolPage() {
    }

    static String html(ToolLogin login, String claimsJson) {
        Object context = login.claim(LTI + "context");
        Object roles = login.claim(LTI + "roles");
        Object messageType = login.claim(LTI + "message_type");
        return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Demo tool</title>"
                + "<style>body{font-family:sans-serif;margin:1.5em}pre{background:#f4f4f4;padding:1em;overflow:auto}</style>"
                + "</head><body><h1>Demo tool</h1>"
                + "<p>Logged in through ordinary OIDC as <strong id=\"username\">" + Exchanges.escape(login.username())
                + "</strong> (<span id=\"name\">" + Exchanges.escape(String.valueOf(login.claim("name"))) + "</span>)</p>"
                + "<p>Message: <span id=\"message-type\">" + Exchanges.escape(String.valueOf(messageType)) + "</span></p>"
                + "<p>Course: <span id=\"context\">" + Exchanges.escape(String.valueOf(context)) + "</span></p>"
                + "<p>Roles: <span id=\"roles\">" + Exchanges.escape(String.valueOf(roles)) + "</span></p>"
                + ("LtiDeepLinkingRequest".equals(messageType) ? DeepLinkingPicker.html(login) : "")
                + "<h2>ID token claims</h2><pre id=\"claims\">" + Exchanges.escape(claimsJson) + "</pre></body></html>";
    }
}
