package io.github.sidecarlambda.springboot;

import java.time.Duration;

import io.github.sidecarlambda.SidecarLambdaConfiguration;
import org.apache.camel.spring.boot.ComponentConfigurationPropertiesCommon;
import org.springframework.boot.context.properties.ConfigurationProperties;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The {@code camel.component.sidecar-lambda.*} properties: one per option of the component, with the description and
 * default of the component's catalog JSON (sidecar-lambda.json; where the catalog generator dropped characters such
 * as {@code <key>}, {@code +} or {@code @}, the text of the option's annotation). As in Camel's generated starters,
 * the options of the nested {@code configuration} object are flat ({@code camel.component.sidecar-lambda.region}) and
 * the component's generated configurer applies them. Durations bind as {@link Duration}, so {@code 15m} works as the
 * component's own descriptions promise (Camel's generated starters use {@code Long} milliseconds). Keep this class in
 * step with the component's options when they change.
 */
@ConfigurationProperties(prefix = "camel.component.sidecar-lambda")
public class SidecarLambdaComponentConfiguration extends ComponentConfigurationPropertiesCommon {

    /**
     * The region of the function and of the STS endpoint used to assume the
     * role. Default: the region of a full function ARN, else the AWS SDK
     * region chain (AWS_REGION, aws.region, profile).
     */
    private String region;
    /**
     * How long one Invoke may take, retries included; also the socket read
     * timeout. The default leaves room for a function that runs the maximum
     * 900 s. A number is milliseconds; 15m, 1h or PT1H work too. The option is
     * a java.time.Duration type.
     */
    private Duration apiCallTimeout = Duration.ofMillis(930000);
    /**
     * Client context passed to the function: a JSON object, sent
     * base64-encoded (at most 3583 bytes encoded).
     */
    private String clientContext;
    /**
     * Default options for every endpoint of this component. The option is a
     * io.github.sidecarlambda.SidecarLambdaConfiguration type.
     */
    private SidecarLambdaConfiguration configuration;
    /**
     * RequestResponse (synchronous, 200), Event (asynchronous, 202, no
     * response payload) or DryRun (permission check only, 204).
     */
    private String invocationType = "RequestResponse";
    /**
     * Whether the producer should be started lazy (on the first message). By
     * starting lazy you can use this to allow CamelContext and routes to
     * startup in situations where a producer may otherwise fail during
     * starting and cause the route to fail being started. By deferring this
     * startup to be lazy then the startup failure can be handled during
     * routing messages via Camel's routing error handlers. Beware that when
     * the first message is processed then creating and starting the producer
     * may take a little time and prolong the total processing time of the
     * processing.
     */
    private Boolean lazyStartProducer = false;
    /**
     * Tail returns the last 4 KB of the function's log in the
     * CamelSidecarLambdaLogResult header.
     */
    private String logType = "None";
    /**
     * Sidecar mode: how many answers with unchangedUntil to keep, reused for an identical input (all but the message
     * id) until that time. 0 disables the cache.
     */
    private Integer answerCacheSize = 0;
    /**
     * Sidecar mode: comma-separated extra input elements: requestPayload, responsePayload, operation, remoteAddress,
     * eavs, packageKeyEAVs, token, routing.
     */
    private String expandInput;
    /**
     * Sidecar mode: when the function fails, times out, answers invalidly or cannot be invoked, let the API call
     * continue unchanged (logged at WARN, counted, outcome header failSafe) instead of answering the client with the
     * error.
     */
    private Boolean failSafe = false;
    /**
     * Sidecar mode: comma-separated request headers to send to the function (case-insensitive). Default: all request
     * headers except Camel's own.
     */
    private String includeRequestHeaders;
    /**
     * Sidecar mode, post-processor: comma-separated response headers to send to the function (case-insensitive).
     * Default: all except Camel's own.
     */
    private String includeResponseHeaders;
    /**
     * Sidecar mode: what a payload over maxPayloadSize does: blocking answers the client 413; filtering invokes the
     * function without the payload (payloadLength still tells its size).
     */
    private String maxPayloadCondition = "blocking";
    /**
     * Sidecar mode: the largest request (pre) or response (post) payload in KB sent to the function, 1-1024.
     */
    private Integer maxPayloadSize = 10;
    /**
     * Sidecar mode, pre-processor: comma-separated request headers that must be present; a request without one is
     * answered 400 RequiredHeaderConditionFailure without invoking the function.
     */
    private String requireRequestHeaders;
    /**
     * Sidecar mode: the function runs around an API call as a pre-processor (before the backend) or post-processor
     * (after it). The input is built from the HTTP exchange per the gateway sidecar contract, and the answer (allow,
     * terminate, modify) is applied to the exchange instead of becoming the body. Unset: plain invocation with the
     * body.
     */
    private io.github.sidecarlambda.SidecarPoint sidecar;
    /**
     * Sidecar mode: parameters sent to the function as input params, one URI option per parameter: sidecarParam.= (the
     * gateway's sidecar-param-). This is a multi-value option with prefix: sidecarParam.
     */
    private java.util.Map<String, Object> sidecarParams;
    /**
     * Sidecar mode: how long to wait for the function's answer; when exceeded the client gets 504 (or, with failSafe,
     * the call continues). Default: apiCallTimeout.
     */
    private Long sidecarTimeout;
    /**
     * Sidecar mode, post-processor: comma-separated response headers never sent to the function.
     */
    private String skipResponseHeaders;
    /**
     * Sidecar mode: RequestResponse waits for the answer and applies it; Event sends the input asynchronously and
     * continues unchanged.
     */
    private io.github.sidecarlambda.InvocationType synchronicity = io.github.sidecarlambda.InvocationType.RequestResponse;
    /**
     * Whether the producer checks the whole chain when it starts: reads the External ID, assumes the role and invokes
     * the function with InvocationType DryRun (checks the invoke permission, runs nothing). A failed step fails the
     * route's start with PreflightFailedException, whose message is the step-by-step report with the likely cause and
     * fix; the health check shows the report's outcome.
     */
    private Boolean preflight = false;
    /**
     * The Secrets Manager endpoint to use instead of the SDK's (with externalIdStore=secretsManager). When unset,
     * AWS_ENDPOINT_URL_SECRETS_MANAGER / AWS_ENDPOINT_URL / aws.endpointUrlSecretsManager apply as usual.
     */
    private String secretsManagerEndpointOverride;
    /**
     * Where the operator keeps the External IDs: parameterStore (SSM Parameter Store, GetParameter with decryption; a
     * SecureString) or secretsManager (AWS Secrets Manager, GetSecretValue of the AWSCURRENT version of the secret
     * named by externalIdKey, without a leading slash). With secretsManager, when STS denies the current value the
     * AWSPREVIOUS version is tried once before failing, so a route survives the window of a rotation in which the
     * customer does not trust the new value yet. The store's region is parameterStoreRegion.
     */
    private String externalIdStore = "parameterStore";
    /**
     * The maximum number of HTTP connections to Lambda of the component's shared
     * Lambda client for this region (every endpoint and tenant with the same
     * region, Lambda endpoint, maxConcurrency, apiCallTimeout and maxRetries
     * shares one pool). A synchronous Invoke holds its connection while the
     * function runs; calls beyond this number wait for a free connection (up to
     * the HTTP client's 10 s acquire timeout, then a retryable failure: nothing
     * was sent). Connections are opened only while that many calls run at once.
     * Default: 1000, Lambda's default quota of concurrent executions per account
     * and Region.
     */
    private Integer maxConcurrency = 1000;
    /**
     * How many times the AWS SDK may send an Invoke again, only after failures
     * that cannot have run the function: throttling (TooManyRequestsException,
     * EC2ThrottledException), a function being updated or initialised
     * (ResourceConflictException, ResourceNotReadyException), or no
     * connection. Never after a timeout, a reset connection or a 5xx once the
     * request was sent (a pooled connection closed before the answer: see
     * resendOnStaleConnection). 0 disables; at most 10.
     */
    private Integer maxRetries = 3;
    /**
     * Whether an Invoke is sent again, once, at once and on a new connection,
     * when it failed on a reused (pooled keep-alive) connection that the server
     * closed or reset within 250 ms of the request being written, before any answer: a server or load balancer closing a
     * connection the client was writing onto, which had not read the request.
     * The AWS SDK's default retry, the AWS CLI and OkHttp re-send in that case
     * too. A server that read the request and then dropped the connection
     * without answering would run the function twice: set false to fail such an
     * exchange instead, with LambdaServiceException.mayHaveRun() (what HTTP
     * clients that never re-send a POST do).
     */
    private Boolean resendOnStaleConnection = true;
    /**
     * The version or alias of the function to invoke.
     */
    private String qualifier;
    /**
     * Whether the headers CamelSidecarLambdaRoleArn,
     * CamelSidecarLambdaExternalIdKey and CamelSidecarLambdaFunction choose
     * the tenant and function of each message (each validated like the URI
     * options; a bad value fails that exchange with
     * SidecarLambdaConfigurationException, before any AWS call). Off by
     * default: enable it only on routes whose headers a caller cannot set
     * (Camel's HTTP consumers drop inbound Camel* headers).
     */
    private Boolean tenantFromHeaders = false;
    /**
     * Whether a function error (X-Amz-Function-Error) fails the exchange with
     * FunctionErrorException. When false the error payload becomes the body
     * and the CamelSidecarLambdaFunctionError header is set.
     */
    private Boolean throwOnFunctionError = true;
    /**
     * Whether autowiring is enabled. This is used for automatic autowiring
     * options (the option must be marked as autowired) by looking up in the
     * registry to find if there is a single instance of matching type, which
     * then gets configured on the component. This can be used for automatic
     * configuring JDBC data sources, JMS connection factories, AWS Clients,
     * etc.
     */
    private Boolean autowiredEnabled = true;
    /**
     * A tenant without traffic for this long is dropped from the cache (so
     * idle customers cost no STS or Parameter Store call) and assumed again on
     * its next message. A number is milliseconds; 15m, 1h or PT1H work too.
     * The option is a java.time.Duration type.
     */
    private Duration credentialsIdleTimeout = Duration.ofMillis(7200000);
    /**
     * The longest one refresh of a tenant's credentials may take: the
     * Parameter Store read, AssumeRole, and their retries with back-off on
     * throttling or server errors. Exchanges of a cold tenant wait (as
     * callbacks, no thread blocked) at most this long. A number is
     * milliseconds; 15m, 1h or PT1H work too. The option is a
     * java.time.Duration type.
     */
    private Duration credentialsRefreshTimeout = Duration.ofMillis(30000);
    /**
     * The Lambda endpoint to use instead of the SDK's. When unset,
     * AWS_ENDPOINT_URL_LAMBDA / AWS_ENDPOINT_URL / aws.endpointUrlLambda apply
     * as usual.
     */
    private String lambdaEndpointOverride;
    /**
     * The most tenants (role + External ID key) whose credentials are cached at
     * once; beyond it the least recently used are dropped and assumed again on
     * their next message.
     */
    private Long maxCachedTenants = 100000L;
    /**
     * Threads that continue the route after Lambda answers (the AWS SDK's
     * future completion executor), shared by every endpoint and tenant; 0 = one
     * per processor. A route that blocks after the call holds one of them; raise
     * it, or add threads() after the call, if a step after the call blocks.
     */
    private Integer completionThreads = 0;
    /**
     * Netty I/O threads (event loops) shared by every AWS client of the
     * component; 0 = one per processor (Netty's own default is two per
     * processor; these threads only do I/O).
     */
    private Integer ioThreads = 0;
    /**
     * The SSM endpoint to use instead of the SDK's. When unset,
     * AWS_ENDPOINT_URL_SSM / AWS_ENDPOINT_URL / aws.endpointUrlSsm apply as
     * usual.
     */
    private String ssmEndpointOverride;
    /**
     * The STS endpoint to use instead of the SDK's (e.g.
     * http://127.0.0.1:4566). When unset, AWS_ENDPOINT_URL_STS /
     * AWS_ENDPOINT_URL / aws.endpointUrlSts apply as usual.
     */
    private String stsEndpointOverride;
    /**
     * Used for enabling or disabling all consumer based health checks from
     * this component
     */
    private Boolean healthCheckConsumerEnabled = true;
    /**
     * Used for enabling or disabling all producer based health checks from
     * this component. Notice: Camel has by default disabled all producer based
     * health-checks. You can turn on producer checks globally by setting
     * camel.health.producersEnabled=true.
     */
    private Boolean healthCheckProducerEnabled = true;
    /**
     * Whether the function may be in another account than the role (a full or
     * partial function ARN naming another account). Off by default, because
     * the customer's role can only invoke another account's function through
     * that function's resource policy: usually a typo.
     */
    private Boolean allowCrossAccountFunction = false;
    /**
     * The platform identity that assumes the customer's role and reads
     * Parameter Store: a reference to an AwsCredentialsProvider bean,
     * #bean:name or #name. Default: the AWS SDK default credential chain. The
     * option is a
     * software.amazon.awssdk.auth.credentials.AwsCredentialsProvider type.
     */
    private AwsCredentialsProvider baseCredentialsProvider;
    /**
     * How long an External ID read from Parameter Store is reused. After a
     * denial it is re-read at once regardless. A number is milliseconds; 15m,
     * 1h or PT1H work too. The option is a java.time.Duration type.
     */
    private Duration externalIdCacheTtl = Duration.ofMillis(900000);
    /**
     * The name of the SSM Parameter Store parameter (SecureString) that holds
     * the customer's External ID, as customer/environment/key, e.g.
     * acme/prod/trustKey. A hierarchical name is sent with a leading slash.
     * Required.
     */
    private String externalIdKey;
    /**
     * The region of the Parameter Store that holds the External IDs (the
     * operator's). Default: the AWS SDK region chain.
     */
    private String parameterStoreRegion;
    /**
     * Credentials this close to expiry (minus up to a quarter of it, as
     * jitter) are refreshed in the background by one refresh per tenant, while
     * exchanges keep using the current ones. Must be greater than staleTime. A
     * number is milliseconds; 15m, 1h or PT1H work too. The option is a
     * java.time.Duration type.
     */
    private Duration prefetchTime = Duration.ofMillis(300000);
    /**
     * Whether externalIdKey must follow the hierarchy customer/environment/key
     * (at least three levels).
     */
    private Boolean requireKeyHierarchy = true;
    /**
     * The ARN of the customer's IAM role to assume, e.g.
     * arn:aws:iam::641769673540:role/Boomi_sidecar_connector_acme. Required.
     */
    private String roleArn;
    /**
     * The prefix the role name must start with (compared case-insensitively,
     * as IAM role names are). Empty disables the check.
     */
    private String roleNamePrefix = "Boomi_sidecar_connector";
    /**
     * The role session name used when assuming the role (2-64 characters of
     * [A-Za-z0-9_+=,.@-]); it appears in the customer's CloudTrail.
     */
    private String roleSessionName = "camel-sidecar-lambda";
    /**
     * How long the assumed-role credentials last, 900 s to 43200 s (and at
     * most 3600 s when the platform identity is itself an assumed role, and at
     * most the role's maximum session duration). In milliseconds or as a
     * duration such as 1h. A number is milliseconds; 15m, 1h or PT1H work too.
     * The option is a java.time.Duration type.
     */
    private Duration sessionDuration = Duration.ofMillis(3600000);
    /**
     * Credentials this close to expiry are no longer used: exchanges wait (as
     * callbacks, no thread blocked) for the refresh. Until then they keep
     * serving, also when a refresh fails (STS down). A number is milliseconds;
     * 15m, 1h or PT1H work too. The option is a java.time.Duration type.
     */
    private Duration staleTime = Duration.ofMillis(10000);

