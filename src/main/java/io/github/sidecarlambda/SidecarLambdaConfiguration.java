package io.github.sidecarlambda;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.regions.Region;

import io.github.sidecarlambda.sidecar.SidecarSettings;

/**
 * The options of a {@code sidecar-lambda} endpoint. The component holds one instance as defaults and each endpoint
 * gets a copy. No option takes an access key, a secret key or the External ID itself: the External ID is only ever
 * read from Parameter Store.
 */
@UriParams
public class SidecarLambdaConfiguration implements Cloneable {

    public static final String DEFAULT_ROLE_NAME_PREFIX = "Boomi_sidecar_connector";
    public static final String DEFAULT_ROLE_SESSION_NAME = "camel-sidecar-lambda";
    public static final long DEFAULT_SESSION_DURATION = 3_600_000L;
    public static final long DEFAULT_EXTERNAL_ID_CACHE_TTL = 900_000L;
    public static final long DEFAULT_STALE_TIME = 10_000L;
    public static final long DEFAULT_PREFETCH_TIME = 300_000L;
    /** A function may run 900 s; leave room for the round trip. */
    public static final long DEFAULT_API_CALL_TIMEOUT = 930_000L;
    /**
     * Lambda's default quota of concurrent executions per account and Region: one shared pool serves every tenant of the
     * component, and a connection is only opened while that many calls run at once. The AWS SDK's own default (50) capped
     * a route with 64 calls in flight at 0.78 of the raw SDK's throughput (docs/benchmark.md, second harness).
     */
    public static final int DEFAULT_MAX_CONCURRENCY = 1000;

    public static final int DEFAULT_MAX_RETRIES = 3;
    public static final int DEFAULT_MAX_PAYLOAD_KB = 10;
    public static final int MAX_PAYLOAD_KB = SidecarSettings.MAX_PAYLOAD_KB;

    static final long MIN_SESSION_SECONDS = 900;
    static final long MAX_SESSION_SECONDS = 43_200;
    static final int MAX_QUALIFIER_LENGTH = 128;
    static final int MAX_CLIENT_CONTEXT_BYTES = 3583;
    private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
    private static final Pattern QUALIFIER = Pattern.compile("\\$LATEST|[a-zA-Z0-9_-]+");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");

    @UriParam(
            label = "security",
            description =
                    "The ARN of the customer's IAM role to assume, e.g. arn:aws:iam::641769673540:role/Boomi_sidecar_connector_acme. Required.")
    @Metadata(required = true)
    private String roleArn;

    @UriParam(
            label = "security",
            description =
                    "The name of the SSM Parameter Store parameter (SecureString) that holds the customer's External ID, as customer/environment/key, e.g. acme/prod/trustKey. A hierarchical name is sent with a leading slash. Required.")
    @Metadata(required = true)
    private String externalIdKey;

    @UriParam(
            label = "security",
            defaultValue = DEFAULT_ROLE_NAME_PREFIX,
            description =
                    "The prefix the role name must start with (compared case-insensitively, as IAM role names are). Empty disables the check.")
    private String roleNamePrefix = DEFAULT_ROLE_NAME_PREFIX;

    @UriParam(
            label = "security",
            defaultValue = "true",
            description =
                    "Whether externalIdKey must follow the hierarchy customer/environment/key (at least three levels).")
    private boolean requireKeyHierarchy = true;

    @UriParam(
            label = "common",
            description =
                    "The region of the function and of the STS endpoint used to assume the role. Default: the region of a full function ARN, else the AWS SDK region chain (AWS_REGION, aws.region, profile).")
    private String region;

    @UriParam(
            label = "security",
            description =
                    "The region of the Parameter Store that holds the External IDs (the operator's). Default: the AWS SDK region chain.")
    private String parameterStoreRegion;

    @UriParam(
            label = "security",
            defaultValue = "parameterStore",
            enums = "parameterStore,secretsManager",
            description =
                    "Where the operator keeps the External IDs: parameterStore (SSM Parameter Store, GetParameter with decryption; a SecureString) or secretsManager (AWS Secrets Manager, GetSecretValue of the AWSCURRENT version of the secret named by externalIdKey, without a leading slash). With secretsManager, when STS denies the current value the AWSPREVIOUS version is tried once before failing, so a route survives the window of a rotation in which the customer does not trust the new value yet. The store's region is parameterStoreRegion.")
    private String externalIdStore = ExternalIdStore.parameterStore.name();

