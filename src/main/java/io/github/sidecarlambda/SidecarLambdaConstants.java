package io.github.sidecarlambda;

import java.util.List;

import org.apache.camel.spi.Metadata;

/** Message headers read and written by the {@code sidecar-lambda} producer. */
public final class SidecarLambdaConstants {

    // --- in: per-message overrides (none of them can change the role, the External ID key or the function)

    @Metadata(
            label = "producer",
            description = "Overrides the qualifier (version or alias) for this message.",
            javaType = "String")
    public static final String QUALIFIER = "CamelSidecarLambdaQualifier";

    @Metadata(
            label = "producer",
            description = "Overrides the invocation type for this message: RequestResponse, Event or DryRun.",
            javaType = "String",
            enums = "RequestResponse,Event,DryRun")
    public static final String INVOCATION_TYPE = "CamelSidecarLambdaInvocationType";

    @Metadata(
            label = "producer",
            description =
                    "Overrides the client context for this message: a JSON object, sent base64-encoded (at most 3583 bytes encoded).",
            javaType = "String")
    public static final String CLIENT_CONTEXT = "CamelSidecarLambdaClientContext";

    // --- out

    @Metadata(
            label = "producer",
            description = "The HTTP status code of the invocation: 200 RequestResponse, 202 Event, 204 DryRun.",
            javaType = "Integer")
    public static final String STATUS_CODE = "CamelSidecarLambdaStatusCode";

    @Metadata(
            label = "producer",
            description = "The version of the function that ran (X-Amz-Executed-Version).",
            javaType = "String")
    public static final String EXECUTED_VERSION = "CamelSidecarLambdaExecutedVersion";

    @Metadata(
            label = "producer",
            description =
                    "Set when the function failed (X-Amz-Function-Error): Unhandled or Handled. With throwOnFunctionError=true the exchange also fails with FunctionErrorException.",
            javaType = "String")
    public static final String FUNCTION_ERROR = "CamelSidecarLambdaFunctionError";

    @Metadata(
            label = "producer",
            description = "The last 4 KB of the function's log, decoded from base64, when logType=Tail.",
            javaType = "String")
    public static final String LOG_RESULT = "CamelSidecarLambdaLogResult";

    @Metadata(label = "producer", description = "The AWS request id of the Invoke call.", javaType = "String")
    public static final String REQUEST_ID = "CamelSidecarLambdaRequestId";

    private SidecarLambdaConstants() {}

    @Metadata(
            label = "producer",
            description =
                    "With tenantFromHeaders=true: the customer's role to assume for this message, validated like the roleArn option.",
            javaType = "String")
    public static final String ROLE_ARN = "CamelSidecarLambdaRoleArn";

    @Metadata(
            label = "producer",
            description =
                    "With tenantFromHeaders=true: the Parameter Store name of this message's External ID, validated like the externalIdKey option.",
            javaType = "String")
    public static final String EXTERNAL_ID_KEY = "CamelSidecarLambdaExternalIdKey";

    @Metadata(
            label = "producer",
            description =
                    "With tenantFromHeaders=true: the function to invoke for this message (name, name:alias, partial or full ARN).",
            javaType = "String")
    public static final String FUNCTION = "CamelSidecarLambdaFunction";

    /** The headers the producer sets from a response; removed from the message before every call. */
    static final List<String> OUTPUT_HEADERS =
            List.of(STATUS_CODE, EXECUTED_VERSION, REQUEST_ID, FUNCTION_ERROR, LOG_RESULT);

    // --- sidecar mode (sidecar=PreProcessor|PostProcessor): contract fields the route sets, read as a header or else
    // as an exchange property of the same name (Camel's HTTP consumers drop inbound Camel* headers, so a caller
    // cannot set them)

    @Metadata(
            label = "sidecar",
            description = "Sidecar input packageKey (the API key of the calling application).",
            javaType = "String")
    public static final String SIDECAR_PACKAGE_KEY = "CamelSidecarLambdaPackageKey";

    @Metadata(label = "sidecar", description = "Sidecar input serviceId.", javaType = "String")
    public static final String SIDECAR_SERVICE_ID = "CamelSidecarLambdaServiceId";

    @Metadata(label = "sidecar", description = "Sidecar input endpointId.", javaType = "String")
    public static final String SIDECAR_ENDPOINT_ID = "CamelSidecarLambdaEndpointId";

    @Metadata(
            label = "sidecar",
            description = "Sidecar input masheryMessageId; default: the exchange id.",
            javaType = "String")
    public static final String SIDECAR_MESSAGE_ID = "CamelSidecarLambdaMessageId";

    @Metadata(
            label = "sidecar",
            description = "Sidecar input eavs (application attributes), sent with expandInput=eavs.",
            javaType = "java.util.Map")
    public static final String SIDECAR_EAVS = "CamelSidecarLambdaEavs";

    @Metadata(
            label = "sidecar",
            description =
                    "Sidecar input packageKeyEAVs (package key attributes), sent with expandInput=packageKeyEAVs.",
            javaType = "java.util.Map")
    public static final String SIDECAR_PACKAGE_KEY_EAVS = "CamelSidecarLambdaPackageKeyEavs";

    @Metadata(
            label = "sidecar",
            description =
                    "Sidecar input token (scope, userContext, expires, grantType, bearerToken), sent with expandInput=token.",
            javaType = "java.util.Map")
    public static final String SIDECAR_TOKEN = "CamelSidecarLambdaToken";

    @Metadata(
            label = "sidecar",
            description = "Sidecar input remoteAddr, sent with expandInput=remoteAddress.",
            javaType = "String")
    public static final String SIDECAR_REMOTE_ADDRESS = "CamelSidecarLambdaRemoteAddress";

    @Metadata(
            label = "sidecar",
            description =
                    "The backend URI of the call: input routing.uri (expandInput=routing); a pre-processor's modify.changeRoute rewrites it, so the route's toD(\"${header.CamelSidecarLambdaBackendUri}\") follows it. changeRoute.httpVerb sets CamelHttpMethod.",
            javaType = "String")
    public static final String SIDECAR_BACKEND_URI = "CamelSidecarLambdaBackendUri";

    @Metadata(
            label = "sidecar",
            description =
                    "Exchange property: the pre-processor's relay object (a Map), merged into the post-processor's input params.",
            javaType = "java.util.Map")
    public static final String SIDECAR_RELAY = "CamelSidecarLambdaRelay";

    /**
     * Exchange property the component sets itself (not a header to set): a stream body it read and the bytes it read
     * from it, so that Camel's redelivery with stream caching off, which puts the same, already read stream back as the
     * body, sends every byte again. Its text names the byte count, never the payload.
     */
    public static final String READ_STREAM = "CamelSidecarLambdaReadStream";

    @Metadata(
            label = "sidecar",
            description =
                    "Set by the sidecar mode: what the answer did: continue, modify, terminate, complete, error (an error answer was sent to the client) or failSafe (a sidecar failure was ignored because failSafe=true).",
            javaType = "String",
            enums = "continue,modify,terminate,complete,error,failSafe")
    public static final String SIDECAR_OUTCOME = "CamelSidecarLambdaOutcome";
}