    public String getRegion() {
        return region;
    }

    public void setRegion(String region) {
        this.region = region;
    }

    public Duration getApiCallTimeout() {
        return apiCallTimeout;
    }

    public void setApiCallTimeout(Duration apiCallTimeout) {
        this.apiCallTimeout = apiCallTimeout;
    }

    public String getClientContext() {
        return clientContext;
    }

    public void setClientContext(String clientContext) {
        this.clientContext = clientContext;
    }

    public SidecarLambdaConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(SidecarLambdaConfiguration configuration) {
        this.configuration = configuration;
    }

    public String getInvocationType() {
        return invocationType;
    }

    public void setInvocationType(String invocationType) {
        this.invocationType = invocationType;
    }

    public Boolean getLazyStartProducer() {
        return lazyStartProducer;
    }

    public void setLazyStartProducer(Boolean lazyStartProducer) {
        this.lazyStartProducer = lazyStartProducer;
    }

    public String getLogType() {
        return logType;
    }

    public void setLogType(String logType) {
        this.logType = logType;
    }

    public Integer getAnswerCacheSize() {
        return answerCacheSize;
    }

    public void setAnswerCacheSize(Integer answerCacheSize) {
        this.answerCacheSize = answerCacheSize;
    }

    public String getExpandInput() {
        return expandInput;
    }

