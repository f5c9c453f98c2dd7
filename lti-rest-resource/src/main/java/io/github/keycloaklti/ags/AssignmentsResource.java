package io.github.keycloaklti.ags;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.keycloak.models.KeycloakSession;
import org.keycloak.util.JsonSerialization;

import io.github.keycloaklti.claims.LtiScopes;
import io.github.keycloaklti.claims.PairwiseIds;
import io.github.keycloaklti.platform.ServiceUrls;
import io.github.keycloaklti.servicecontext.LineItemOwners;
import io.github.keycloaklti.services.PlatformJson;
import io.github.keycloaklti.services.PlatformService;
import io.github.keycloaklti.services.ServiceTokenCache;
import io.github.keycloaklti.services.ServiceTokens;
import io.github.keycloaklti.toolapi.ServiceCaller;
import io.github.keycloaklti.toolapi.ServiceException;

/**
 * AGS 2.0 under {@code /realms/R/lti/ags}: line items of a course ({@code lineitems}), one line item
 * ({@code lineitem?lineitem=<its id>}), scores and results of a line item. Line items are named by the id the
 * platform gave them, and must lie in the course's line items container recorded at launch.
 */
public class AssignmentsResource {

    static final String LINEITEM = LtiScopes.AGS_LINEITEM;
    static final String LINEITEM_READONLY = LtiScopes.AGS_LINEITEM_READONLY;
    static final String RESULT = LtiScopes.AGS_RESULT_READONLY;
    static final String SCORE = LtiScopes.AGS_SCORE;
    static final String LINEITEM_TYPE = "application/vnd.ims.lis.v2.lineitem+json";
    static final String CONTAINER_TYPE = "application/vnd.ims.lis.v2.lineitemcontainer+json";
    static final String SCORE_TYPE = "application/vnd.ims.lis.v1.score+json";
    static final String RESULTS_TYPE = "application/vnd.ims.lis.v2.resultcontainer+json";
    static final int MAX_BODY_BYTES = 64 * 1024;
    static final int MAX_PAGES = 50;
    /** Line items one listing may hold, whatever the platform sends (a course has tens). */
    static final int MAX_LINE_ITEMS = 10_000;
    /** What one line-item listing may hold in memory, whatever the platform sends. */
    static final long MAX_TOTAL_CHARS = 8L * 1024 * 1024;
    /** Keycloak's own configured mapper. */
    private static final ObjectMapper JSON = JsonSerialization.mapper;

    private final KeycloakSession session;
    private final ServiceTokenCache tokenCache;

    public AssignmentsResource(KeycloakSession session, ServiceTokenCache tokenCache) {
        this.session = session;
        this.tokenCache = tokenCache;
    }

    @GET
    @Path("lineitems")
    public Response listLineItems(@QueryParam("context") String context,
                                  @QueryParam("resource_link_id") String resourceLinkId,
                                  @QueryParam("resource_id") String resourceId, @QueryParam("tag") String tag) {
        ServiceCaller caller = ServiceCaller.authenticate(session, context);
        caller.requireStaff("reading line items");
        String container = container(caller);
        requireScope(caller, LINEITEM_READONLY, LINEITEM);
        StringBuilder url = new StringBuilder(container);
        char separator = container.contains("?") ? '&' : '?';
        for (String[] param : new String[][] {{"resource_link_id", resourceLinkId}, {"resource_id", resourceId}, {"tag", tag}}) {
            if (param[1] != null) {
                url.append(separator).append(param[0]).append('=').append(URLEncoder.encode(param[1], StandardCharsets.UTF_8));
                separator = '&';
            }
        }
        try (PlatformService platform = platform(caller)) {
            byte[] own = PlatformJson.array(ownItems(caller, listed(platform, caller, url.toString(), container)));
            platform.hold(own.length);
            return Response.ok(own, CONTAINER_TYPE).build();
        }
    }

