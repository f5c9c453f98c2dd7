package io.github.keycloaklti.it;

import java.text.ParseException;
import java.util.Map;

import com.nimbusds.jwt.JWTParser;

/** Reads the claims of a token the tool received (its signature was checked by the tool stand-in). */
final class Jwts {

    private Jwts() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(String json) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, Map.class);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static Map<String, Object> claims(String jwt) {
        try {
            return JWTParser.parse(jwt).getJWTClaimsSet().getClaims();
        } catch (ParseException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