    public void setExpandInput(String expandInput) {
        this.expandInput = expandInput;
    }

    public Boolean getFailSafe() {
        return failSafe;
    }

    public void setFailSafe(Boolean failSafe) {
        this.failSafe = failSafe;
    }

    public String getIncludeRequestHeaders() {
        return includeRequestHeaders;
    }

    public void setIncludeRequestHeaders(String includeRequestHeaders) {
        this.includeRequestHeaders = includeRequestHeaders;
    }

    public String getIncludeResponseHeaders() {
        return includeResponseHeaders;
    }

    public void setIncludeResponseHeaders(String includeResponseHeaders) {
        this.includeResponseHeaders = includeResponseHeaders;
    }

    public String getMaxPayloadCondition() {
        return maxPayloadCondition;
    }

    public void setMaxPayloadCondition(String maxPayloadCondition) {
        this.maxPayloadCondition = maxPayloadCondition;
    }

    public Integer getMaxPayloadSize() {
        return maxPayloadSize;
    }

    public void setMaxPayloadSize(Integer maxPayloadSize) {
        this.maxPayloadSize = maxPayloadSize;
    }

    public String getRequireRequestHeaders() {
        return requireRequestHeaders;
    }

    public void setRequireRequestHeaders(String requireRequestHeaders) {
        this.requireRequestHeaders = requireRequestHeaders;
    }