    @UriParam(label = "producer", description = "The version or alias of the function to invoke.")
    private String qualifier;

    @UriParam(
            label = "producer",
            defaultValue = "RequestResponse",
            enums = "RequestResponse,Event,DryRun",
            description =
                    "RequestResponse (synchronous, 200), Event (asynchronous, 202, no response payload) or DryRun (permission check only, 204).")
    private String invocationType = InvocationType.RequestResponse.name();

    @UriParam(
            label = "producer",
            defaultValue = "None",
            enums = "None,Tail",
            description = "Tail returns the last 4 KB of the function's log in the CamelSidecarLambdaLogResult header.")
    private String logType = LogType.None.name();

    @UriParam(
            label = "producer",
            description =
                    "Client context passed to the function: a JSON object, sent base64-encoded (at most 3583 bytes encoded).")
    private String clientContext;

    @UriParam(
            label = "security",
            defaultValue = DEFAULT_ROLE_SESSION_NAME,
            description =
                    "The role session name used when assuming the role (2-64 characters: letters, digits, underscore, plus, equals, comma, period, at sign and hyphen); it appears in the customer's CloudTrail.")
    private String roleSessionName = DEFAULT_ROLE_SESSION_NAME;

    @UriParam(
            label = "security",
            defaultValue = "3600000",
            javaType = "java.time.Duration",
            description =
                    "How long the assumed-role credentials last, 900 s to 43200 s (and at most 3600 s when the platform identity is itself an assumed role, and at most the role's maximum session duration). In milliseconds or as a duration such as 1h.")
    private long sessionDuration = DEFAULT_SESSION_DURATION;

    @UriParam(
            label = "security",
            defaultValue = "900000",
            javaType = "java.time.Duration",
            description =
                    "How long an External ID read from Parameter Store is reused. After a denial it is re-read at once regardless.")
    private long externalIdCacheTtl = DEFAULT_EXTERNAL_ID_CACHE_TTL;

    @UriParam(
            label = "security",
            defaultValue = "10000",
            javaType = "java.time.Duration",
            description =
                    "Credentials this close to expiry are no longer used: exchanges wait (as callbacks, no thread blocked) for the refresh. Until then they keep serving, also when a refresh fails (STS down).")
    private long staleTime = DEFAULT_STALE_TIME;

    @UriParam(
            label = "security",
            defaultValue = "300000",
            javaType = "java.time.Duration",
            description =
                    "Credentials this close to expiry (minus up to a quarter of it, as jitter) are refreshed in the background by one refresh per tenant, while exchanges keep using the current ones. Must be greater than staleTime.")
    private long prefetchTime = DEFAULT_PREFETCH_TIME;

    @UriParam(
            label = "producer",
            defaultValue = "false",
            description =
                    "Whether the producer checks the whole chain when it starts: reads the External ID, assumes the role and invokes the function with InvocationType DryRun (checks the invoke permission, runs nothing). A failed step fails the route's start with PreflightFailedException, whose message is the step-by-step report with the likely cause and fix; the health check shows the report's outcome.")
    private boolean preflight;

    @UriParam(
            label = "producer",
            defaultValue = "false",
            description =
                    "Whether the headers CamelSidecarLambdaRoleArn, CamelSidecarLambdaExternalIdKey and CamelSidecarLambdaFunction choose the tenant and function of each message (each validated like the URI options; a bad value fails that exchange with SidecarLambdaConfigurationException, before any AWS call). Off by default: enable it only on routes whose headers a caller cannot set (Camel's HTTP consumers drop inbound Camel* headers).")
    private boolean tenantFromHeaders;

    @UriParam(
            label = "producer",
            defaultValue = "true",
            description =
                    "Whether a function error (X-Amz-Function-Error) fails the exchange with FunctionErrorException. When false the error payload becomes the body and the CamelSidecarLambdaFunctionError header is set.")
    private boolean throwOnFunctionError = true;

