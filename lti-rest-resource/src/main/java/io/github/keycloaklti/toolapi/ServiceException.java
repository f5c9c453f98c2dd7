package io.github.keycloaklti.toolapi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * A refused REST call: its HTTP status, an OAuth-style {@code error} code, a description that says what to fix,
 * and optionally every problem found, as the JSON response JAX-RS sends when a resource throws it (a
 * {@code WebApplicationException} whose response has an entity is answered as it is). It never carries a token.
 */
public class ServiceException extends WebApplicationException {

    private final int status;
    private final String error;
    private final List<String> problems;

    public ServiceException(int status, String error, String description) {
        this(status, error, description, List.of());
    }

    public ServiceException(int status, String error, String description, List<String> problems) {
        super(description, response(status, error, description, problems));
        this.status = status;
        this.error = error;
        this.problems = List.copyOf(problems);
    }

    /** An expected answer, not a failure of the server: no stack trace to fill. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    private static Response response(int status, String error, String description, List<String> problems) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", description);
        if (!problems.isEmpty()) {
            body.put("problems", problems);
        }
        Response.ResponseBuilder response = Response.status(status).entity(body).type(MediaType.APPLICATION_JSON);
        if (status == 503) {
            response.header("Retry-After", "5");
        }
        if (status == 401) {
            response.header("WWW-Authenticate", "Bearer error=\"" + error + "\"");
        }
        return response.build();
    }
}
