package io.github.sidecarlambda;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.apache.camel.AsyncEndpoint;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.EndpointServiceLocation;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;

import io.github.sidecarlambda.aws.SharedAwsClients;
import io.github.sidecarlambda.credentials.TenantCredentials;
import io.github.sidecarlambda.credentials.TenantKey;
import io.github.sidecarlambda.sidecar.SidecarMapping;

/**
 * Invoke a customer's AWS Lambda function across accounts: assume the customer's role with an External ID kept in
 * SSM Parameter Store, cache the temporary credentials, and invoke without blocking a thread.
 */
@UriEndpoint(
        firstVersion = "0.1.0",
        scheme = "sidecar-lambda",
        title = "Sidecar Lambda",
        syntax = "sidecar-lambda:function",
        producerOnly = true,
        category = {Category.CLOUD, Category.SERVERLESS},
        headersClass = SidecarLambdaConstants.class)
public class SidecarLambdaEndpoint extends DefaultEndpoint implements AsyncEndpoint, EndpointServiceLocation {

    @UriPath(
            description =
                    "The function to invoke: a name, name:alias, a partial ARN (account:function:name) or a full ARN. Passed to Lambda unchanged.")
    @Metadata(required = true)
    private String function;

    @UriParam
    private SidecarLambdaConfiguration configuration;

    private SidecarLambdaConfiguration.Validated validated;
    private SidecarMapping sidecar;
    private volatile Target target;
    private String region;
    private String parameterStoreRegion;
    private final Map<SharedAwsClients.LambdaClientKey, LambdaAsyncClient> lambdas = new ConcurrentHashMap<>();
    private Cache<List<String>, Target> headerTargets;

    /** Where one exchange goes: the tenant whose credentials sign it, the function, and the Lambda client. */
    record Target(
            TenantKey tenant,
            FunctionName function,
            LambdaAsyncClient lambda,
            SharedAwsClients.LambdaClientKey lambdaKey) {}