    @UriParam(
            label = "producer",
            defaultValue = "930000",
            javaType = "java.time.Duration",
            description =
                    "How long one Invoke may take, retries included; also the socket read timeout. The default leaves room for a function that runs the maximum 900 s.")
    private long apiCallTimeout = DEFAULT_API_CALL_TIMEOUT;

    @UriParam(
            label = "producer",
            defaultValue = "1000",
            description =
                    "The maximum number of HTTP connections to Lambda of the component's shared Lambda client for this region (every endpoint and tenant with the same region, Lambda endpoint, maxConcurrency, apiCallTimeout and maxRetries shares one pool). A synchronous Invoke holds its connection while the function runs; calls beyond this number wait for a free connection (up to the HTTP client's 10 s acquire timeout, then a retryable failure: nothing was sent). Connections are opened only while that many calls run at once. Default: 1000, Lambda's default quota of concurrent executions per account and Region.")
    private int maxConcurrency = DEFAULT_MAX_CONCURRENCY;

    @UriParam(
            label = "producer",
            defaultValue = "3",
            description =
                    "How many times the AWS SDK may send an Invoke again, only after failures that cannot have run the function: throttling (TooManyRequestsException, EC2ThrottledException), a function being updated or initialised (ResourceConflictException, ResourceNotReadyException), or no connection. Never after a timeout, a reset connection or a 5xx once the request was sent (a pooled connection closed before the answer: see resendOnStaleConnection). 0 disables; at most 10.")
    private int maxRetries = DEFAULT_MAX_RETRIES;

    @UriParam(
            label = "producer",
            defaultValue = "true",
            description =
                    "Whether an Invoke is sent again, once, at once and on a new connection, when it failed on a reused (pooled keep-alive) connection that the server closed or reset within 250 ms of the request being written, before any answer: a server or load balancer closing a connection the client was writing onto, which had not read the request. The AWS SDK's default retry, the AWS CLI and OkHttp re-send in that case too. A server that read the request and then dropped the connection without answering would run the function twice: set false to fail such an exchange instead, with LambdaServiceException.mayHaveRun() (what HTTP clients that never re-send a POST do).")
    private boolean resendOnStaleConnection = true;

    @UriParam(
            label = "security",
            defaultValue = "false",
            description =
                    "Whether the function may be in another account than the role (a full or partial function ARN naming another account). Off by default, because the customer's role can only invoke another account's function through that function's resource policy: usually a typo.")
    private boolean allowCrossAccountFunction;

    @UriParam(
            label = "advanced",
            description =
                    "The STS endpoint to use instead of the SDK's (e.g. http://127.0.0.1:4566). When unset, AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL / aws.endpointUrlSts apply as usual.")
    private String stsEndpointOverride;

    @UriParam(
            label = "advanced",
            description =
                    "The SSM endpoint to use instead of the SDK's. When unset, AWS_ENDPOINT_URL_SSM / AWS_ENDPOINT_URL / aws.endpointUrlSsm apply as usual.")
    private String ssmEndpointOverride;

    @UriParam(
            label = "advanced",
            description =
                    "The Secrets Manager endpoint to use instead of the SDK's (with externalIdStore=secretsManager). When unset, AWS_ENDPOINT_URL_SECRETS_MANAGER / AWS_ENDPOINT_URL / aws.endpointUrlSecretsManager apply as usual.")
    private String secretsManagerEndpointOverride;

    @UriParam(
            label = "advanced",
            description =
                    "The Lambda endpoint to use instead of the SDK's. When unset, AWS_ENDPOINT_URL_LAMBDA / AWS_ENDPOINT_URL / aws.endpointUrlLambda apply as usual.")
    private String lambdaEndpointOverride;

    @UriParam(
            label = "security",
            description =
                    "The platform identity that assumes the customer's role and reads Parameter Store: a reference to an AwsCredentialsProvider bean. Default: the AWS SDK default credential chain.")
    private AwsCredentialsProvider baseCredentialsProvider;

    // --- sidecar mode: the gateway sidecar contract (docs/sidecar-contract.md)

