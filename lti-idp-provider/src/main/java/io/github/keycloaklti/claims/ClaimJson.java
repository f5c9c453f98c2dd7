package io.github.keycloaklti.claims;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.keycloak.util.JsonSerialization;

/** JSON (de)serialisation of claim values, for session notes and tokens. */
public final class ClaimJson {

    /** Keycloak's own configured mapper. */
    private static final ObjectMapper MAPPER = JsonSerialization.mapper;

    private ClaimJson() {
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Object read(String json) {
        try {
            return MAPPER.readValue(json, Object.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
