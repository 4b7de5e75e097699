package io.github.sidecarlambda;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.WritableHealthCheckRepository;
import org.apache.camel.support.DefaultAsyncProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LambdaException;

/**
 * Invokes the function through the non-blocking {@link software.amazon.awssdk.services.lambda.LambdaAsyncClient}: no
 * thread waits while the function runs. Follows Camel's AsyncProcessor discipline: a failure before anything is sent
 * completes synchronously; otherwise {@code process} returns false and the SDK's completion calls back.
 */
public class SidecarLambdaProducer extends DefaultAsyncProducer {

    private static final Logger LOG = LoggerFactory.getLogger(SidecarLambdaProducer.class);

    private final SidecarLambdaEndpoint endpoint;
    private WritableHealthCheckRepository healthRepository;
    private SidecarLambdaProducerHealthCheck healthCheck;

    public SidecarLambdaProducer(SidecarLambdaEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    public SidecarLambdaEndpoint getEndpoint() {
        return endpoint;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        InvokeRequest.Builder request;
        TenantCredentials tenant;
        SidecarLambdaEndpoint.Target target;
        CompletableFuture<TenantCredentials.Generation> credentials;
        try {
            target = endpoint.target(exchange.getMessage());
            if (target == null) {
                throw new IllegalStateException("sidecar-lambda endpoint " + endpoint + " is not started");
            }
            request = request(exchange, target.function());
            tenant = endpoint.getComponent().tenants().get(target.tenant());
            credentials = tenant.credentials();
        } catch (Exception e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        if (credentials.isDone() && !credentials.isCompletedExceptionally()) {
            invoke(exchange, target, tenant, credentials.join(), request, callback, true);
            return false;
        }
        if (credentials.isCompletedExceptionally()) {
            // a remembered failure: answered at once, on this thread, without any AWS call
            exchange.setException(failureOf(credentials));
            callback.done(true);
            return true;
        }
        // a cold or expired tenant: this exchange waits as a callback on the tenant's one refresh, no thread blocked
        credentials.whenComplete((generation, error) -> {
            if (error != null) {
                exchange.setException(ExternalIdSource.unwrap(error));
                callback.done(false);
            } else {
                invoke(exchange, target, tenant, generation, request, callback, true);
            }
        });
        return false;
    }

    private static Throwable failureOf(CompletableFuture<?> failed) {
        try {
            failed.join();
            return new IllegalStateException("not failed");
        } catch (java.util.concurrent.CompletionException e) {
            return ExternalIdSource.unwrap(e);
        } catch (java.util.concurrent.CancellationException e) {
            return e;
        }
    }

    private void invoke(Exchange exchange, SidecarLambdaEndpoint.Target target, TenantCredentials tenant,
                        TenantCredentials.Generation generation, InvokeRequest.Builder builder, AsyncCallback callback,
                        boolean mayRetryExpired) {
        InvokeRequest request;
        CompletableFuture<InvokeResponse> future;
        try {
            request = builder.overrideConfiguration(generation.override()).build();
            future = target.lambda().invoke(request);
        } catch (RuntimeException e) {
            exchange.setException(e);
            callback.done(false);
            return;
        }
        future.whenComplete((response, error) -> {
            boolean retrying = false;
            try {
                if (error != null && mayRetryExpired && isExpiredToken(error)) {
                    // AWS says the credentials expired although our clock says they are valid: assume the role again
                    // (once for all concurrent callers) and retry this message once; nothing here blocks a thread
                    tenant.invalidate(generation);
                    retrying = true;
                    tenant.credentials().whenComplete((fresh, failure) -> {
                        if (failure != null) {
                            exchange.setException(ExternalIdSource.unwrap(failure));
                            callback.done(false);
                        } else {
                            invoke(exchange, target, tenant, fresh, builder, callback, false);
                        }
                    });
                } else if (error != null) {
                    exchange.setException(translate(error, request));
                } else {
                    onResponse(exchange, request, response);
                }
            } catch (Exception e) {
                exchange.setException(e);
            } finally {
                if (!retrying) {
                    callback.done(false);
                }
            }
        });
    }

    InvokeRequest.Builder request(Exchange exchange, FunctionName function) throws Exception {
        SidecarLambdaConfiguration config = endpoint.getConfiguration();
        SidecarLambdaConfiguration.Validated validated = endpoint.validated();
        Message in = exchange.getMessage();

        InvocationType type = config.getInvocationType();
        Object typeHeader = in.getHeader(SidecarLambdaConstants.INVOCATION_TYPE);
        if (typeHeader != null) {
            type = invocationType(typeHeader);
        }
        String qualifier = config.getQualifier();
        String qualifierHeader = in.getHeader(SidecarLambdaConstants.QUALIFIER, String.class);
        if (qualifierHeader != null) {
            SidecarLambdaConfiguration.checkQualifier(SidecarLambdaConstants.QUALIFIER, qualifierHeader);
            if (function.qualifier() != null) {
                throw new SidecarLambdaConfigurationException(SidecarLambdaConstants.QUALIFIER,
                        "the function '" + function + "' already names a qualifier; was '" + qualifierHeader + "'");
            }
            qualifier = qualifierHeader;
        }
        String clientContext = validated.clientContextBase64();
        String contextHeader = in.getHeader(SidecarLambdaConstants.CLIENT_CONTEXT, String.class);
        if (contextHeader != null) {
            clientContext = SidecarLambdaConfiguration.encodeClientContext(SidecarLambdaConstants.CLIENT_CONTEXT,
                    contextHeader);
        }

        byte[] payload = payload(exchange, type.maxPayloadBytes());
        if (payload.length > type.maxPayloadBytes()) {
            throw new PayloadTooLargeException(function.value(), type, payload.length, type.maxPayloadBytes());
        }
        return InvokeRequest.builder()
                .functionName(function.value())
                .qualifier(qualifier)
                .invocationType(type.name())
                .logType(config.getLogType().name())
                .clientContext(clientContext)
                .payload(SdkBytes.fromByteArrayUnsafe(payload));
    }

    private static InvocationType invocationType(Object header) {
        if (header instanceof InvocationType t) {
            return t;
        }
        String value = header.toString();
        for (InvocationType t : InvocationType.values()) {
            if (t.name().equals(value)) {
                return t;
            }
        }
        throw new SidecarLambdaConfigurationException(SidecarLambdaConstants.INVOCATION_TYPE,
                "must be RequestResponse, Event or DryRun; was '" + value + "'");
    }

    /**
     * The body as bytes: byte[] as is, text as UTF-8 (never the platform charset). A stream is read up to one byte
     * over the limit (so a huge stream is refused without being read whole) and its bytes become the body, so a
     * redelivery sends them again.
     */
    private static byte[] payload(Exchange exchange, long limit) throws Exception {
        Object body = exchange.getMessage().getBody();
        if (body == null) {
            return new byte[0];
        }
        if (body instanceof byte[] bytes) {
            return bytes;
        }
        if (body instanceof CharSequence text) {
            return text.toString().getBytes(StandardCharsets.UTF_8);
        }
        if (body instanceof InputStream stream) {
            byte[] bytes;
            try (stream) {
                bytes = stream.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            }
            exchange.getMessage().setBody(bytes);
            return bytes;
        }
        if (body instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return bytes;
        }
        String text = exchange.getContext().getTypeConverter().tryConvertTo(String.class, exchange, body);
        if (text != null) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        return exchange.getMessage().getMandatoryBody(byte[].class);
    }

    private void onResponse(Exchange exchange, InvokeRequest request, InvokeResponse response) {
        Message out = exchange.getMessage();
        out.setHeader(SidecarLambdaConstants.STATUS_CODE, response.statusCode());
        out.setHeader(SidecarLambdaConstants.EXECUTED_VERSION, response.executedVersion());
        out.setHeader(SidecarLambdaConstants.REQUEST_ID, response.responseMetadata().requestId());
        if (response.logResult() != null) {
            try {
                out.setHeader(SidecarLambdaConstants.LOG_RESULT,
                        new String(Base64.getDecoder().decode(response.logResult()), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException notBase64) {
                // the invocation itself succeeded; keep what Lambda sent rather than failing the exchange
                out.setHeader(SidecarLambdaConstants.LOG_RESULT, response.logResult());
            }
        }
        SdkBytes payload = response.payload();
        String body = payload != null && payload.asByteArrayUnsafe().length > 0 ? payload.asUtf8String() : null;
        out.setBody(body);
        String functionError = response.functionError();
        if (functionError != null) {
            out.setHeader(SidecarLambdaConstants.FUNCTION_ERROR, functionError);
            if (endpoint.getConfiguration().isThrowOnFunctionError()) {
                String errorType = null;
                String errorMessage = null;
                try {
                    JsonNode json = body != null ? JsonNode.parser().parse(body) : null;
                    if (json != null && json.isObject()) {
                        errorType = text(json, "errorType");
                        errorMessage = text(json, "errorMessage");
                    }
                } catch (RuntimeException notJson) {
                    LOG.debug("Function error payload of {} is not JSON", request.functionName());
                }
                exchange.setException(new FunctionErrorException(request.functionName(), functionError, errorType,
                        errorMessage, body, response.executedVersion()));
            }
        }
    }

    private static String text(JsonNode json, String field) {
        return json.field(field).filter(JsonNode::isString).map(JsonNode::asString).orElse(null);
    }

    /** Lambda (not Parameter Store or STS: those failures arrive as our own exceptions) rejected the token. */
    private static boolean isExpiredToken(Throwable error) {
        LambdaException lambda = AwsErrors.cause(error, LambdaException.class);
        return lambda != null && "ExpiredTokenException".equals(AwsErrors.code(lambda));
    }

    private static Exception translate(Throwable error, InvokeRequest request) {
        SidecarLambdaException own = AwsErrors.cause(error, SidecarLambdaException.class);
        if (own != null) {
            return own;
        }
        String function = request.functionName() + (request.qualifier() != null ? " (qualifier " + request.qualifier() + ")" : "");
        AwsServiceException aws = AwsErrors.cause(error, AwsServiceException.class);
        if (aws != null) {
            String code = AwsErrors.code(aws);
            String message = AwsErrors.message(aws);
            boolean retryable = AwsErrors.isTransient(aws);
            String hint = switch (code == null ? "" : code) {
                case "AccessDeniedException" ->
                    " (the customer's role needs lambda:InvokeFunction on the exact function ARN invoked, qualifier included)";
                case "ResourceNotFoundException" -> " (check the function name, qualifier and region)";
                default -> "";
            };
            return new LambdaServiceException(request.functionName(), code, aws.statusCode(), aws.requestId(), retryable,
                    "Lambda refused to invoke " + function + ": " + code + " (HTTP " + aws.statusCode() + ")" + hint
                                                                                                              + ": " + message,
                    aws);
        }
        SdkException sdk = AwsErrors.cause(error, SdkException.class);
        Throwable cause = sdk != null ? sdk : error;
        // after a timeout the function may have run: redelivering is the route's decision, not a safe default
        boolean timedOut = AwsErrors.cause(error,
                software.amazon.awssdk.core.exception.ApiCallTimeoutException.class) != null;
        return new LambdaServiceException(request.functionName(), null, 0, null, !timedOut,
                (timedOut ? "Lambda did not answer within apiCallTimeout for " : "No response from Lambda for ")
                                                                               + function + ": " + cause.getMessage(),
                cause);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        healthRepository = HealthCheckHelper.getHealthCheckRepository(endpoint.getCamelContext(), "producers",
                WritableHealthCheckRepository.class);
        if (healthRepository != null) {
            healthCheck = new SidecarLambdaProducerHealthCheck(endpoint, endpoint.getEndpointUri());
            healthCheck.setEnabled(endpoint.getComponent().isHealthCheckProducerEnabled());
            healthRepository.addHealthCheck(healthCheck);
        }
        if (endpoint.getConfiguration().isPreflight()) {
            PreflightReport report = RoutePreflight.run(endpoint);
            if (healthCheck != null) {
                healthCheck.preflight(report);
            }
            if (!report.ok()) {
                throw new PreflightFailedException(report, null);
            }
            LOG.info("{}", report.render());
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (healthRepository != null && healthCheck != null) {
            healthRepository.removeHealthCheck(healthCheck);
            healthCheck = null;
        }
        super.doStop();
    }
}
