package io.github.keycloaklti.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import io.github.keycloaklti.claims.LtiClaims;
import io.github.keycloaklti.claims.LtiLaunch;
import io.github.keycloaklti.launch.LaunchValidator;
import io.github.keycloaklti.launch.PlatformKeySource;

/**
 * How much the extension's launch validation adds to the cryptographic floor: {@link LaunchValidator#validate}
 * (parse, kid lookup in a cached key source, RS256 signature, every claim check, the launch record) next to the
 * bare RS256 verification of the same token (JCA {@code SHA256withRSA} over the signing input: what any validator
 * must pay), and nimbus's parse + verify. One realistic resource-link id_token (2048-bit key, every claim a
 * platform sends). Prints the ratio and writes {@code launch-validation.json}; not a test.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LaunchValidationBenchmark {

    private static final String ISSUER = "https://lms.example.edu";
    private static final String CLIENT_ID = "keycloak-at-lms";
    private static final String NONCE = "4a1c2f0e-nonce";
    private static final String TARGET = "https://tool.example/launch";
    private static final String LTI = "https://purl.imsglobal.org/spec/lti/claim/";

    private String idToken;
    private RSAPublicKey publicKey;
    private byte[] signingInput;
    private byte[] signature;
    private LaunchValidator validator;
    private PlatformKeySource keys;

    @Setup
    public void setUp() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("platform-key-1").generate();
        publicKey = key.toRSAPublicKey();
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER).subject("a6d5c443-1f51-4783-ba1a-7686ffe3b54a").audience(CLIENT_ID)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(3600)))
                .claim("nonce", NONCE).claim("azp", CLIENT_ID)
                .claim("name", "Ada Lovelace").claim("given_name", "Ada").claim("family_name", "Lovelace")
                .claim("email", "ada@lms.example.edu").claim("locale", "en-GB")
                .claim(LtiClaims.VERSION, "1.3.0").claim(LtiClaims.MESSAGE_TYPE, LtiClaims.RESOURCE_LINK_REQUEST)
                .claim(LtiClaims.DEPLOYMENT_ID, "07940580-b309-415e-a37c-914d387c1150")
                .claim(LtiClaims.TARGET_LINK_URI, TARGET)
                .claim(LtiClaims.RESOURCE_LINK, Map.of("id", "200d101f-2c14-434a-a0f3-57c2a42369fd",
                        "title", "Introduction Assignment", "description", "Read the chapter and answer"))
                .claim(LtiClaims.ROLES, List.of("http://purl.imsglobal.org/vocab/lis/v2/membership#Learner",
                        "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Student"))
                .claim(LtiClaims.CONTEXT, Map.of("id", "c1d887f0-a1a3-4bca-ae25-c375edcc131a", "label", "ECON 1010",
                        "title", "Economics as a Social Science",
                        "type", List.of("http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering")))
                .claim(LtiClaims.TOOL_PLATFORM, Map.of("guid", "ex/48bbb541-ce55-456e-8b7d-ebc59a38d435",
                        "name", "Example University LMS", "product_family_code", "moodle", "version", "4.5"))
                .claim(LtiClaims.LAUNCH_PRESENTATION, Map.of("document_target", "iframe",
                        "return_url", "https://lms.example.edu/course/view.php?id=42"))
                .claim(LtiClaims.CUSTOM, Map.of("chapter", "3", "difficulty", "easy"))
                .claim(LtiClaims.LIS, Map.of("person_sourcedid", "example.edu:71ee7e42",
                        "course_offering_sourcedid", "example.edu:SI182-F16"))
                .claim(LtiClaims.NAMES_ROLE_SERVICE, Map.of("context_memberships_url",
                        "https://lms.example.edu/api/lti/courses/42/names_and_roles", "service_versions", List.of("2.0")))
                .claim(LtiClaims.AGS_ENDPOINT, Map.of("scope", List.of(
                                "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
                                "https://purl.imsglobal.org/spec/lti-ags/scope/score"),
                        "lineitems", "https://lms.example.edu/api/lti/courses/42/line_items"))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        idToken = jwt.serialize();
        String[] parts = idToken.split("\\.");
        signingInput = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
        signature = Base64.getUrlDecoder().decode(parts[2]);
        validator = new LaunchValidator(ISSUER, CLIENT_ID, Set.of("RS256"), 5);
        RSAPublicKey cached = publicKey;
        keys = (kid, alg) -> cached;
    }

    private static int payloadBytes() {
        LaunchValidationBenchmark state = new LaunchValidationBenchmark();
        try {
            state.setUp();
        } catch (Exception e) {
            return -1;
        }
        String token = state.idToken;
        return Base64.getUrlDecoder().decode(token.substring(token.indexOf('.') + 1, token.lastIndexOf('.'))).length;
    }

    /** What this extension does with a posted id_token before Keycloak's brokering takes over. */
    @Benchmark
    public LtiLaunch launchValidation() {
        return validator.validate(idToken, NONCE, TARGET, Instant.now(), keys);
    }

    /** The cryptographic floor: RS256 over the same bytes, nothing else. */
    @Benchmark
    public boolean bareRs256Verify() throws Exception {
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(publicKey);
        verifier.update(signingInput);
        return verifier.verify(signature);
    }

    /** A generic JOSE library's parse + verify of the same token (no claim checks). */
    @Benchmark
    public boolean nimbusParseAndVerify() throws Exception {
        return SignedJWT.parse(idToken).verify(new RSASSAVerifier(publicKey));
    }

    /** The same, plus parsing the claims: what any validator must do before checking a single claim. */
    @Benchmark
    public Object nimbusParseVerifyAndReadClaims() throws Exception {
        SignedJWT jwt = SignedJWT.parse(idToken);
        jwt.verify(new RSASSAVerifier(publicKey));
        return jwt.getJWTClaimsSet();
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JACKSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** Parsing the payload's JSON alone (no signature): the part of validation that grows with the claims. */
    @Benchmark
    public Object jacksonParseOfThePayload() throws Exception {
        return JACKSON.readValue(Base64.getUrlDecoder().decode(idToken.substring(idToken.indexOf('.') + 1,
                idToken.lastIndexOf('.'))), Map.class);
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "target/bench");
        Files.createDirectories(out);
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(LaunchValidationBenchmark.class.getName()).build()).run();
        Map<String, Double> micros = new LinkedHashMap<>();
        for (RunResult result : results) {
            String name = result.getParams().getBenchmark();
            micros.put(name.substring(name.lastIndexOf('.') + 1), result.getPrimaryResult().getScore());
        }
        double ratio = micros.get("launchValidation") / micros.get("bareRs256Verify");
        System.out.printf("[bench] launch validation %.1f us, bare RS256 verify %.1f us, nimbus parse+verify %.1f us, "
                        + "+ claims parsed %.1f us; the payload's JSON parse alone %.1f us (%d bytes of claims): "
                + "validation / bare verify = %.2fx (target at most 1.4x)%n",
                micros.get("launchValidation"), micros.get("bareRs256Verify"), micros.get("nimbusParseAndVerify"),
                micros.get("nimbusParseVerifyAndReadClaims"), micros.get("jacksonParseOfThePayload"), payloadBytes(),
                ratio);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("unit", "microseconds per operation (average)");
        json.put("results", micros);
        json.put("validation_over_bare_verify", Math.round(ratio * 100) / 100.0);
        json.put("payload_bytes", payloadBytes());
        json.put("java", System.getProperty("java.version"));
        json.put("cores", Runtime.getRuntime().availableProcessors());
        Path file = out.resolve("launch-validation.json");
        Files.writeString(file, new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
                .writeValueAsString(json));
        System.out.println("[bench] results: " + file.toAbsolutePath());
    }
}
