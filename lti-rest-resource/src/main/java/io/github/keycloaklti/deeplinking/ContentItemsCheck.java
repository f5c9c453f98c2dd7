package io.github.keycloaklti.deeplinking;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.keycloaklti.claims.LaunchClaims;

/**
 * Checks the tool's content items against Deep Linking 2.0 (section 3, content item types) and the platform's
 * deep_linking_settings, collecting every problem rather than stopping at the first.
 */
final class ContentItemsCheck {

    static final Set<String> KNOWN_TYPES = Set.of("ltiResourceLink", "link", "file", "html", "image");
    private static final Set<String> PRESENTATIONS = Set.of("window", "iframe", "embed");

    private ContentItemsCheck() {
    }

    static List<String> problems(Object items, LaunchClaims.DeepLinkingSettings settings) {
        List<String> problems = new ArrayList<>();
        if (!(items instanceof List<?> list)) {
            problems.add("content_items must be a JSON array (an empty array cancels)");
            return problems;
        }
        if (!settings.acceptsMultiple() && list.size() > 1) {
            problems.add("the platform accepts one content item (accept_multiple=false), got " + list.size());
        }
        List<String> acceptTypes = settings.acceptTypes();
        List<String> acceptTargets = settings.acceptPresentationDocumentTargets();
        boolean acceptLineItem = settings.acceptsLineItems();
        for (int i = 0; i < list.size(); i++) {
            String where = "content_items[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> item)) {
                problems.add(where + " must be a JSON object");
                continue;
            }
            Object type = item.get("type");
            if (!(type instanceof String typeName) || !KNOWN_TYPES.contains(typeName)) {
                problems.add(where + ": unknown type " + quoted(type) + " (Deep Linking 2.0 types: ltiResourceLink, link, file, html, image)");
                continue;
            }
            if (acceptTypes != null && !acceptTypes.contains(typeName)) {
                problems.add(where + ": the platform does not accept type '" + typeName + "' (accept_types " + acceptTypes + ")");
            }
            checkFields(where, typeName, item, problems);
            for (String presentation : PRESENTATIONS) {
                if (item.containsKey(presentation) && acceptTargets != null && !acceptTargets.contains(presentation)) {
                    problems.add(where + ": presentation '" + presentation
                            + "' is not accepted (accept_presentation_document_targets " + acceptTargets + ")");
                }
            }
            if (item.containsKey("lineItem")) {
                if (!typeName.equals("ltiResourceLink")) {
                    problems.add(where + ": only ltiResourceLink items may carry a lineItem");
                } else if (!acceptLineItem) {
                    problems.add(where + ": the platform does not accept line items (accept_lineitem=false)");
                } else {
                    checkLineItem(where + ".lineItem", item.get("lineItem"), problems);
                }
            }
        }
        return problems;
    }

    private static void checkFields(String where, String type, Map<?, ?> item, List<String> problems) {
        switch (type) {
            case "link", "file", "image" -> requireUrl(where, "url", item.get("url"), true, problems);
            case "ltiResourceLink" -> requireUrl(where, "url", item.get("url"), false, problems);
            case "html" -> {
                if (!(item.get("html") instanceof String html) || html.isBlank()) {
                    problems.add(where + ": an html item needs 'html'");
                }
            }
            default -> { }
        }
        for (String field : new String[] {"icon", "thumbnail"}) {
            if (item.get(field) instanceof Map<?, ?> image) {
                requireUrl(where + "." + field, "url", image.get("url"), true, problems);
            } else if (item.containsKey(field)) {
                problems.add(where + "." + field + " must be an object with a url");
            }
        }
        if (item.containsKey("custom") && !(item.get("custom") instanceof Map<?, ?>)) {
            problems.add(where + ".custom must be an object of string values");
        } else if (item.get("custom") instanceof Map<?, ?> custom
                && custom.values().stream().anyMatch(v -> !(v instanceof String))) {
            problems.add(where + ".custom values must be strings");
        }
        if (item.containsKey("title") && !(item.get("title") instanceof String)) {
            problems.add(where + ".title must be a string");
        }
    }

    private static void checkLineItem(String where, Object lineItem, List<String> problems) {
        if (!(lineItem instanceof Map<?, ?> map)) {
            problems.add(where + " must be an object");
            return;
        }
        if (!(map.get("scoreMaximum") instanceof Number max) || max.doubleValue() <= 0) {
            problems.add(where + ".scoreMaximum must be a number greater than 0");
        }
        for (String field : new String[] {"label", "resourceId", "tag"}) {
            if (map.containsKey(field) && !(map.get(field) instanceof String)) {
                problems.add(where + "." + field + " must be a string");
            }
        }
    }

    private static void requireUrl(String where, String field, Object value, boolean required, List<String> problems) {
        if (value == null) {
            if (required) {
                problems.add(where + ": '" + field + "' is required");
            }
            return;
        }
        if (!(value instanceof String url) || !isWebUrl(url)) {
            problems.add(where + ": '" + field + "' must be an absolute http(s) URL");
        }
    }

    /** A value from the request, echoed only when it is a plain word: errors never reflect markup. */
    static String quoted(Object value) {
        String text = String.valueOf(value);
        return text.matches("[A-Za-z0-9_.:-]{1,60}") ? "'" + text + "'" : "(not a known type name)";
    }

    static boolean isWebUrl(String url) {
        try {
            URI uri = new URI(url);
            return uri.isAbsolute() && uri.getHost() != null
                    && ("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()));
        } catch (Exception e) {
            return false;
        }
    }
}
