package io.github.keycloaklti.platform;

import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;
import org.keycloak.Config;

/**
 * Everything the operator decides about talking to platforms, in one place: which URLs are platforms' (loopback,
 * private networks, trusted token origins), how long a call may take, and how much of a node platforms may hold
 * (keyset waits, service calls at once and per registration, the memory of their answers). Every option lives under
 * {@code --spi-realm-restapi-extension--lti--} (docs/operations.md, Server options); read once at start-up, by the
 * {@code lti} identity provider factory (loaded wherever the extension is), and only read afterwards. Configuration,
 * not state: every node reads the same options.
 */
public record PlatformPolicy(boolean allowLoopback, boolean allowPrivateNetworks, Set<String> trustedTokenOrigins,
                             PlatformCalls.Limits limits, int keysetWaits, int maxServiceCalls,
                             int serviceCallSharePercent, long answerBudgetBytes) {

    private static final Logger LOG = Logger.getLogger(PlatformPolicy.class);
    /** The namespace of every option: the {@code lti} realm resource's SPI options. */
    public static final String SPI = "realm-restapi-extension";
    public static final String PROVIDER = "lti";

    public static final PlatformPolicy DEFAULT = new PlatformPolicy(false, false, Set.of(), PlatformCalls.Limits.DEFAULT,
            16, 16, 25, 128L * 1024 * 1024);

    private static volatile PlatformPolicy current = DEFAULT;

    public PlatformPolicy {
        trustedTokenOrigins = trustedTokenOrigins.stream().map(PlatformUrls::origin).filter(Objects::nonNull)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** The policy in force on this node. */
    public static PlatformPolicy current() {
        return current;
    }

    /** Start-up (the identity provider factory), and tests. */
    public static void install(PlatformPolicy policy) {
        current = policy;
    }

    /**
     * The options as the operator set them. {@code keyset-waits} was an option of the identity provider factory
     * ({@code --spi-identity-provider--lti--keyset-waits}) before: still read there when not set here.
     */
    public static PlatformPolicy read() {
        Config.Scope options = Config.scope(SPI, PROVIDER);
        Config.Scope before = Config.scope("identity-provider", PROVIDER);
        PlatformCalls.Limits limits = DEFAULT.limits();
        Integer keysetWaits = options.getInt("keysetWaits");
        if (keysetWaits == null && before.getInt("keysetWaits") != null) {
            keysetWaits = before.getInt("keysetWaits");
            LOG.warn("keycloak-lti: --spi-identity-provider--lti--keyset-waits is now "
                    + "--spi-realm-restapi-extension--lti--keyset-waits (the old name still works)");
        }
        String[] trusted = options.getArray("trustedTokenOrigins");
        return new PlatformPolicy(options.getBoolean("allowLoopbackPlatforms", false),
                options.getBoolean("allowPrivateNetworkPlatforms", false),
                trusted == null ? Set.of() : Arrays.stream(trusted).map(String::trim).filter(o -> !o.isEmpty())
                        .collect(Collectors.toSet()),
                new PlatformCalls.Limits(
                        Math.max(100, options.getInt("platformConnectTimeoutMillis", limits.connectMillis())),
                        Math.max(100, options.getInt("platformReadTimeoutMillis", limits.readMillis())),
                        Math.max(100, options.getInt("platformCallDeadlineMillis", limits.deadlineMillis())),
                        Math.max(100, options.getInt("platformKeysetDeadlineMillis", limits.keysetDeadlineMillis()))),
                Math.max(1, keysetWaits == null ? DEFAULT.keysetWaits() : keysetWaits),
                Math.max(1, options.getInt("maxPlatformCalls", DEFAULT.maxServiceCalls())),
                Math.min(100, Math.max(1, options.getInt("platformCallSharePercent", DEFAULT.serviceCallSharePercent()))),
                Math.max(1, options.getLong("platformAnswerBudgetMb", DEFAULT.answerBudgetBytes() / (1024 * 1024)))
                        * 1024 * 1024);
    }

    /** With other URL switches (tests). */
    public PlatformPolicy withUrls(boolean loopback, boolean privateNetworks) {
        return new PlatformPolicy(loopback, privateNetworks, trustedTokenOrigins, limits, keysetWaits, maxServiceCalls,
                serviceCallSharePercent, answerBudgetBytes);
    }
}
