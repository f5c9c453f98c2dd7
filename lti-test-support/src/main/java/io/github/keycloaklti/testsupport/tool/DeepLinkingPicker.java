package io.github.keycloaklti.testsupport.tool;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.keycloaklti.testsupport.http.Exchanges;

/** The demo tool's content picker, shown after a deep-linking launch. */
final class DeepLinkingPicker {

    private DeepLinkingPicker() {
    }

    static String html(ToolLogin login) {
        return "<h2>Add content to the course</h2><form id=\"picker\" method=\"post\" action=\"/deep-link\">"
                + "<input type=\"hidden\" name=\"login\" value=\"" + Exchanges.escape(login.id()) + "\">"
                + "<label><input type=\"checkbox\" name=\"item\" value=\"quiz\" id=\"item-quiz\" checked> Quiz 1 (graded, 10 points)</label><br>"
                + "<label><input type=\"checkbox\" name=\"item\" value=\"reading\" id=\"item-reading\"> Reading: the analytical engine</label><br>"
                + "<button type=\"submit\" id=\"add-content\">Add to course</button></form>";
    }

    static Map<String, Object> item(String toolBaseUrl, String choice) {
        Map<String, Object> item = new LinkedHashMap<>();
        if ("quiz".equals(choice)) {
            item.put("type", "ltiResourceLink");
            item.put("title", "Quiz 1");
            item.put("url", toolBaseUrl + "/launch");
            item.put("custom", Map.of("quiz_id", "quiz-1"));
            item.put("lineItem", Map.of("scoreMaximum", 10, "label", "Quiz 1", "resourceId", "quiz-1"));
            item.put("iframe", Map.of("width", 800, "height", 600));
        } else {
            item.put("type", "link");
            item.put("title", "Reading: the analytical engine");
            item.put("url", "https://en.wikipedia.org/wiki/Analytical_engine");
            item.put("window", Map.of("targetName", "_blank"));
        }
        return item;
    }

    static List<String> choices() {
        return List.of("quiz", "reading");
    }
}
