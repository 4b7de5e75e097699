package io.github.sidecarlambda;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.apache.camel.Endpoint;
import org.apache.camel.NoSuchEndpointException;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedOperation;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.HealthCheckComponent;
import org.apache.camel.util.PropertiesHelper;
import org.apache.camel.util.URISupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.sidecarlambda.aws.SharedAwsClients;
import io.github.sidecarlambda.credentials.TenantCache;
import io.github.sidecarlambda.credentials.TenantCredentials;
import io.github.sidecarlambda.metrics.Meters;
import io.github.sidecarlambda.metrics.SidecarLambdaMetrics;

/**
 * The {@code sidecar-lambda:} component: invokes a customer's AWS Lambda function in the customer's account by
 * assuming a role the customer created for the platform, with an External ID read from SSM Parameter Store. Holds the
 * default options (each endpoint gets a copy) and the credentials shared by endpoints of the same tenant.
 */
@Component("sidecar-lambda")
@ManagedResource(description = "Sidecar Lambda: cached tenants and their credentials (never a secret)")
public class SidecarLambdaComponent extends HealthCheckComponent {

    @Metadata(description = "Default options for every endpoint of this component.")
    private SidecarLambdaConfiguration configuration = new SidecarLambdaConfiguration();

    /**
     * URI parameter names that would put a secret into a URI: anything naming an External ID (but the key), a
     * secret, a token, a password or an access key. Refused before Camel parses or logs the parameters.
     */
    private static final Set<String> OWN_OPTIONS =
            Set.of("externalidkey", "externalidcachettl", "externalidstore", "secretsmanagerendpointoverride");

    static boolean isSecretParameter(String name) {
        String n = name.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
        if (OWN_OPTIONS.contains(n)) {
            return false;
        }
        return n.contains("externalid")
                || n.contains("secret")
                || n.contains("token")
                || n.contains("password")
                || n.contains("accesskey");
    }

    static {
        // Camel masks URI parameters whose names contain its sensitive keywords; "externalId" is not one of them
        // (URISupport.addSanitizeKeywords is not in Camel 4.14: looked up so that the jar also runs there, where
        // the component's own refusal of such URI parameters is the guard)
        try {
            URISupport.class.getMethod("addSanitizeKeywords", String.class).invoke(null, "externalid");
        } catch (ReflectiveOperationException camel414) {
            // Camel 4.14: no such method
        }
    }

    public static final long DEFAULT_MAX_CACHED_TENANTS = 100_000L;
    public static final long DEFAULT_CREDENTIALS_IDLE_TIMEOUT = 7_200_000L;
    public static final long DEFAULT_CREDENTIALS_REFRESH_TIMEOUT = 30_000L;

    @Metadata(
            label = "advanced",
            defaultValue = "100000",
            description =
                    "The most tenants (a role and External ID key each) whose credentials are cached at once; beyond it the least recently used are dropped and assumed again on their next message.")
    private long maxCachedTenants = DEFAULT_MAX_CACHED_TENANTS;

    @Metadata(
            label = "advanced",
            defaultValue = "7200000",
            javaType = "java.time.Duration",
            description =
                    "A tenant without traffic for this long is dropped from the cache (so idle customers cost no STS or Parameter Store call) and assumed again on its next message.")
    private long credentialsIdleTimeout = DEFAULT_CREDENTIALS_IDLE_TIMEOUT;

    @Metadata(
            label = "advanced",
            defaultValue = "30000",
            javaType = "java.time.Duration",
            description =
                    "The longest one refresh of a tenant's credentials may take: the Parameter Store read, AssumeRole, and their retries with back-off on throttling or server errors. Exchanges of a cold tenant wait (as callbacks, no thread blocked) at most this long.")
    private long credentialsRefreshTimeout = DEFAULT_CREDENTIALS_REFRESH_TIMEOUT;