    @UriParam(
            label = "sidecar",
            enums = "PreProcessor,PostProcessor",
            description =
                    "Sidecar mode: the function runs around an API call as a pre-processor (before the backend) or post-processor (after it). The input is built from the HTTP exchange per the gateway sidecar contract, and the answer (allow, terminate, modify) is applied to the exchange instead of becoming the body. Unset: plain invocation with the body.")
    private SidecarPoint sidecar;

    @UriParam(
            label = "sidecar",
            defaultValue = "RequestResponse",
            enums = "RequestResponse,Event",
            description =
                    "Sidecar mode: RequestResponse waits for the answer and applies it; Event sends the input asynchronously and continues unchanged.")
    private InvocationType synchronicity = InvocationType.RequestResponse;

    @UriParam(
            label = "sidecar",
            defaultValue = "false",
            description =
                    "Sidecar mode: when the function fails, times out, answers invalidly or cannot be invoked, let the API call continue unchanged (logged at WARN, counted, outcome header failSafe) instead of answering the client with the error.")
    private boolean failSafe;

    @UriParam(
            label = "sidecar",
            javaType = "java.time.Duration",
            description =
                    "Sidecar mode: how long to wait for the function's answer; when exceeded the client gets 504 (or, with failSafe, the call continues). Default: apiCallTimeout.")
    private long sidecarTimeout;

    @UriParam(
            label = "sidecar",
            defaultValue = "10",
            description =
                    "Sidecar mode: the largest request (pre) or response (post) payload in KB sent to the function, 1-1024.")
    private int maxPayloadSize = DEFAULT_MAX_PAYLOAD_KB;

    @UriParam(
            label = "sidecar",
            defaultValue = "blocking",
            enums = "blocking,filtering",
            description =
                    "Sidecar mode: what a payload over maxPayloadSize does: blocking answers the client 413; filtering invokes the function without the payload (payloadLength still tells its size).")
    private String maxPayloadCondition = "blocking";

    @UriParam(
            label = "sidecar",
            description =
                    "Sidecar mode: comma-separated request headers to send to the function (case-insensitive). Default: all request headers except Camel's own.")
    private String includeRequestHeaders;

    @UriParam(
            label = "sidecar",
            description =
                    "Sidecar mode, pre-processor: comma-separated request headers that must be present; a request without one is answered 400 RequiredHeaderConditionFailure without invoking the function.")
    private String requireRequestHeaders;

    @UriParam(
            label = "sidecar",
            description =
                    "Sidecar mode, post-processor: comma-separated response headers to send to the function (case-insensitive). Default: all except Camel's own.")
    private String includeResponseHeaders;

    @UriParam(
            label = "sidecar",
            description = "Sidecar mode, post-processor: comma-separated response headers never sent to the function.")
    private String skipResponseHeaders;

    @UriParam(
            label = "sidecar",
            description =
                    "Sidecar mode: comma-separated extra input elements: requestPayload, responsePayload, operation, remoteAddress, eavs, packageKeyEAVs, token, routing.")
    private String expandInput;

    @UriParam(
            label = "sidecar",
            prefix = "sidecarParam.",
            multiValue = true,
            description =
                    "Sidecar mode: parameters sent to the function as input params, one URI option per parameter: sidecarParam.NAME=VALUE (the gateway's sidecar-param-NAME).")
    private Map<String, Object> sidecarParams;

    @UriParam(
            label = "sidecar",
            defaultValue = "0",
            description =
                    "Sidecar mode: how many answers with unchangedUntil to keep, reused for an identical input (all but the message id) until that time. 0 disables the cache.")
    private int answerCacheSize;

    /** The validated form of the options, computed once when the endpoint is created. */
    record Validated(
            FunctionName function,
            RoleArn roleArn,
            ParameterName parameterName,
            String region,
            String clientContextBase64,
            URI stsEndpoint,
            URI ssmEndpoint,
            URI lambdaEndpoint,
            InvocationType invocationType,
            LogType logType,
            URI secretsManagerEndpoint,
            ExternalIdStore externalIdStore,
            SidecarSettings sidecar) {}

