package sample;

import static org.springframework.security.oauth2.client.web.client.RequestAttributeClientRegistrationIdResolver.clientRegistrationId;
import static org.springframework.web.util.HtmlUtils.htmlEscape;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.HttpSessionOAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.client.web.client.OAuth2ClientHttpRequestInterceptor;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** An LTI 1.3 tool that only speaks OIDC: Spring Boot and Spring Security's OAuth 2.0 client against keycloak-lti. */
@SpringBootApplication
@RestController
public class SampleTool {

    private static final String LTI = "https://purl.imsglobal.org/spec/lti/claim/";
    private final RestClient keycloak; // the extension's REST API, with the user's or the service account's token

    SampleTool(OAuth2AuthorizedClientManager clients,
               @Value("${spring.security.oauth2.client.provider.keycloak.issuer-uri}") String realmUrl) {
        keycloak = RestClient.builder().baseUrl(realmUrl + "/lti/")
                .requestInterceptor(new OAuth2ClientHttpRequestInterceptor(clients)).build();
    }

    public static void main(String[] args) {
        SpringApplication.run(SampleTool.class, args);
    }

    /** The launch URL (the target_link_uri): a NEW authorization request on every visit, login_hint passed on. */
    @Bean
    static SecurityFilterChain security(HttpSecurity http, ClientRegistrationRepository registrations) throws Exception {
        var standard = new DefaultOAuth2AuthorizationRequestResolver(registrations, "/oauth2/authorization");
        standard.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce());
        var launch = new OAuth2AuthorizationRequestResolver() {
            @Override
            public OAuth2AuthorizationRequest resolve(HttpServletRequest request) {
                return "/launch".equals(request.getRequestURI()) ? resolve(request, "keycloak") : standard.resolve(request);
            }

            @Override
            public OAuth2AuthorizationRequest resolve(HttpServletRequest request, String registrationId) {
                OAuth2AuthorizationRequest authorization = standard.resolve(request, registrationId);
                String hint = request.getParameter("login_hint");
                return authorization == null || hint == null ? authorization : OAuth2AuthorizationRequest
                        .from(authorization).additionalParameters(p -> p.put("login_hint", hint)).build();
            }
        };
        return http.authorizeHttpRequests(a -> a.requestMatchers("/", "/launch").permitAll().anyRequest().authenticated())
                .oauth2Login(login -> login.authorizationEndpoint(e -> e.authorizationRequestResolver(launch))
                        .defaultSuccessUrl("/", true))
                .build();
    }

    /** Tokens kept in the browser's session, not per user name. */
    @Bean
    static OAuth2AuthorizedClientRepository authorizedClients() {
        return new HttpSessionOAuth2AuthorizedClientRepository();
    }

    private static String page(String body) {
        return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Sample tool</title></head><body>" + body
                + "</body></html>";
    }

    private static String csrf(CsrfToken csrf) {
        return "<input type=\"hidden\" name=\"" + csrf.getParameterName() + "\" value=\"" + csrf.getToken() + "\">";
    }

    @SuppressWarnings("unchecked")
    private static String field(Object claim, String name) {
        return claim instanceof Map<?, ?> map ? htmlEscape(String.valueOf(((Map<String, Object>) map).get(name))) : "";
    }

    @SuppressWarnings("unchecked")
    @GetMapping(value = "/", produces = MediaType.TEXT_HTML_VALUE)
    public String home(@AuthenticationPrincipal OidcUser user, CsrfToken csrf) {
        if (user == null) {
            return page("<h1>Sample tool</h1><p>Open me from a course of the learning platform.</p>");
        }
        Map<String, Object> c = user.getIdToken().getClaims();
        if ("LtiDeepLinkingRequest".equals(c.get(LTI + "message_type"))) {
            return page("<h1>Pick content for " + field(c.get(LTI + "context"), "title") + "</h1>"
                    + "<form id=\"picker\" method=\"post\" action=\"/deep-link\">" + csrf(csrf)
                    + "<button name=\"title\" value=\"Chapter 1 quiz\">Chapter 1 quiz</button>"
                    + "<button name=\"title\" value=\"Chapter 2 quiz\">Chapter 2 quiz</button></form>");
        }
        List<String> roles = user.getClaimAsStringList(LTI + "roles");
        String roster = "";
        if (roles != null && roles.stream().anyMatch(r -> r.endsWith("membership#Instructor"))) {
            Map<String, Object> memberships = keycloak.get().uri("nrps/memberships")
                    .attributes(clientRegistrationId("keycloak")).retrieve().body(Map.class);
            roster = "<h2>Roster</h2><table id=\"roster\">" + ((List<Map<String, Object>>) memberships.get("members"))
                    .stream().map(m -> {
                        List<String> its = (List<String>) m.get("roles");
                        String id = htmlEscape(String.valueOf(m.get("user_id")));
                        return "<tr><td class=\"user-id\">" + id + "</td><td>" + htmlEscape(String.valueOf(m.get("name")))
                                + "</td><td>" + htmlEscape(String.join(" ", its)) + "</td><td>"
                                + (its.stream().anyMatch(r -> r.endsWith("membership#Learner"))
                                ? "<form method=\"post\" action=\"/score\">" + csrf(csrf) + "<input type=\"hidden\" "
                                + "name=\"user_id\" value=\"" + id + "\"><button>Post a score (7/10)</button></form>" : "")
                                + "</td></tr>";
                    }).collect(Collectors.joining()) + "</table>";
        }
        return page("<h1>Welcome, <span id=\"user\">" + htmlEscape(user.getFullName()) + "</span></h1><dl>"
                + "<dt>Course</dt><dd id=\"course\">" + field(c.get(LTI + "context"), "title") + "</dd>"
                + "<dt>Roles</dt><dd id=\"roles\">" + htmlEscape(String.join(" ", roles == null ? List.of() : roles)) + "</dd>"
                + "<dt>Resource link</dt><dd id=\"resource-link\">" + field(c.get(LTI + "resource_link"), "title") + "</dd>"
                + "<dt>Custom</dt><dd id=\"custom\">" + htmlEscape(String.valueOf(c.get(LTI + "custom"))) + "</dd></dl>"
                + roster);
    }

    /** Deep linking: Keycloak signs the chosen items and answers a page that posts them to the platform. */
    @PostMapping("/deep-link")
    public ResponseEntity<String> deepLink(@RequestParam String title) {
        String url = ServletUriComponentsBuilder.fromCurrentContextPath().path("/launch").toUriString();
        ResponseEntity<String> signed = keycloak.post().uri("deep-linking/response").accept(MediaType.TEXT_HTML)
                .attributes(clientRegistrationId("keycloak")).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("content_items", List.of(Map.of("type", "ltiResourceLink", "title", title, "url", url))))
                .retrieve().toEntity(String.class);
        // its Content-Security-Policy allows exactly its script and its form post to the platform
        return ResponseEntity.ok().contentType(MediaType.TEXT_HTML)
                .header("Content-Security-Policy", signed.getHeaders().getFirst("Content-Security-Policy"))
                .body(signed.getBody());
    }

    /** Grades: the tool's own service account (client credentials), in the course of the launch. */
    @PostMapping(value = "/score", produces = MediaType.TEXT_HTML_VALUE)
    public String score(@AuthenticationPrincipal OidcUser user, @RequestParam("user_id") String userId) {
        String context = String.valueOf(user.getClaimAsMap("lti_platform").get("service_context"));
        Map<?, ?> item = keycloak.post().uri("ags/lineitems?context={c}", context)
                .attributes(clientRegistrationId("service")).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("label", "Sample quiz", "scoreMaximum", 10)).retrieve().body(Map.class);
        keycloak.post().uri("ags/scores?context={c}&lineitem={l}", context, item.get("id"))
                .attributes(clientRegistrationId("service")).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("userId", userId, "scoreGiven", 7, "scoreMaximum", 10, "activityProgress", "Completed",
                        "gradingProgress", "FullyGraded", "timestamp", Instant.now().toString()))
                .retrieve().toBodilessEntity();
        return page("<p id=\"score-posted\">Posted 7/10 for <span class=\"user-id\">" + htmlEscape(userId)
                + "</span> in line item <code id=\"lineitem\">" + htmlEscape(String.valueOf(item.get("id")))
                + "</code>.</p><p><a href=\"/\">Back</a></p>");
    }
}