    @Metadata(
            label = "advanced",
            defaultValue = "0",
            description =
                    "Threads that continue the route after Lambda answers (the AWS SDK's future completion executor), shared by every endpoint and tenant of this component; 0 = one per processor. A route that blocks after the call holds one of them; when all are busy and 10,000 answers wait, the Netty I/O thread runs the next itself. Fewer threads cost less CPU per call on a saturated machine (docs/benchmark.md); raise it, or add threads() after the call, if a step after the call blocks.")
    private int completionThreads;

    @Metadata(
            label = "advanced",
            defaultValue = "0",
            description =
                    "Netty I/O threads (event loops) shared by every AWS client of this component; 0 = one per processor (Netty's own default is two per processor; these threads only do I/O, the route continues on the completion threads).")
    private int ioThreads;

    private Clock clock = Clock.systemUTC();
    private SharedAwsClients clients;
    private TenantCache tenants;

    /** At DEBUG this AWS SDK logger prints every canonical request, session token header included. */
    static final String SDK_SIGNER_LOGGER =
            "software.amazon.awssdk.http.auth.aws.internal.signer.DefaultV4RequestSigner";
    /**
     * The AWS SDK's Netty client always puts a Netty LoggingHandler in its pipeline: at DEBUG it writes every request,
     * headers included (the x-amz-security-token of the platform and of each tenant).
     */
    static final String NETTY_WIRE_LOGGER = "io.netty.handler.logging.LoggingHandler";
    /** Loggers of the AWS SDK's stack that print session tokens at DEBUG, with what they print: warned about at start. */
    static final Map<String, String> SECRET_PRINTING_LOGGERS = Map.of(
            SDK_SIGNER_LOGGER,
                    "the AWS SDK then logs the canonical form of every request, including the session token "
                            + "of the customer's assumed-role credentials",
            NETTY_WIRE_LOGGER,
                    "the AWS SDK's Netty client then logs every request with its headers, including session "
                            + "tokens");