    /**
     * Checks every option against the rules of AWS and of the seed, before any AWS call.
     *
     * @throws SidecarLambdaConfigurationException naming the option, the rule and the rejected value
     */
    Validated validate(String function) {
        FunctionName fn = FunctionName.parse(function);
        RoleArn role = RoleArn.parse(roleArn).requireNamePrefix(roleNamePrefix);
        ParameterName parameter = ParameterName.parse("externalIdKey", externalIdKey, requireKeyHierarchy);
        if (region != null && !REGION.matcher(region).matches()) {
            throw new SidecarLambdaConfigurationException(
                    "region", "must be an AWS region code like us-east-1; was '" + region + "'");
        }
        if (region != null && Region.of(region).metadata() == null) {
            throw new SidecarLambdaConfigurationException(
                    "region", "is not an AWS region this SDK knows; was '" + region + "'");
        }
        String effectiveRegion = region != null ? region : fn.region();
        if (effectiveRegion != null && !partitionOf(effectiveRegion).equals(role.partition())) {
            throw new SidecarLambdaConfigurationException(
                    region != null ? "region" : "function",
                    "region " + effectiveRegion + " is in partition " + partitionOf(effectiveRegion)
                            + " but the role is in " + role.partition() + " (" + role + ")");
        }
        checkFunctionAccount("function", fn, role, allowCrossAccountFunction);
        if (fn.region() != null && region != null && !fn.region().equals(region)) {
            throw new SidecarLambdaConfigurationException(
                    "region",
                    "the function ARN is in region " + fn.region() + " but region is '" + region + "'; remove one");
        }
        if (parameterStoreRegion != null
                && !REGION.matcher(parameterStoreRegion).matches()) {
            throw new SidecarLambdaConfigurationException(
                    "parameterStoreRegion",
                    "must be an AWS region code like us-east-1; was '" + parameterStoreRegion + "'");
        }
        if (parameterStoreRegion != null && Region.of(parameterStoreRegion).metadata() == null) {
            throw new SidecarLambdaConfigurationException(
                    "parameterStoreRegion", "is not an AWS region this SDK knows; was '" + parameterStoreRegion + "'");
        }
        ExternalIdStore store = ExternalIdStore.parse("externalIdStore", externalIdStore);
        checkQualifier("qualifier", qualifier);
        if (qualifier != null && fn.qualifier() != null) {
            throw new SidecarLambdaConfigurationException(
                    "qualifier",
                    "the function '" + fn + "' already names qualifier '"
                            + fn.qualifier() + "'; set one or the other, was '"
                            + qualifier + "'");
        }
        InvocationType type = InvocationType.parse("invocationType", invocationType);
        LogType log = LogType.parse(logType);
        String context = encodeClientContext("clientContext", clientContext);
        if (roleSessionName == null || !SESSION_NAME.matcher(roleSessionName).matches()) {
            throw new SidecarLambdaConfigurationException(
                    "roleSessionName", "must be 2-64 characters of [A-Za-z0-9_+=,.@-]; was '" + roleSessionName + "'");
        }
        long seconds = sessionDuration / 1000;
        if (sessionDuration % 1000 != 0 || seconds < MIN_SESSION_SECONDS || seconds > MAX_SESSION_SECONDS) {
            throw new SidecarLambdaConfigurationException(
                    "sessionDuration",
                    "must be a whole number of seconds from 900 s (15m) to 43200 s (12h); was " + sessionDuration
                            + " ms");
        }
        if (externalIdCacheTtl < 0) {
            throw new SidecarLambdaConfigurationException(
                    "externalIdCacheTtl", "must not be negative; was " + externalIdCacheTtl + " ms");
        }
        if (staleTime < 0) {
            throw new SidecarLambdaConfigurationException(
                    "staleTime", "must not be negative; was " + staleTime + " ms");
        }
        if (prefetchTime <= staleTime) {
            throw new SidecarLambdaConfigurationException(
                    "prefetchTime",
                    "must be greater than staleTime (" + staleTime + " ms); was " + prefetchTime + " ms");
        }
        if (prefetchTime >= sessionDuration) {
            throw new SidecarLambdaConfigurationException(
                    "prefetchTime",
                    "must be shorter than sessionDuration (" + sessionDuration + " ms); was " + prefetchTime + " ms");
        }
        if (apiCallTimeout <= 0) {
            throw new SidecarLambdaConfigurationException(
                    "apiCallTimeout", "must be positive; was " + apiCallTimeout + " ms");
        }
        if (maxRetries < 0 || maxRetries > 10) {
            throw new SidecarLambdaConfigurationException("maxRetries", "must be 0 to 10; was " + maxRetries);
        }
        if (maxConcurrency < 1) {
            throw new SidecarLambdaConfigurationException(
                    "maxConcurrency", "must be at least 1; was " + maxConcurrency);
        }
        SidecarSettings sidecarSettings = checkSidecar();
        return new Validated(
                fn,
                role,
                parameter,
                region != null ? region : fn.region(),
                context,
                endpoint("stsEndpointOverride", stsEndpointOverride),
                endpoint("ssmEndpointOverride", ssmEndpointOverride),
                endpoint("lambdaEndpointOverride", lambdaEndpointOverride),
                type,
                log,
                endpoint("secretsManagerEndpointOverride", secretsManagerEndpointOverride),
                store,
                sidecarSettings);
    }