    /**
     * Every page of the container's listing, read as a stream and kept as the platform's JSON (never as objects): at
     * most {@value #MAX_LINE_ITEMS} line items.
     */
    private List<PlatformJson.Element> listed(PlatformService platform, ServiceCaller caller, String url,
                                              String container) {
        List<PlatformJson.Element> items = new ArrayList<>();
        String next = url;
        int pages = 0;
        long chars = 0;
        do {
            PlatformService.Answer page = platform.call("GET", next, scopes(caller, LINEITEM_READONLY, LINEITEM),
                    CONTAINER_TYPE, null, null);
            chars += page.body() == null ? 0 : page.body().length();
            if (chars > MAX_TOTAL_CHARS) {
                throw new ServiceException(502, "too_many_line_items", "the platform's line items are larger than "
                        + MAX_TOTAL_CHARS / (1024 * 1024) + " MB");
            }
            List<PlatformJson.Element> read = PlatformJson.elements(page.body(), items.size(), MAX_LINE_ITEMS,
                    "more than " + MAX_LINE_ITEMS + " line items");
            read.forEach(item -> platform.hold(item.json().length));
            items.addAll(read);
            next = page.nextLink();
            if (next != null && !ServiceUrls.within(next, container)) {
                throw new ServiceException(502, "platform_invalid_answer", "the platform's next page is outside the course");
            }
        } while (next != null && ++pages < MAX_PAGES);
        if (next != null) {
            throw new ServiceException(502, "too_many_line_items", "more than " + MAX_PAGES + " pages of line items");
        }
        return items;
    }

    @POST
    @Path("lineitems")
    public Response createLineItem(@QueryParam("context") String context, InputStream body) {
        ServiceCaller caller = ServiceCaller.authenticate(session, context);
        caller.requireServiceAccount("creating line items");
        String container = container(caller);
        requireScope(caller, LINEITEM);
        Map<String, Object> item = lineItem(body);
        PlatformService.Answer created = callOnce(caller, "POST", container, Set.of(LINEITEM), LINEITEM_TYPE,
                LINEITEM_TYPE, write(item));
        // the new line item is the calling tool's: recorded before the tool hears of it
        String id = PlatformJson.topLevelString(created.body(), "id");
        if (id == null || !ServiceUrls.isLineItemOf(id, container)) {
            throw new ServiceException(502, "platform_invalid_answer",
                    "the platform's new line item has no id inside the course's line items container");
        }
        if (!LineItemOwners.claim(session, caller.context(), id).filter(caller.context().getToolClientId()::equals)
                .isPresent()) {
            throw new ServiceException(502, "lineitem_not_recorded", "the platform's new line item could not be "
                    + "recorded as this tool's; it was created at the platform as " + id);
        }
        return Response.status(created.status() == 200 ? 201 : created.status()).entity(created.body())
                .type(LINEITEM_TYPE).build();
    }

    @GET
    @Path("lineitem")
    public Response getLineItem(@QueryParam("context") String context, @QueryParam("lineitem") String lineItem) {
        ServiceCaller caller = ServiceCaller.authenticate(session, context);
        caller.requireStaff("reading line items");
        OwnedLineItem item = ownedLineItem(caller, lineItem);
        requireScope(caller, LINEITEM_READONLY, LINEITEM);
        PlatformService.Answer found = callOnce(caller, "GET", item.url(), scopes(caller, LINEITEM_READONLY, LINEITEM),
                LINEITEM_TYPE, null, null);
        item.confirmed(session, caller);
        return Response.ok(found.body(), LINEITEM_TYPE).build();
    }

    @PUT
    @Path("lineitem")
    public Response updateLineItem(@QueryParam("context") String context, @QueryParam("lineitem") String lineItem,
                                   InputStream body) {
        ServiceCaller caller = ServiceCaller.authenticate(session, context);
        caller.requireServiceAccount("updating line items");
        OwnedLineItem owned = ownedLineItem(caller, lineItem);
        requireScope(caller, LINEITEM);
        Map<String, Object> item = lineItem(body);
        item.put("id", owned.url());
        PlatformService.Answer updated = callOnce(caller, "PUT", owned.url(), Set.of(LINEITEM), LINEITEM_TYPE,
                LINEITEM_TYPE, write(item));
        owned.confirmed(session, caller);
        return Response.ok(updated.body(), LINEITEM_TYPE).build();
    }

    @DELETE
    @Path("lineitem")
    public Response deleteLineItem(@QueryParam("context") String context, @QueryParam("lineitem") String lineItem) {
        ServiceCaller caller = ServiceCaller.authenticate(session, context);
        caller.requireServiceAccount("deleting line items");
        String url = ownedLineItem(caller, lineItem).url();
        requireScope(caller, LINEITEM);
        callOnce(caller, "DELETE", url, Set.of(LINEITEM), LINEITEM_TYPE, null, null);
        LineItemOwners.forget(session, caller.context(), url);
        return Response.noContent().build();
    }