    public io.github.sidecarlambda.SidecarPoint getSidecar() {
        return sidecar;
    }

    public void setSidecar(io.github.sidecarlambda.SidecarPoint sidecar) {
        this.sidecar = sidecar;
    }

    public java.util.Map<String, Object> getSidecarParams() {
        return sidecarParams;
    }

    public void setSidecarParams(java.util.Map<String, Object> sidecarParams) {
        this.sidecarParams = sidecarParams;
    }

    public Long getSidecarTimeout() {
        return sidecarTimeout;
    }

    public void setSidecarTimeout(Long sidecarTimeout) {
        this.sidecarTimeout = sidecarTimeout;
    }

    public String getSkipResponseHeaders() {
        return skipResponseHeaders;
    }

    public void setSkipResponseHeaders(String skipResponseHeaders) {
        this.skipResponseHeaders = skipResponseHeaders;
    }

    public io.github.sidecarlambda.InvocationType getSynchronicity() {
        return synchronicity;
    }

    public void setSynchronicity(io.github.sidecarlambda.InvocationType synchronicity) {
        this.synchronicity = synchronicity;
    }

    public Boolean getPreflight() {
        return preflight;
    }

    public void setPreflight(Boolean preflight) {
        this.preflight = preflight;
    }

    public String getSecretsManagerEndpointOverride() {
        return secretsManagerEndpointOverride;
    }