    /** The partition of a region code: aws-cn for cn-*, aws-us-gov for us-gov-*, else aws. */
    static String partitionOf(String region) {
        if (region.startsWith("cn-")) {
            return "aws-cn";
        }
        if (region.startsWith("us-gov-")) {
            return "aws-us-gov";
        }
        return "aws";
    }

    /** A function ARN naming another account than the role's is refused unless explicitly allowed. */
    static void checkFunctionAccount(String option, FunctionName fn, RoleArn role, boolean allowed) {
        if (fn.account() != null && !fn.account().equals(role.accountId()) && !allowed) {
            throw new SidecarLambdaConfigurationException(
                    option,
                    "the function '" + fn + "' is in account " + fn.account()
                            + " but the role is in account " + role.accountId()
                            + "; set allowCrossAccountFunction=true if that is intended (the function's resource policy must then allow the role)");
        }
    }

    /** Sidecar mode's options, checked; null without sidecar mode. */
    private SidecarSettings checkSidecar() {
        if (sidecar == null) {
            return null;
        }
        return SidecarSettings.of(
                sidecar,
                synchronicity,
                failSafe,
                sidecarTimeout,
                apiCallTimeout,
                maxPayloadSize,
                maxPayloadCondition,
                includeRequestHeaders,
                requireRequestHeaders,
                includeResponseHeaders,
                skipResponseHeaders,
                expandInput,
                sidecarParams,
                answerCacheSize);
    }

    /** The Invoke time limit: in sidecar mode sidecarTimeout when set (its excess is answered 504), else apiCallTimeout. */
    long invokeTimeout() {
        return sidecar != null && sidecarTimeout > 0 ? sidecarTimeout : apiCallTimeout;
    }

    static void checkQualifier(String option, String value) {
        if (value != null
                && (value.length() > MAX_QUALIFIER_LENGTH
                        || !QUALIFIER.matcher(value).matches())) {
            throw new SidecarLambdaConfigurationException(
                    option,
                    "a qualifier is $LATEST, a version or an alias: 1-128 characters of [A-Za-z0-9_-]; was '" + value
                            + "'");
        }
    }

    /** Validates a client context JSON object and returns it base64-encoded, as Lambda wants it; null stays null. */
    static String encodeClientContext(String option, String json) {
        if (json == null) {
            return null;
        }
        try {
            if (!JsonNode.parser().parse(json).isObject()) {
                throw new SidecarLambdaConfigurationException(option, "must be a JSON object; was '" + json + "'");
            }
        } catch (RuntimeException e) {
            if (e instanceof SidecarLambdaConfigurationException c) {
                throw c;
            }
            throw new SidecarLambdaConfigurationException(option, "must be a JSON object; was '" + json + "'", e);
        }
        String encoded = Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
        if (encoded.length() > MAX_CLIENT_CONTEXT_BYTES) {
            throw new SidecarLambdaConfigurationException(
                    option,
                    "must be at most " + MAX_CLIENT_CONTEXT_BYTES + " bytes once base64-encoded; was "
                            + encoded.length());
        }
        return encoded;
    }

    private static URI endpoint(String option, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            URI uri = new URI(value);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new SidecarLambdaConfigurationException(
                        option, "must be an absolute http(s) URI; was '" + value + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new SidecarLambdaConfigurationException(
                    option, "must be an absolute http(s) URI; was '" + value + "'", e);
        }
    }

