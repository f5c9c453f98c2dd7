package io.github.keycloaklti.nrps;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.keycloak.models.KeycloakSession;
import org.keycloak.util.JsonSerialization;

import io.github.keycloaklti.claims.LtiScopes;
import io.github.keycloaklti.claims.PairwiseIds;
import io.github.keycloaklti.lti11.Lti11Claim;
import io.github.keycloaklti.platform.ServiceUrls;
import io.github.keycloaklti.services.PlatformService;
import io.github.keycloaklti.services.ServiceTokenCache;
import io.github.keycloaklti.services.ServiceTokens;
import io.github.keycloaklti.toolapi.ServiceCaller;
import io.github.keycloaklti.toolapi.ServiceException;

/**
 * {@code GET /realms/R/lti/nrps/memberships}: the roster of a course from the platform (NRPS 2.0). Without
 * {@code limit}, every page is followed up to {@value #MAX_PAGES} pages and one container is returned; a larger
 * roster is an explicit error, never a silent partial one. With {@code limit}, one page and a next link of ours.
 */
public class MembershipsResource {

    public static final String MEDIA_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json";
    static final String SCOPE = LtiScopes.NRPS_MEMBERSHIPS;
    static final int MAX_PAGES = 100;
    /** What one roster call may hold in memory, whatever the platform sends: ample for 50,000 members. */
    static final long MAX_TOTAL_CHARS = 16L * 1024 * 1024;
    static final int MAX_MEMBERS = 50_000;
    /** Keycloak's own configured mapper. */
    private static final ObjectMapper JSON = JsonSerialization.mapper;

    private final KeycloakSession session;
    private final ServiceTokenCache tokenCache;

    public MembershipsResource(KeycloakSession session, ServiceTokenCache tokenCache) {
        this.session = session;
        this.tokenCache = tokenCache;
    }

    @GET
    @Path("memberships")
    public Response memberships(@QueryParam("context") String context, @QueryParam("role") String role,
                                @QueryParam("limit") Integer limit, @QueryParam("rlid") String rlid,
                                @QueryParam("page") String page) {
        return read(context, role, limit, rlid, page);
    }

    private Response read(String contextParam, String role, Integer limit, String rlid, String page) {
        ServiceCaller caller = ServiceCaller.authenticate(session, contextParam);
        caller.requireStaff("reading the course roster");
        String base = caller.context().getMembershipsUrl();
        if (base == null) {
            throw new ServiceException(404, "no_nrps", "the platform offered no roster service for this course");
        }
        String url;
        if (page != null) {
            url = decodePage(page);
            if (!ServiceUrls.within(url, base)) {
                throw new ServiceException(400, "invalid_page", "page does not belong to this course's roster");
            }
        } else {
            url = withParams(base, role, limit, rlid);
        }
        try (PlatformService platform = new PlatformService(session, new ServiceTokens(session, tokenCache),
                session.getContext().getRealm(), caller.platform())) {
            return read(platform, caller, base, url, limit);
        }
    }

    private Response read(PlatformService platform, ServiceCaller caller, String base, String url, Integer limit) {
        // every client: the platform's raw LTI 1.1 ids never reach a tool (as in tokens); a pairwise client: its own
        // ids, no SIS id, and no per-member launch messages (they carry the platform's claims as sent)
        java.util.Optional<PairwiseIds> pairwise = caller.pairwiseIds();
        String owner = caller.pairwiseOwner();
        RosterPages roster = new RosterPages(MAX_MEMBERS, member -> {
            member.remove("lti11_legacy_user_id");
            if (member.get("message") instanceof com.fasterxml.jackson.databind.node.ArrayNode messages) {
                messages.forEach(message -> {
                    if (message instanceof ObjectNode launch) {
                        launch.remove(Lti11Claim.PLATFORM_CLAIM);
                        launch.remove(Lti11Claim.LEGACY_USER_ID_CLAIM);
                    }
                });
            }
            pairwise.ifPresent(ids -> {
                ids.hideIn(member, "user_id", owner);
                member.remove("lis_person_sourcedid");
                member.remove("message");
            });
            return member;
        });
        String next = url;
        int pages = 0;
        long chars = 0;
        do {
            PlatformService.Answer answer = platform.call("GET", next, Set.of(SCOPE), MEDIA_TYPE, null, null);
            chars += answer.body() == null ? 0 : answer.body().length();
            if (chars > MAX_TOTAL_CHARS) {
                throw new ServiceException(502, "roster_too_large", "the platform's roster is larger than "
                        + MAX_TOTAL_CHARS / (1024 * 1024) + " MB; ask page by page with 'limit'");
            }
            platform.hold(roster.add(answer.body() == null ? "" : answer.body()));
            pages++;
            next = answer.nextLink();
            if (next != null && !ServiceUrls.within(next, base)) {
                throw new ServiceException(502, "platform_invalid_answer", "the platform's next page is outside its roster");
            }
        } while (next != null && limit == null && pages < MAX_PAGES);
        if (next != null && limit == null) {
            throw new ServiceException(502, "roster_too_large", "the roster has more than " + MAX_PAGES
                    + " pages; ask page by page with 'limit'");
        }
        byte[] container = roster.container(base);
        platform.hold(container.length);
        Response.ResponseBuilder response = Response.ok(container, MEDIA_TYPE);
        if (next != null) {
            String ours = session.getContext().getUri().getAbsolutePathBuilder().replaceQuery(null).build()
                    + "?context=" + URLEncoder.encode(caller.context().getId(), StandardCharsets.UTF_8)
                    + (limit != null ? "&limit=" + limit : "")
                    + "&page=" + Base64.getUrlEncoder().withoutPadding().encodeToString(next.getBytes(StandardCharsets.UTF_8));
            response.header("Link", "<" + ours + ">; rel=\"next\"");
        }
        return response.build();
    }

    private static String withParams(String base, String role, Integer limit, String rlid) {
        StringBuilder url = new StringBuilder(base);
        char separator = base.contains("?") ? '&' : '?';
        for (Map.Entry<String, String> param : paramsOf(role, limit, rlid).entrySet()) {
            url.append(separator).append(param.getKey()).append('=')
                    .append(URLEncoder.encode(param.getValue(), StandardCharsets.UTF_8));
            separator = '&';
        }
        return url.toString();
    }

    private static Map<String, String> paramsOf(String role, Integer limit, String rlid) {
        Map<String, String> params = new LinkedHashMap<>();
        if (role != null && !role.isBlank()) {
            params.put("role", role);
        }
        if (rlid != null && !rlid.isBlank()) {
            params.put("rlid", rlid);
        }
        if (limit != null) {
            params.put("limit", String.valueOf(Math.max(1, limit)));
        }
        return params;
    }

    private static String decodePage(String page) {
        try {
            return new String(Base64.getUrlDecoder().decode(page), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ServiceException(400, "invalid_page", "page is not a next link given by this endpoint");
        }
    }
}