    public void setSecretsManagerEndpointOverride(String secretsManagerEndpointOverride) {
        this.secretsManagerEndpointOverride = secretsManagerEndpointOverride;
    }

    public String getExternalIdStore() {
        return externalIdStore;
    }

    public void setExternalIdStore(String externalIdStore) {
        this.externalIdStore = externalIdStore;
    }

    public Integer getMaxConcurrency() {
        return maxConcurrency;
    }

    public void setMaxConcurrency(Integer maxConcurrency) {
        this.maxConcurrency = maxConcurrency;
    }

    public Boolean getResendOnStaleConnection() {
        return resendOnStaleConnection;
    }

    public void setResendOnStaleConnection(Boolean resendOnStaleConnection) {
        this.resendOnStaleConnection = resendOnStaleConnection;
    }

    public Integer getMaxRetries() {
        return maxRetries;
    }

    public void setMaxRetries(Integer maxRetries) {
        this.maxRetries = maxRetries;
    }

    public String getQualifier() {
        return qualifier;
    }

    public void setQualifier(String qualifier) {
        this.qualifier = qualifier;
    }

    public Boolean getTenantFromHeaders() {
        return tenantFromHeaders;
    }

    public void setTenantFromHeaders(Boolean tenantFromHeaders) {
        this.tenantFromHeaders = tenantFromHeaders;
    }

    public Boolean getThrowOnFunctionError() {
        return throwOnFunctionError;
    }

    public void setThrowOnFunctionError(Boolean throwOnFunctionError) {
        this.throwOnFunctionError = throwOnFunctionError;
    }

    public Boolean getAutowiredEnabled() {
        return autowiredEnabled;
    }

    public void setAutowiredEnabled(Boolean autowiredEnabled) {
        this.autowiredEnabled = autowiredEnabled;
    }

    public Duration getCredentialsIdleTimeout() {
        return credentialsIdleTimeout;
    }

    public void setCredentialsIdleTimeout(Duration credentialsIdleTimeout) {
        this.credentialsIdleTimeout = credentialsIdleTimeout;
    }

    public Duration getCredentialsRefreshTimeout() {
        return credentialsRefreshTimeout;
    }