    public SidecarLambdaConfiguration copy() {
        try {
            return (SidecarLambdaConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    // getters and setters

    public String getRoleArn() {
        return roleArn;
    }

    public void setRoleArn(String roleArn) {
        this.roleArn = roleArn;
    }

    public String getExternalIdKey() {
        return externalIdKey;
    }

    public void setExternalIdKey(String externalIdKey) {
        this.externalIdKey = externalIdKey;
    }

    public String getRoleNamePrefix() {
        return roleNamePrefix;
    }

    public void setRoleNamePrefix(String roleNamePrefix) {
        this.roleNamePrefix = roleNamePrefix;
    }

    public boolean isRequireKeyHierarchy() {
        return requireKeyHierarchy;
    }

    public void setRequireKeyHierarchy(boolean requireKeyHierarchy) {
        this.requireKeyHierarchy = requireKeyHierarchy;
    }

    public String getRegion() {
        return region;
    }

    public void setRegion(String region) {
        this.region = region;
    }

    public String getParameterStoreRegion() {
        return parameterStoreRegion;
    }

    public void setParameterStoreRegion(String parameterStoreRegion) {
        this.parameterStoreRegion = parameterStoreRegion;
    }

    public String getQualifier() {
        return qualifier;
    }

    public void setQualifier(String qualifier) {
        this.qualifier = qualifier;
    }

    public String getInvocationType() {
        return invocationType;
    }

    public void setInvocationType(String invocationType) {
        this.invocationType = invocationType;
    }

    public String getLogType() {
        return logType;
    }

    public void setLogType(String logType) {
        this.logType = logType;
    }

    public String getClientContext() {
        return clientContext;
    }

    public void setClientContext(String clientContext) {
        this.clientContext = clientContext;
    }

    public String getRoleSessionName() {
        return roleSessionName;
    }

    public void setRoleSessionName(String roleSessionName) {
        this.roleSessionName = roleSessionName;
    }

    public long getSessionDuration() {
        return sessionDuration;
    }

    public void setSessionDuration(long sessionDuration) {
        this.sessionDuration = sessionDuration;
    }

    public long getExternalIdCacheTtl() {
        return externalIdCacheTtl;
    }

    public void setExternalIdCacheTtl(long externalIdCacheTtl) {
        this.externalIdCacheTtl = externalIdCacheTtl;
    }

    public long getStaleTime() {
        return staleTime;
    }

    public void setStaleTime(long staleTime) {
        this.staleTime = staleTime;
    }

    public long getPrefetchTime() {
        return prefetchTime;
    }

    public void setPrefetchTime(long prefetchTime) {
        this.prefetchTime = prefetchTime;
    }

    public boolean isTenantFromHeaders() {
        return tenantFromHeaders;
    }

    public void setTenantFromHeaders(boolean tenantFromHeaders) {
        this.tenantFromHeaders = tenantFromHeaders;
    }

    public boolean isPreflight() {
        return preflight;
    }

    public void setPreflight(boolean preflight) {
        this.preflight = preflight;
    }

    public boolean isThrowOnFunctionError() {
        return throwOnFunctionError;
    }

    public void setThrowOnFunctionError(boolean throwOnFunctionError) {
        this.throwOnFunctionError = throwOnFunctionError;
    }

    public long getApiCallTimeout() {
        return apiCallTimeout;
    }

    public void setApiCallTimeout(long apiCallTimeout) {
        this.apiCallTimeout = apiCallTimeout;
    }

    public int getMaxConcurrency() {
        return maxConcurrency;
    }

    public void setMaxConcurrency(int maxConcurrency) {
        this.maxConcurrency = maxConcurrency;
    }

    public boolean isAllowCrossAccountFunction() {
        return allowCrossAccountFunction;
    }

    public void setAllowCrossAccountFunction(boolean allowCrossAccountFunction) {
        this.allowCrossAccountFunction = allowCrossAccountFunction;
    }

    public boolean isResendOnStaleConnection() {
        return resendOnStaleConnection;
    }

    public void setResendOnStaleConnection(boolean resendOnStaleConnection) {
        this.resendOnStaleConnection = resendOnStaleConnection;
    }

    public int getMaxRetries() {
        return maxRetries;
    }

    public void setMaxRetries(int maxRetries) {
        this.maxRetries = maxRetries;
    }

    public String getStsEndpointOverride() {
        return stsEndpointOverride;
    }

    public void setStsEndpointOverride(String stsEndpointOverride) {
        this.stsEndpointOverride = stsEndpointOverride;
    }

    public String getExternalIdStore() {
        return externalIdStore;
    }

    public void setExternalIdStore(String externalIdStore) {
        this.externalIdStore = externalIdStore;
    }

    public String getSecretsManagerEndpointOverride() {
        return secretsManagerEndpointOverride;
    }

    public void setSecretsManagerEndpointOverride(String secretsManagerEndpointOverride) {
        this.secretsManagerEndpointOverride = secretsManagerEndpointOverride;
    }

    public String getSsmEndpointOverride() {
        return ssmEndpointOverride;
    }

    public void setSsmEndpointOverride(String ssmEndpointOverride) {
        this.ssmEndpointOverride = ssmEndpointOverride;
    }

    public String getLambdaEndpointOverride() {
        return lambdaEndpointOverride;
    }

    public void setLambdaEndpointOverride(String lambdaEndpointOverride) {
        this.lambdaEndpointOverride = lambdaEndpointOverride;
    }

    public AwsCredentialsProvider getBaseCredentialsProvider() {
        return baseCredentialsProvider;
    }

    public void setBaseCredentialsProvider(AwsCredentialsProvider baseCredentialsProvider) {
        this.baseCredentialsProvider = baseCredentialsProvider;
    }

    public SidecarPoint getSidecar() {
        return sidecar;
    }

    public void setSidecar(SidecarPoint sidecar) {
        this.sidecar = sidecar;
    }

    public InvocationType getSynchronicity() {
        return synchronicity;
    }

    public void setSynchronicity(InvocationType synchronicity) {
        this.synchronicity = synchronicity;
    }

    public boolean isFailSafe() {
        return failSafe;
    }

    public void setFailSafe(boolean failSafe) {
        this.failSafe = failSafe;
    }

    public long getSidecarTimeout() {
        return sidecarTimeout;
    }

    public void setSidecarTimeout(long sidecarTimeout) {
        this.sidecarTimeout = sidecarTimeout;
    }

    public int getMaxPayloadSize() {
        return maxPayloadSize;
    }

    public void setMaxPayloadSize(int maxPayloadSize) {
        this.maxPayloadSize = maxPayloadSize;
    }

    public String getMaxPayloadCondition() {
        return maxPayloadCondition;
    }

    public void setMaxPayloadCondition(String maxPayloadCondition) {
        this.maxPayloadCondition = maxPayloadCondition;
    }

    public String getIncludeRequestHeaders() {
        return includeRequestHeaders;
    }

    public void setIncludeRequestHeaders(String includeRequestHeaders) {
        this.includeRequestHeaders = includeRequestHeaders;
    }

    public String getRequireRequestHeaders() {
        return requireRequestHeaders;
    }

    public void setRequireRequestHeaders(String requireRequestHeaders) {
        this.requireRequestHeaders = requireRequestHeaders;
    }

    public String getIncludeResponseHeaders() {
        return includeResponseHeaders;
    }

    public void setIncludeResponseHeaders(String includeResponseHeaders) {
        this.includeResponseHeaders = includeResponseHeaders;
    }

    public String getSkipResponseHeaders() {
        return skipResponseHeaders;
    }

    public void setSkipResponseHeaders(String skipResponseHeaders) {
        this.skipResponseHeaders = skipResponseHeaders;
    }

    public String getExpandInput() {
        return expandInput;
    }

    public void setExpandInput(String expandInput) {
        this.expandInput = expandInput;
    }

    public Map<String, Object> getSidecarParams() {
        return sidecarParams;
    }

    public void setSidecarParams(Map<String, Object> sidecarParams) {
        this.sidecarParams = sidecarParams;
    }

    public int getAnswerCacheSize() {
        return answerCacheSize;
    }

    public void setAnswerCacheSize(int answerCacheSize) {
        this.answerCacheSize = answerCacheSize;
    }
}
