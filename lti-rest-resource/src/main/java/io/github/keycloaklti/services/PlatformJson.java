package io.github.keycloaklti.services;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import org.keycloak.util.JsonSerialization;

import io.github.keycloaklti.toolapi.ServiceException;

/**
 * A platform's JSON answers read as streams, never as object trees: what an answer costs in memory is its bytes,
 * whatever its shape (a page of a million empty arrays would otherwise become a million objects). Only the values
 * the extension acts on are read out; the rest is copied through as it came.
 */
public final class PlatformJson {

    private static final JsonFactory JSON = JsonSerialization.mapper.getFactory();

    private PlatformJson() {
    }

    /** Whether the answer is one JSON array (its elements looked at, not kept). */
    public static boolean isArray(String body) {
        try (JsonParser in = JSON.createParser(body == null ? "" : body)) {
            if (in.nextToken() != JsonToken.START_ARRAY) {
                return false;
            }
            in.skipChildren();
            return in.nextToken() == null;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The string value of a top-level field of a JSON object answer; null when absent or not a string. */
    public static String topLevelString(String body, String field) {
        try (JsonParser in = JSON.createParser(body == null ? "" : body)) {
            return topLevelString(in, field);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String topLevelString(JsonParser in, String field) throws IOException {
        if (in.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        String found = null;
        while (in.nextToken() == JsonToken.FIELD_NAME) {
            String name = in.currentName();
            JsonToken value = in.nextToken();
            if (field.equals(name) && value == JsonToken.VALUE_STRING && found == null) {
                found = in.getText();
            } else {
                in.skipChildren();
            }
        }
        return found;
    }

    /** An element of an array answer: its top-level {@code id} (null when none) and its JSON as it came. */
    public record Element(String id, byte[] json) {
    }

    /**
     * The elements of a JSON array answer, each kept as raw JSON with its {@code id}; refused once more than
     * {@code max} were read (with the elements of earlier pages, {@code already}).
     */
    public static List<Element> elements(String body, int already, int max, String tooMany) {
        List<Element> elements = new ArrayList<>();
        try (JsonParser in = JSON.createParser(body == null ? "" : body)) {
            if (in.nextToken() != JsonToken.START_ARRAY) {
                throw new ServiceException(502, "platform_invalid_answer", "the platform's answer is not a JSON array");
            }
            while (in.nextToken() != JsonToken.END_ARRAY) {
                if (already + elements.size() >= max) {
                    throw new ServiceException(502, "too_many_line_items", tooMany);
                }
                byte[] json = copyValue(in);
                String id;
                try (JsonParser element = JSON.createParser(json)) {
                    id = topLevelString(element, "id");
                }
                elements.add(new Element(id, json));
            }
            return elements;
        } catch (IOException | RuntimeException e) {
            if (e instanceof ServiceException refused) {
                throw refused;
            }
            throw new ServiceException(502, "platform_invalid_answer", "the platform's answer is not valid JSON");
        }
    }

    /** A JSON array of these elements. */
    public static byte[] array(List<Element> elements) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('[');
        for (int i = 0; i < elements.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(elements.get(i).json());
        }
        out.write(']');
        return out.toByteArray();
    }

    /** The next value of {@code in}, copied as raw JSON (a tree of it is never built). */
    public static byte[] copyValue(JsonParser in) throws IOException {
        ByteArrayOutputStream value = new ByteArrayOutputStream();
        try (JsonGenerator copy = JSON.createGenerator(value)) {
            copy.copyCurrentStructure(in);
        }
        return value.toByteArray();
    }
}
