package io.github.keycloaklti.testsupport.platform;

import java.util.List;
import java.util.Locale;

import io.github.keycloaklti.testsupport.http.Exchanges;

/** The emulator's course page: the buttons a learner or an instructor clicks in an LMS. */
final class CoursePage {

    private CoursePage() {
    }

    static String html(PlatformEmulator platform) {
        String base = "/start?";
        return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Platform emulator</title>"
                + "<style>body{font-family:sans-serif;margin:2em}a.button{display:inline-block;margin:.3em;padding:.6em 1em;"
                + "background:#1a5fb4;color:#fff;text-decoration:none;border-radius:4px}</style></head><body>"
                + "<h1>Introduction to Computing</h1><p>An LTI 1.3 platform emulator (issuer "
                + Exchanges.escape(platform.issuer()) + ").</p>"
                + "<p><a class=\"button\" id=\"launch-learner\" href=\"" + base + "as=learner\">Launch as learner</a>"
                + "<a class=\"button\" id=\"launch-instructor\" href=\"" + base + "as=instructor\">Launch as instructor</a>"
                + "<a class=\"button\" id=\"launch-deep-linking\" href=\"" + base + "as=deep-linking\">Add content (deep linking)</a>"
                + "<a class=\"button\" id=\"launch-iframe\" href=\"" + base + "as=learner&amp;frame=1\">Launch as learner in an iframe</a></p>"
                + otherTools(platform)
                + "<h2>Administration: register a tool by URL</h2>"
                + "<form method=\"get\" action=\"/dr/start\"><input type=\"url\" name=\"url\" id=\"registration-url\" "
                + "size=\"80\" placeholder=\"Dynamic Registration link from Keycloak\"> "
                + "<button type=\"submit\" id=\"register-tool\">Register</button></form>"
                + "</body></html>";
    }

    /**
     * Tools registered after the course's own (Dynamic Registration): a row of buttons each, so that registering
     * another tool never takes the course's launches away from the first.
     */
    private static String otherTools(PlatformEmulator platform) {
        List<PlatformEmulator.Registration> tools = platform.registrations();
        if (tools.size() < 2) {
            return "";
        }
        StringBuilder rows = new StringBuilder("<h2>Other tools registered here</h2>");
        for (int i = 1; i < tools.size(); i++) {
            String start = "/start?tool=" + i + "&amp;as=";
            rows.append("<p id=\"tool-").append(i).append("\">Client <code>")
                    .append(Exchanges.escape(tools.get(i).clientId())).append("</code>, login initiation <code>")
                    .append(Exchanges.escape(tools.get(i).loginInitiationUrl())).append("</code><br>")
                    .append("<a class=\"button\" href=\"").append(start).append("learner\">Launch as learner</a>")
                    .append("<a class=\"button\" href=\"").append(start).append("instructor\">Launch as instructor</a></p>");
        }
        return rows.toString();
    }

    static String frame(String src) {
        return frame(src, false);
    }

    /**
     * The course page with the tool's iframe; with {@code storage}, the page is also the LTI Platform Storage
     * target ({@code lti_storage_target=_parent}): it answers the frame's {@code lti.capabilities},
     * {@code lti.put_data} and {@code lti.get_data} messages (LTI Client Side postMessages, Platform Storage), each
     * answer matched by {@code message_id}, values kept per origin of the frame that stored them, and only for
     * origins it answers to (the message's origin is its own check).
     */
    static String frame(String src, boolean storage) {
        String script = !storage ? "" : "<script>(function(){var store={};"
                + "window.addEventListener('message',function(e){var m=e.data;if(!m||typeof m!=='object'||!m.subject)return;"
                + "var reply={message_id:m.message_id};"
                + "if(m.subject==='lti.capabilities'){reply.subject='lti.capabilities.response';reply.supported_messages="
                + "[{subject:'lti.capabilities'},{subject:'lti.put_data'},{subject:'lti.get_data'}];}"
                + "else if(m.subject==='lti.put_data'){store[e.origin+'|'+m.key]=m.value;reply.subject='lti.put_data.response';"
                + "reply.key=m.key;reply.value=m.value;}"
                + "else if(m.subject==='lti.get_data'){reply.subject='lti.get_data.response';reply.key=m.key;"
                + "var k=e.origin+'|'+m.key;if(k in store){reply.value=store[k];}else{reply.error={code:'unknown_key',"
                + "message:'no such key'};}}"
                + "else{return;}"
                + "if(m.subject==='lti.capabilities'){window.__ltiCapabilities=(window.__ltiCapabilities||0)+1;}"
                + "else{window.__ltiStorageMessages=(window.__ltiStorageMessages||0)+1;}"
                + "e.source.postMessage(reply,e.origin);});})();</script>";
        return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Course page with tool</title>" + script
                + "</head><body><h1>Course page</h1><iframe id=\"tool-frame\" name=\"tool-frame\" src=\""
                + Exchanges.escape(src) + "\" style=\"width:100%;height:600px;border:1px solid #ccc\"></iframe></body></html>";
    }

    static String given(String user) {
        String name = user.replaceAll("[^A-Za-z]", "");
        return name.isEmpty() ? "User" : name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1);
    }

    static String family(String user) {
        return "Tester";
    }
}