    public SidecarLambdaEndpoint(
            String uri, SidecarLambdaComponent component, SidecarLambdaConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    /** Checks every option; called when the endpoint is created, before any AWS call. */
    void validate() {
        try {
            validated = configuration.validate(function);
            sidecar = validated.sidecar() != null ? new SidecarMapping(validated.sidecar()) : null;
        } catch (SidecarLambdaConfigurationException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            // whatever a validation rule throws, the route gets a typed, explained configuration error
            throw new SidecarLambdaConfigurationException(
                    "uri",
                    "could not be validated (" + e.getClass().getSimpleName()
                            + "); check every option's length and form",
                    e);
        }
    }

    /** The sidecar mode, or null for a plain invocation. */
    SidecarMapping sidecar() {
        return sidecar;
    }

    /** Sidecar mode: how many sidecar failures failSafe=true let through (0 without sidecar mode). */
    public long getSidecarFailSafeCount() {
        return sidecar == null ? 0 : sidecar.failSafeCount();
    }

    @Override
    public Producer createProducer() {
        return new SidecarLambdaProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("sidecar-lambda is a producer only: use it in to(), not from()");
    }

    @Override
    public SidecarLambdaComponent getComponent() {
        return (SidecarLambdaComponent) super.getComponent();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (validated == null) {
            validate();
        }
        region = validated.region() != null ? validated.region() : regionFromChain("region");
        parameterStoreRegion = configuration.getParameterStoreRegion() != null
                ? configuration.getParameterStoreRegion()
                : regionFromChain("parameterStoreRegion");
        target = new Target(
                tenantKey(validated.roleArn(), validated.parameterName(), region),
                validated.function(),
                lambda(lambdaKey(region)),
                lambdaKey(region));
        if (configuration.isTenantFromHeaders()) {
            headerTargets = Caffeine.newBuilder()
                    .maximumSize(10_000)
                    .executor(Runnable::run)
                    .build();
        }
    }

    private TenantKey tenantKey(RoleArn roleArn, ParameterName parameterName, String stsRegion) {
        return new TenantKey(
                configuration.getBaseCredentialsProvider(),
                roleArn,
                parameterName,
                stsRegion,
                parameterStoreRegion,
                validated.stsEndpoint(),
                validated.ssmEndpoint(),
                configuration.getRoleSessionName(),
                Duration.ofMillis(configuration.getSessionDuration()),
                Duration.ofMillis(configuration.getExternalIdCacheTtl()),
                Duration.ofMillis(configuration.getStaleTime()),
                Duration.ofMillis(configuration.getPrefetchTime()),
                validated.externalIdStore(),
                validated.secretsManagerEndpoint());
    }

    /** What this endpoint's Lambda client for a region is shared by: region, endpoint and HTTP settings. */
    private SharedAwsClients.LambdaClientKey lambdaKey(String lambdaRegion) {
        return new SharedAwsClients.LambdaClientKey(
                lambdaRegion,
                validated.lambdaEndpoint(),
                configuration.getMaxConcurrency(),
                Duration.ofMillis(configuration.invokeTimeout()),
                configuration.getMaxRetries());
    }

    /** The component's shared Lambda client for a key, acquired once by this endpoint and released at its stop. */
    private LambdaAsyncClient lambda(SharedAwsClients.LambdaClientKey key) {
        return lambdas.computeIfAbsent(key, k -> getComponent().clients().acquireLambda(k));
    }

    /** Where the invocations go (Camel uses it for tracing tags, JMX and {@code camel get service}). */
    @Override
    public String getServiceUrl() {
        if (validated == null) {
            return null;
        }
        if (validated.lambdaEndpoint() != null) {
            return validated.lambdaEndpoint().toString();
        }
        String r = region != null ? region : validated.region();
        return r == null
                ? null
                : "https://lambda." + r + ".amazonaws.com"
                        + ("aws-cn".equals(validated.roleArn().partition()) ? ".cn" : "");
    }

    @Override
    public String getServiceProtocol() {
        return "https";
    }

    @Override
    public Map<String, String> getServiceMetadata() {
        if (validated == null) {
            return null;
        }
        Map<String, String> m = new LinkedHashMap<>();
        m.put("function", validated.function().value());
        m.put("roleArn", validated.roleArn().toString());
        m.put("externalIdKey", validated.parameterName().value());
        return m;
    }

    /** The endpoint's own target. */
    Target target() {
        return target;
    }

    /**
     * The target of one exchange: the endpoint's, or with {@code tenantFromHeaders} the one its headers name (each
     * header validated like its URI option, parsed once per distinct value and cached).
     */
    Target target(Message message) {
        Target own = target;
        if (headerTargets == null || own == null) {
            return own;
        }
        String role = message.getHeader(SidecarLambdaConstants.ROLE_ARN, String.class);
        String key = message.getHeader(SidecarLambdaConstants.EXTERNAL_ID_KEY, String.class);
        String fn = message.getHeader(SidecarLambdaConstants.FUNCTION, String.class);
        if (role == null && key == null && fn == null) {
            return own;
        }
        List<String> names = Arrays.asList(role, key, fn);
        Target cached = headerTargets.getIfPresent(names);
        if (cached != null) {
            return cached;
        }
        RoleArn roleArn = role == null
                ? validated.roleArn()
                : asHeader(
                        SidecarLambdaConstants.ROLE_ARN,
                        () -> RoleArn.parse(role).requireNamePrefix(configuration.getRoleNamePrefix()));
        ParameterName parameter = key == null
                ? validated.parameterName()
                : asHeader(
                        SidecarLambdaConstants.EXTERNAL_ID_KEY,
                        () -> ParameterName.parse("externalIdKey", key, configuration.isRequireKeyHierarchy()));
        FunctionName function = fn == null
                ? validated.function()
                : asHeader(SidecarLambdaConstants.FUNCTION, () -> FunctionName.parse(fn));
        if (function.qualifier() != null && configuration.getQualifier() != null) {
            throw new SidecarLambdaConfigurationException(
                    SidecarLambdaConstants.FUNCTION,
                    "the function '" + function + "' names a qualifier and the endpoint sets qualifier '"
                            + configuration.getQualifier() + "'");
        }
        asHeader(SidecarLambdaConstants.FUNCTION, () -> {
            SidecarLambdaConfiguration.checkFunctionAccount(
                    "function", function, roleArn, configuration.isAllowCrossAccountFunction());
            return function;
        });
        String fnRegion = function.region() != null ? function.region() : region;
        Target t = new Target(
                tenantKey(roleArn, parameter, fnRegion), function, lambda(lambdaKey(fnRegion)), lambdaKey(fnRegion));
        headerTargets.put(names, t);
        return t;
    }

    private static <T> T asHeader(String header, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (SidecarLambdaConfigurationException e) {
            String message = e.getMessage().substring(e.getOption().length() + 2);
            throw new SidecarLambdaConfigurationException(header, message, e);
        }
    }

    private static String regionFromChain(String option) {
        try {
            return new DefaultAwsRegionProviderChain().getRegion().id();
        } catch (SdkClientException e) {
            throw new SidecarLambdaConfigurationException(
                    option,
                    "not set, and the AWS SDK region chain (AWS_REGION, aws.region, profile, instance metadata) found "
                            + "no region; set " + option + "=<region>, e.g. us-east-1",
                    e);
        }
    }

    @Override
    protected void doStop() throws Exception {
        // release only what this endpoint acquired; the component closes a shared client when its last user is gone
        target = null;
        for (SharedAwsClients.LambdaClientKey key : lambdas.keySet()) {
            getComponent().releaseLambda(key);
        }
        lambdas.clear();
        if (headerTargets != null) {
            headerTargets.invalidateAll();
        }
        super.doStop();
    }

    /** The endpoint's own tenant (created in the component's cache if it is not there). */
    TenantCredentials tenant() {
        Target t = target;
        return t == null ? null : getComponent().tenants().get(t.tenant());
    }

    SidecarLambdaConfiguration.Validated validated() {
        return validated;
    }

    public String getFunction() {
        return function;
    }

    public void setFunction(String function) {
        this.function = function;
    }

    public SidecarLambdaConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(SidecarLambdaConfiguration configuration) {
        this.configuration = configuration;
    }
}