    public void setCredentialsRefreshTimeout(Duration credentialsRefreshTimeout) {
        this.credentialsRefreshTimeout = credentialsRefreshTimeout;
    }

    public String getLambdaEndpointOverride() {
        return lambdaEndpointOverride;
    }

    public void setLambdaEndpointOverride(String lambdaEndpointOverride) {
        this.lambdaEndpointOverride = lambdaEndpointOverride;
    }

    public Integer getCompletionThreads() {
        return completionThreads;
    }

    public void setCompletionThreads(Integer completionThreads) {
        this.completionThreads = completionThreads;
    }

    public Integer getIoThreads() {
        return ioThreads;
    }

    public void setIoThreads(Integer ioThreads) {
        this.ioThreads = ioThreads;
    }

    public Long getMaxCachedTenants() {
        return maxCachedTenants;
    }

    public void setMaxCachedTenants(Long maxCachedTenants) {
        this.maxCachedTenants = maxCachedTenants;
    }

    public String getSsmEndpointOverride() {
        return ssmEndpointOverride;
    }

    public void setSsmEndpointOverride(String ssmEndpointOverride) {
        this.ssmEndpointOverride = ssmEndpointOverride;
    }

    public String getStsEndpointOverride() {
        return stsEndpointOverride;
    }

    public void setStsEndpointOverride(String stsEndpointOverride) {
        this.stsEndpointOverride = stsEndpointOverride;
    }

    public Boolean getHealthCheckConsumerEnabled() {
        return healthCheckConsumerEnabled;
    }

    public void setHealthCheckConsumerEnabled(Boolean healthCheckConsumerEnabled) {
        this.healthCheckConsumerEnabled = healthCheckConsumerEnabled;
    }

    public Boolean getHealthCheckProducerEnabled() {
        return healthCheckProducerEnabled;
    }

    public void setHealthCheckProducerEnabled(Boolean healthCheckProducerEnabled) {
        this.healthCheckProducerEnabled = healthCheckProducerEnabled;
    }

    public Boolean getAllowCrossAccountFunction() {
        return allowCrossAccountFunction;
    }

    public void setAllowCrossAccountFunction(Boolean allowCrossAccountFunction) {
        this.allowCrossAccountFunction = allowCrossAccountFunction;
    }

    public AwsCredentialsProvider getBaseCredentialsProvider() {
        return baseCredentialsProvider;
    }

    public void setBaseCredentialsProvider(AwsCredentialsProvider baseCredentialsProvider) {
        this.baseCredentialsProvider = baseCredentialsProvider;
    }

    public Duration getExternalIdCacheTtl() {
        return externalIdCacheTtl;
    }

    public void setExternalIdCacheTtl(Duration externalIdCacheTtl) {
        this.externalIdCacheTtl = externalIdCacheTtl;
    }

    public String getExternalIdKey() {
        return externalIdKey;
    }

    public void setExternalIdKey(String externalIdKey) {
        this.externalIdKey = externalIdKey;
    }

    public String getParameterStoreRegion() {
        return parameterStoreRegion;
    }

    public void setParameterStoreRegion(String parameterStoreRegion) {
        this.parameterStoreRegion = parameterStoreRegion;
    }

    public Duration getPrefetchTime() {
        return prefetchTime;
    }

    public void setPrefetchTime(Duration prefetchTime) {
        this.prefetchTime = prefetchTime;
    }

    public Boolean getRequireKeyHierarchy() {
        return requireKeyHierarchy;
    }

    public void setRequireKeyHierarchy(Boolean requireKeyHierarchy) {
        this.requireKeyHierarchy = requireKeyHierarchy;
    }

    public String getRoleArn() {
        return roleArn;
    }

    public void setRoleArn(String roleArn) {
        this.roleArn = roleArn;
    }

    public String getRoleNamePrefix() {
        return roleNamePrefix;
    }

    public void setRoleNamePrefix(String roleNamePrefix) {
        this.roleNamePrefix = roleNamePrefix;
    }

    public String getRoleSessionName() {
        return roleSessionName;
    }

    public void setRoleSessionName(String roleSessionName) {
        this.roleSessionName = roleSessionName;
    }

    public Duration getSessionDuration() {
        return sessionDuration;
    }

    public void setSessionDuration(Duration sessionDuration) {
        this.sessionDuration = sessionDuration;
    }

    public Duration getStaleTime() {
        return staleTime;
    }

    public void setStaleTime(Duration staleTime) {
        this.staleTime = staleTime;
    }
}
