package io.github.keycloaklti.deeplinking;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.util.JsonSerialization;

import io.github.keycloaklti.claims.LaunchClaims;
import io.github.keycloaklti.claims.LtiClaims;
import io.github.keycloaklti.toolapi.LaunchBearer;
import io.github.keycloaklti.toolapi.ServiceException;

/**
 * {@code POST /realms/R/lti/deep-linking/response}: the tool's chosen content items, signed as an
 * LtiDeepLinkingResponse for the platform of the deep-linking launch that the bearer token comes from.
 */
public class DeepLinkingResource {

    static final int MAX_BODY_BYTES = 256 * 1024;
    private static final Logger LOG = Logger.getLogger(DeepLinkingResource.class);
    /** Keycloak's own configured mapper. */
    private static final ObjectMapper JSON = JsonSerialization.mapper;
    private static final List<String> MESSAGES = List.of("msg", "log", "errormsg", "errorlog");

    private final KeycloakSession session;

    public DeepLinkingResource(KeycloakSession session) {
        this.session = session;
    }

    @POST
    @Path("response")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response respond(InputStream body) {
        return signResponse(body);
    }

    private Response signResponse(InputStream body) {
        LaunchBearer launch = LaunchBearer.authenticate(session);
        if (!LtiClaims.DEEP_LINKING_REQUEST.equals(launch.messageType())) {
            throw new ServiceException(403, "not_a_deep_linking_launch",
                    "the token comes from a " + launch.messageType()
                            + " launch; deep-linking responses need an LtiDeepLinkingRequest launch");
        }
        LaunchClaims.DeepLinkingSettings settings = launch.deepLinkingSettings()
                .filter(s -> s.returnUrl() != null && ContentItemsCheck.isWebUrl(s.returnUrl()))
                .orElseThrow(() -> new ServiceException(409, "no_return_url",
                        "the deep-linking launch carries no usable deep_link_return_url"));
        String returnUrl = settings.returnUrl();
        Map<String, Object> request = parse(body);
        if (request.containsKey("deep_link_return_url") && !returnUrl.equals(request.get("deep_link_return_url"))) {
            throw new ServiceException(400, "invalid_request",
                    "deep_link_return_url is not the one of the launch; leave it out, Keycloak uses the launch's");
        }
        Object items = request.getOrDefault("content_items", List.of());
        List<String> problems = ContentItemsCheck.problems(items, settings);
        problems.addAll(LaunchTargets.notIntoCaller(session, launch, items));
        Map<String, Object> messages = new LinkedHashMap<>();
        for (String name : MESSAGES) {
            Object value = request.get(name);
            if (value != null && !(value instanceof String)) {
                problems.add(name + " must be a string");
            } else if (value != null) {
                messages.put(name, value);
            }
        }
        if (!problems.isEmpty()) {
            throw new ServiceException(400, "invalid_content_items",
                    problems.size() + " problem(s) with the content items", problems);
        }
        String jwt = DeepLinkingResponseJwt.sign(session, launch.platform(), launch.deploymentId(), settings.data(), items,
                messages);
        LOG.infof("Deep-linking response signed for platform '%s' with %d item(s)", launch.platform().getAlias(),
                ((List<?>) items).size());
        if (prefersHtml()) {
            return AutoPostPage.render(session, returnUrl, jwt);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("deep_link_return_url", returnUrl);
        answer.put("jwt", jwt);
        return Response.ok(answer, MediaType.APPLICATION_JSON).header("Cache-Control", "no-store").build();
    }

    private boolean prefersHtml() {
        List<MediaType> accepted = session.getContext().getRequestHeaders().getAcceptableMediaTypes();
        for (MediaType type : accepted) {
            if (type.isCompatible(MediaType.APPLICATION_JSON_TYPE) && !type.isWildcardType()) {
                return false;
            }
            if (type.isCompatible(MediaType.TEXT_HTML_TYPE) && !type.isWildcardType()) {
                return true;
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(InputStream body) {
        byte[] bytes;
        try {
            bytes = body.readNBytes(MAX_BODY_BYTES + 1);
        } catch (IOException e) {
            throw new ServiceException(400, "invalid_request", "the request body could not be read");
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw new ServiceException(413, "request_too_large",
                    "the request body is larger than " + MAX_BODY_BYTES / 1024 + " KiB");
        }
        try {
            Object parsed = JSON.readValue(bytes, Object.class);
            if (!(parsed instanceof Map<?, ?>)) {
                throw new ServiceException(400, "invalid_request", "the body must be a JSON object with content_items");
            }
            return (Map<String, Object>) parsed;
        } catch (IOException e) {
            throw new ServiceException(400, "invalid_request", "the body is not valid JSON");
        }
    }
}