    @POST
    @Path("scores")
    public Response postScore(@QueryParam("context") String context, @QueryParam("lineitem") String lineItem,
                              InputStream body) {
        ServiceCaller caller = ServiceCaller.authenticate(session, context);
        caller.requireServiceAccount("posting scores");
        OwnedLineItem owned = ownedLineItem(caller, lineItem);
        requireScope(caller, SCORE);
        Object parsed = parse(read(body));
        if (!(parsed instanceof Map<?, ?>)) {
            throw new ServiceException(400, "invalid_score", "the score must be a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> score = (Map<String, Object>) parsed;
        List<String> problems = ScoreCheck.problems(score);
        if (!problems.isEmpty()) {
            throw new ServiceException(400, "invalid_score", problems.size() + " problem(s) with the score", problems);
        }
        score.put("userId", caller.platformUserId((String) score.get("userId"), "invalid_score"));
        callOnce(caller, "POST", PlatformService.withPathSuffix(owned.url(), "scores"), Set.of(SCORE),
                "application/json", SCORE_TYPE, write(score));
        owned.confirmed(session, caller);
        return Response.noContent().build();
    }

    @GET
    @Path("results")
    public Response results(@QueryParam("context") String context, @QueryParam("lineitem") String lineItem,
                            @QueryParam("user_id") String userId) {
        ServiceCaller caller = ServiceCaller.authenticate(session, context);
        caller.requireStaff("reading results");
        OwnedLineItem owned = ownedLineItem(caller, lineItem);
        String url = PlatformService.withPathSuffix(owned.url(), "results");
        requireScope(caller, RESULT);
        if (userId != null) {
            url = url + (url.contains("?") ? "&" : "?") + "user_id="
                    + URLEncoder.encode(caller.platformUserId(userId, "invalid_request"), StandardCharsets.UTF_8);
        }
        PlatformService.Answer results = callOnce(caller, "GET", url, Set.of(RESULT), RESULTS_TYPE, null, null);
        if (!PlatformJson.isArray(results.body())) {
            throw new ServiceException(502, "platform_invalid_answer", "the platform's results are not a JSON array");
        }
        owned.confirmed(session, caller);
        String body = caller.pairwiseIds().map(ids -> pairwiseResults(ids, caller.pairwiseOwner(), results.body()))
                .orElse(results.body());
        return Response.ok(body, RESULTS_TYPE).build();
    }

    /** The platform's results with this client's pairwise user ids. */
    private static String pairwiseResults(PairwiseIds ids, String issuer, String results) {
        try {
            JsonNode parsed = JsonSerialization.mapper.readTree(results);
            for (JsonNode result : parsed) {
                if (result instanceof ObjectNode object) {
                    ids.hideIn(object, "userId", issuer);
                }
            }
            return JsonSerialization.mapper.writeValueAsString(parsed);
        } catch (IOException e) {
            throw new ServiceException(502, "platform_invalid_answer", "the platform's results are not a JSON array");
        }
    }

    /** One call, its answer held in the node's budget until it is answered. */
    private PlatformService.Answer callOnce(ServiceCaller caller, String method, String url, Set<String> scopes,
                                            String accept, String contentType, String body) {
        try (PlatformService platform = platform(caller)) {
            return platform.call(method, url, scopes, accept, contentType, body);
        }
    }

    private PlatformService platform(ServiceCaller caller) {
        return new PlatformService(session, new ServiceTokens(session, tokenCache), session.getContext().getRealm(),
                caller.platform());
    }

    private static String container(ServiceCaller caller) {
        String container = caller.context().getLineItemsUrl();
        if (container == null) {
            throw new ServiceException(404, "no_ags", "the platform offered no grade service for this course");
        }
        return container;
    }

    /**
     * The line items of the listing that the calling tool owns; the others are other tools' or no tool's. Where the
     * registration launches this tool alone, a line item no tool owns is its too (the platform sees that one tool).
     */
    private List<PlatformJson.Element> ownItems(ServiceCaller caller, List<PlatformJson.Element> items) {
        List<String> ids = items.stream().map(PlatformJson.Element::id).filter(java.util.Objects::nonNull).toList();
        Map<String, String> owners = LineItemOwners.ownersOf(session, caller.context(), ids);
        String tool = caller.context().getToolClientId();
        boolean soleTool = soleTool(caller);
        return items.stream().filter(item -> item.id() != null && (tool.equals(owners.get(item.id()))
                || soleTool && !owners.containsKey(item.id()))).toList();
    }

    /** Whether the caller is the only tool client the registration launches. */
    private static boolean soleTool(ServiceCaller caller) {
        return caller.platform().launchesOnly(caller.context().getToolClientId());
    }

    /**
     * A line item the calling tool may use: its own, or (where the registration launches this tool alone) one no tool
     * owns yet, which becomes the tool's once the platform has answered for it: an id the platform never confirmed
     * (say, one it has not made yet) is never recorded, so no tool reserves the line items of a tool added later.
     */
    record OwnedLineItem(String url, boolean unclaimed) {
        void confirmed(KeycloakSession session, ServiceCaller caller) {
            if (unclaimed) {
                LineItemOwners.claim(session, caller.context(), url);
            }
        }
    }

    /**
     * The line item named by the tool: inside the course's container, and the calling tool's own (it created it,
     * or a launch naming it went to this tool; or no tool owns it and the registration launches this tool alone).
     * Another tool's line item, or one no tool owns where the registration launches several, is refused before
     * anything reaches the platform.
     */
    private OwnedLineItem ownedLineItem(ServiceCaller caller, String lineItem) {
        String url = lineItemInContainer(caller, lineItem);
        String tool = caller.context().getToolClientId();
        Optional<String> owner = LineItemOwners.ownerOf(session, caller.context(), url);
        if (owner.isEmpty() && soleTool(caller)) {
            return new OwnedLineItem(url, true);
        }
        if (!owner.filter(tool::equals).isPresent()) {
            throw new ServiceException(403, "lineitem_not_owned", "the line item is not one of client '" + tool
                    + "': a tool may use only the line items it created through Keycloak or that a launch of it named");
        }
        return new OwnedLineItem(url, false);
    }

    private static String lineItemInContainer(ServiceCaller caller, String lineItem) {
        String container = container(caller);
        if (lineItem == null || lineItem.isBlank()) {
            throw new ServiceException(400, "lineitem_required", "name the line item with 'lineitem' (its id)");
        }
        if (!ServiceUrls.isLineItemOf(lineItem, container)) {
            throw new ServiceException(400, "lineitem_outside_context",
                    "the line item is not in this course's line items container");
        }
        return lineItem;
    }

    private static void requireScope(ServiceCaller caller, String... anyOf) {
        if (scopes(caller, anyOf).isEmpty()) {
            throw new ServiceException(403, "scope_not_granted", "the platform did not grant " + Arrays.toString(anyOf)
                    + " for this course");
        }
    }

    /** The first of the wanted scopes that the launch granted, as the set to ask a token for. */
    private static Set<String> scopes(ServiceCaller caller, String... wanted) {
        List<String> granted = caller.context().getAgsScopes() == null ? List.of()
                : Arrays.asList(caller.context().getAgsScopes().split(" "));
        for (String scope : wanted) {
            if (granted.contains(scope)) {
                return Set.of(scope);
            }
        }
        return Set.of();
    }

    private static Map<String, Object> lineItem(InputStream body) {
        Object parsed = parse(read(body));
        if (!(parsed instanceof Map<?, ?>)) {
            throw new ServiceException(400, "invalid_lineitem", "the line item must be a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> item = new LinkedHashMap<>((Map<String, Object>) parsed);
        List<String> problems = new ArrayList<>();
        if (!(item.get("label") instanceof String label) || label.isBlank()) {
            problems.add("label is required");
        }
        if (!(item.get("scoreMaximum") instanceof Number max) || max.doubleValue() <= 0) {
            problems.add("scoreMaximum must be a number greater than 0");
        }
        if (!problems.isEmpty()) {
            throw new ServiceException(400, "invalid_lineitem", problems.size() + " problem(s) with the line item", problems);
        }
        return item;
    }

    private static String read(InputStream body) {
        try {
            byte[] bytes = body.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw new ServiceException(413, "request_too_large", "the body is larger than " + MAX_BODY_BYTES / 1024 + " KiB");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ServiceException(400, "invalid_request", "the request body could not be read");
        }
    }

    private static Object parse(String json) {
        try {
            return JSON.readValue(json, Object.class);
        } catch (IOException e) {
            throw new ServiceException(400, "invalid_json", "not valid JSON");
        }
    }


    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