    private static final Logger LOG = LoggerFactory.getLogger(SidecarLambdaComponent.class);

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        checkOptions();
        for (Map.Entry<String, String> logger : SECRET_PRINTING_LOGGERS.entrySet()) {
            if (LoggerFactory.getLogger(logger.getKey()).isDebugEnabled()) {
                LOG.warn("Logger {} is at DEBUG: {}. Set it to INFO.", logger.getKey(), logger.getValue());
            }
        }
    }

    @Override
    public Endpoint createEndpoint(String uri) throws Exception {
        refuseSecrets(uri, Map.of());
        return super.createEndpoint(uri);
    }

    @Override
    public Endpoint createEndpoint(String uri, Map<String, Object> properties) throws Exception {
        refuseSecrets(uri, properties);
        return super.createEndpoint(uri, properties);
    }

    /**
     * Before Camel parses (and TRACE-logs, and echoes as unknown) the parameters: refuse any that names a secret, in any
     * spelling ({@code externalId}, {@code EXTERNAL_ID}, {@code pass_word}, ...). Camel wraps a component's exception in
     * a ResolveEndpointFailedException whose message holds the URI masked by its sanitizer, which knows only some
     * spellings and masks only the first extra one; a NoSuchEndpointException is the one it passes on as is, so the
     * refusal travels in one of those, with the URI masked here and the typed {@link SidecarLambdaConfigurationException}
     * as its cause (which a route's onException matches).
     */
    private static void refuseSecrets(String uri, Map<String, Object> properties) {
        List<String> names = new ArrayList<>(properties == null ? Set.of() : properties.keySet());
        int query = uri.indexOf('?');
        if (query >= 0) {
            for (String parameter : uri.substring(query + 1).split("&")) {
                names.add(parameter.split("=", 2)[0]);
            }
        }
        for (String name : names) {
            if (isSecretParameter(name)) {
                SidecarLambdaConfigurationException refusal = new SidecarLambdaConfigurationException(
                        name,
                        "secrets are never accepted in an endpoint URI: the External ID is read from Parameter Store "
                                + "(set externalIdKey), and the platform identity comes from the AWS SDK "
                                + "credential chain or baseCredentialsProvider (value not shown)");
                NoSuchEndpointException passedOnAsIs = new NoSuchEndpointException(
                        masked(uri), "remove the URI parameter " + name + ": " + refusal.getMessage());
                passedOnAsIs.initCause(refusal);
                throw passedOnAsIs;
            }
        }
    }

    /** The URI with the value of every secret-named parameter replaced by xxxxxx. */
    static String masked(String uri) {
        int query = uri.indexOf('?');
        if (query < 0) {
            return uri;
        }
        StringJoiner out = new StringJoiner("&", uri.substring(0, query + 1), "");
        for (String parameter : uri.substring(query + 1).split("&")) {
            String[] nv = parameter.split("=", 2);
            out.add(nv.length == 2 && isSecretParameter(nv[0]) ? nv[0] + "=xxxxxx" : parameter);
        }
        return out.toString();
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        SidecarLambdaEndpoint endpoint = new SidecarLambdaEndpoint(uri, this, configuration.copy());
        endpoint.setFunction(remaining);
        // sidecarParam.<name>=<value>: the gateway's sidecar-param-<name>, one option per parameter
        Map<String, Object> sidecarParams = PropertiesHelper.extractProperties(parameters, "sidecarParam.");
        // the text of number, duration, boolean and enum options, before Camel's lenient conversion; sidecar-mode
        // options only where the endpoint is in sidecar mode
        boolean sidecarMode = endpoint.getConfiguration().getSidecar() != null || OptionText.setsSidecar(parameters);
        OptionText.check(parameters, sidecarMode);
        OptionText.checkSidecarParams(sidecarParams, sidecarMode);
        if (!sidecarParams.isEmpty()) {
            endpoint.getConfiguration().setSidecarParams(new TreeMap<>(sidecarParams));
        }
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }

    public SidecarLambdaConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(SidecarLambdaConfiguration configuration) {
        this.configuration = configuration;
    }

    private void checkOptions() {
        if (maxCachedTenants < 1) {
            throw new SidecarLambdaConfigurationException(
                    "maxCachedTenants", "must be at least 1; was " + maxCachedTenants);
        }
        if (credentialsIdleTimeout <= 0) {
            throw new SidecarLambdaConfigurationException(
                    "credentialsIdleTimeout", "must be positive; was " + credentialsIdleTimeout + " ms");
        }
        if (completionThreads < 0 || completionThreads > 1000) {
            throw new SidecarLambdaConfigurationException(
                    "completionThreads", "must be 0 (one per processor) to 1000; " + "was " + completionThreads);
        }
        if (ioThreads < 0 || ioThreads > 1000) {
            throw new SidecarLambdaConfigurationException(
                    "ioThreads", "must be 0 (Netty's default) to 1000; was " + ioThreads);
        }
        if (credentialsRefreshTimeout <= 0) {
            throw new SidecarLambdaConfigurationException(
                    "credentialsRefreshTimeout", "must be positive; was " + credentialsRefreshTimeout + " ms");
        }
    }

    /**
     * The clients, executors and event loops every endpoint and tenant of this component shares; created on first use
     * (an endpoint may start before its component), closed when the component stops.
     */
    synchronized SharedAwsClients clients() {
        if (clients == null) {
            checkOptions();
            Duration refresh = Duration.ofMillis(credentialsRefreshTimeout);
            TenantCache[] cache = new TenantCache[1];
            SidecarLambdaMetrics metrics = Meters.of(getCamelContext(), () -> cache[0] == null ? 0 : cache[0].size());
            clients = new SharedAwsClients(getCamelContext(), this, refresh, metrics, completionThreads, ioThreads);
            tenants = new TenantCache(
                    clients, clock, maxCachedTenants, Duration.ofMillis(credentialsIdleTimeout), refresh);
            cache[0] = tenants;
        }
        return clients;
    }

    synchronized void releaseLambda(SharedAwsClients.LambdaClientKey key) {
        if (clients != null) {
            clients.releaseLambda(key);
        }
    }

    /** The tenants whose credentials are cached. */
    synchronized TenantCache tenants() {
        clients();
        return tenants;
    }

    @Override
    protected void doStop() throws Exception {
        SharedAwsClients c;
        synchronized (this) {
            c = clients;
            if (tenants != null) {
                tenants.close();
            }
            clients = null;
            tenants = null;
        }
        if (c != null) {
            c.close();
        }
        super.doStop();
    }

    /** Tenants cached now. */
    @ManagedAttribute(description = "Tenants (role + External ID key) whose credentials are cached")
    public long getCachedTenants() {
        TenantCache t;
        synchronized (this) {
            t = tenants;
        }
        return t == null ? 0 : t.size();
    }

    /**
     * One line per cached tenant: role ARN, External ID parameter name, expiry of the current credentials, last
     * refresh, last failure code. Names only: never the External ID, a key or a token.
     */
    @ManagedAttribute(description = "Cached tenants: role, parameter name, expiry, last refresh, last failure")
    public String[] getTenants() {
        TenantCache t;
        synchronized (this) {
            t = tenants;
        }
        return t == null
                ? new String[0]
                : t.all().stream().map(TenantCredentials::describe).sorted().toArray(String[]::new);
    }

    /** Drops the credentials of every tenant of this role: its next exchange assumes the role again. */
    @ManagedOperation(description = "Drop the cached credentials of every tenant of this role ARN; returns how many")
    public int invalidateCredentials(String roleArn) {
        return forEachTenant(
                tenant -> tenant.key().roleArn().toString().equals(roleArn), TenantCredentials::invalidateAll);
    }

    /** Makes every tenant using this parameter re-read the External ID at its next refresh, and refresh now. */
    @ManagedOperation(
            description =
                    "Re-read the External ID in this parameter (e.g. /acme/prod/trustKey) and assume again; returns how many tenants")
    public int reloadExternalId(String parameterName) {
        return forEachTenant(
                tenant -> {
                    String name = tenant.key().parameterName().value();
                    return name.equals(parameterName) || name.equals("/" + parameterName);
                },
                TenantCredentials::reloadExternalId);
    }

    /** Applies {@code action} to every cached tenant that {@code which} selects; returns how many. */
    private int forEachTenant(Predicate<TenantCredentials> which, Consumer<TenantCredentials> action) {
        TenantCache t;
        synchronized (this) {
            t = tenants;
        }
        int n = 0;
        if (t != null) {
            for (TenantCredentials tenant : t.all()) {
                if (which.test(tenant)) {
                    action.accept(tenant);
                    n++;
                }
            }
        }
        return n;
    }

    /** For tests: the clock that judges credential expiry (AWS's clock is the emulator's). */
    void setClock(Clock clock) {
        this.clock = clock;
    }

    public long getMaxCachedTenants() {
        return maxCachedTenants;
    }

    public void setMaxCachedTenants(long maxCachedTenants) {
        this.maxCachedTenants = maxCachedTenants;
    }

    public long getCredentialsRefreshTimeout() {
        return credentialsRefreshTimeout;
    }

    public void setCredentialsRefreshTimeout(long credentialsRefreshTimeout) {
        this.credentialsRefreshTimeout = credentialsRefreshTimeout;
    }

    public long getCredentialsIdleTimeout() {
        return credentialsIdleTimeout;
    }

    public void setCredentialsIdleTimeout(long credentialsIdleTimeout) {
        this.credentialsIdleTimeout = credentialsIdleTimeout;
    }

    public int getCompletionThreads() {
        return completionThreads;
    }

    public void setCompletionThreads(int completionThreads) {
        this.completionThreads = completionThreads;
    }

    public int getIoThreads() {
        return ioThreads;
    }

    public void setIoThreads(int ioThreads) {
        this.ioThreads = ioThreads;
    }
}
