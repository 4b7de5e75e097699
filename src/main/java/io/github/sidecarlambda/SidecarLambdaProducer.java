package io.github.sidecarlambda;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.StreamCache;
import org.apache.camel.spi.DataFormat;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.WritableHealthCheckRepository;
import org.apache.camel.support.DefaultAsyncProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;
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
    private SidecarLambdaMetrics metrics = SidecarLambdaMetrics.NONE;
    private boolean resendOnStaleConnection;
    private DataFormat json;
    private boolean jsonResolved;
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
    public boolean process(Exchange exchange, AsyncCallback done) {
        SidecarMode sidecar = endpoint.sidecar();
        // sidecar mode: refused or cached requests finish here; a failed invocation becomes the contract's answer
        if (sidecar != null && sidecar.before(exchange)) {
            done.done(true);
            return true;
        }
        AsyncCallback callback = sidecar != null ? sidecar.wrap(exchange, done) : done;
        InvokeRequest.Builder request;
        TenantCredentials tenant;
        SidecarLambdaEndpoint.Target target;
        CompletableFuture<TenantCredentials.Generation> credentials;
        try {
            // a previous call through this message (a loop, a redelivery, a second step) must not leave its answer
            clearOutputHeaders(exchange.getMessage());
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
            invoke(exchange, target, target.lambda(), tenant, credentials.join(), request, callback, true, 0);
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
                exchange.setException(AwsErrors.unwrap(error));
                callback.done(false);
            } else {
                invoke(exchange, target, target.lambda(), tenant, generation, request, callback, true, 0);
            }
        });
        return false;
    }

    private static void clearOutputHeaders(Message message) {
        if (message.hasHeaders()) {
            for (String header : SidecarLambdaConstants.OUTPUT_HEADERS) {
                message.removeHeader(header);
            }
        }
    }

    private static Throwable failureOf(CompletableFuture<?> failed) {
        try {
            failed.join();
            return new IllegalStateException("not failed");
        } catch (java.util.concurrent.CompletionException e) {
            return AwsErrors.unwrap(e);
        } catch (java.util.concurrent.CancellationException e) {
            return e;
        }
    }

    private void invoke(Exchange exchange, SidecarLambdaEndpoint.Target target, LambdaAsyncClient lambda, TenantCredentials tenant,
                        TenantCredentials.Generation generation, InvokeRequest.Builder builder, AsyncCallback callback,
                        boolean mayRetryExpired, int resends) {
        InvokeRequest request;
        CompletableFuture<InvokeResponse> future;
        long started = System.nanoTime();
        try {
            request = builder.overrideConfiguration(generation.override()).build();
            future = lambda.invoke(request);
        } catch (RuntimeException e) {
            exchange.setException(e);
            callback.done(false);
            return;
        }
        future.whenComplete((response, error) -> {
            boolean retrying = false;
            // the server closed a pooled connection before reading this request: send it again, once, at once, on a
            // new connection (another pooled one could be the next the server is closing)
            LambdaAsyncClient resendTo = error != null && resends == 0 && resendOnStaleConnection
                                         && RetrySafety.staleConnection(error) ? newConnectionClient(target) : null;
            try {
                metrics.invoke(request.functionName(), resendTo != null ? "staleConnectionResent" : error != null
                        ? AwsErrors.codeOrType(error)
                        : response.functionError() != null ? "functionError" : "ok", System.nanoTime() - started,
                        request.payload() == null ? 0 : request.payload().asByteArrayUnsafe().length,
                        response == null || response.payload() == null ? -1 : response.payload().asByteArrayUnsafe().length);
                if (error != null && mayRetryExpired && isExpiredToken(error)) {
                    metrics.expiredTokenRetry();
                    // AWS says the credentials expired although our clock says they are valid: assume the role again
                    // (once for all concurrent callers) and retry this message once; nothing here blocks a thread
                    tenant.invalidate(generation);
                    retrying = true;
                    tenant.credentials().whenComplete((fresh, failure) -> {
                        if (failure != null) {
                            exchange.setException(AwsErrors.unwrap(failure));
                            callback.done(false);
                        } else {
                            invoke(exchange, target, lambda, tenant, fresh, builder, callback, false, resends);
                        }
                    });
                } else if (resendTo != null) {
                    metrics.staleConnectionResend();
                    retrying = true;
                    invoke(exchange, target, resendTo, tenant, generation, builder, callback, mayRetryExpired, 1);
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

    /** The client that sends on new connections, or null when there is none now (the endpoint or component stopped). */
    private LambdaAsyncClient newConnectionClient(SidecarLambdaEndpoint.Target target) {
        try {
            return endpoint.getComponent().clients().newConnectionLambda(target.lambdaKey());
        } catch (IllegalStateException stopped) {
            return null; // the exchange then fails with the original error, typed
        }
    }

    InvokeRequest.Builder request(Exchange exchange, FunctionName function) throws Exception {
        SidecarLambdaConfiguration config = endpoint.getConfiguration();
        SidecarLambdaConfiguration.Validated validated = endpoint.validated();
        Message in = exchange.getMessage();

        InvocationType type = endpoint.sidecar() != null ? endpoint.sidecar().invocationType() : validated.invocationType();
        Object typeHeader = in.getHeader(SidecarLambdaConstants.INVOCATION_TYPE);
        if (typeHeader != null) {
            type = InvocationType.parse(SidecarLambdaConstants.INVOCATION_TYPE, typeHeader);
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

        byte[] payload = endpoint.sidecar() != null
                ? endpoint.sidecar().payload(exchange) : payload(exchange, type.maxPayloadBytes());
        if (payload.length > type.maxPayloadBytes()) {
            throw new PayloadTooLargeException(function.value(), type, payload.length, type.maxPayloadBytes());
        }
        // Lambda's defaults (RequestResponse, no log) are left out of the request: two headers fewer to marshal, sign
        // and validate on every call, the same meaning
        return InvokeRequest.builder()
                .functionName(function.value())
                .qualifier(qualifier)
                .invocationType(type == InvocationType.RequestResponse ? null : type.name())
                .logType(validated.logType() == LogType.None ? null : validated.logType().name())
                .clientContext(clientContext)
                .payload(SdkBytes.fromByteArrayUnsafe(payload));
    }

    /**
     * The body as bytes: byte[] as is, text as UTF-8 (never the platform charset), a Map, collection or POJO as JSON
     * through Camel's {@code jackson} data format. A stream is read up to one byte over the limit, so a huge stream is
     * refused without being read whole; whatever was read is put back in front of the rest, so the body that a
     * redelivery or a dead-letter channel sees is the whole original. A stream cache is reset after reading.
     */
    private byte[] payload(Exchange exchange, long limit) throws Exception {
        Message message = exchange.getMessage();
        Object body = message.getBody();
        byte[] direct = Bodies.direct(body);
        if (direct != null) {
            return direct;
        }
        int max = (int) Math.min(Integer.MAX_VALUE - 8, limit + 1);
        if (body instanceof StreamCache cache) {
            cache.reset();
            byte[] bytes;
            if (cache instanceof InputStream in) {
                bytes = in.readNBytes(max);
            } else {
                // a character cache (e.g. ReaderCache from an HTTP consumer): its text as UTF-8, never the platform charset
                String text = exchange.getContext().getTypeConverter().mandatoryConvertTo(String.class, exchange, cache);
                bytes = text.getBytes(StandardCharsets.UTF_8);
            }
            cache.reset();
            return bytes;
        }
        if (body instanceof InputStream stream) {
            byte[] bytes = stream.readNBytes(max);
            if (bytes.length < max) {
                stream.close();
                message.setBody(bytes); // all of it: a redelivery sends the same bytes again
            } else {
                // over the limit: refused, but nothing is lost; the read part goes back in front of the unread rest
                message.setBody(new SequenceInputStream(new ByteArrayInputStream(bytes), stream));
            }
            return bytes;
        }
        if (body instanceof Number || body instanceof Boolean) {
            return body.toString().getBytes(StandardCharsets.UTF_8);
        }
        if (isJsonValue(body)) {
            return json(exchange, body);
        }
        byte[] bytes = exchange.getContext().getTypeConverter().tryConvertTo(byte[].class, exchange, body);
        if (bytes != null) {
            return bytes;
        }
        throw new SidecarLambdaConfigurationException("body", "a " + body.getClass().getName()
                                                              + " body cannot be sent to Lambda: convert it to a String, byte[] or stream first");
    }

    /** Maps, collections, arrays, records and application classes are JSON values to Lambda; JDK and Camel types are not. */
    private static boolean isJsonValue(Object body) {
        if (body instanceof java.util.Map || body instanceof java.util.Collection || body.getClass().isArray()
            || body instanceof Record) {
            return true;
        }
        String name = body.getClass().getName();
        return !(name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.")
                 || name.startsWith("org.apache.camel.") || name.startsWith("org.w3c."));
    }

    private byte[] json(Exchange exchange, Object body) throws Exception {
        DataFormat jackson = jsonDataFormat();
        if (jackson == null) {
            throw new SidecarLambdaConfigurationException("body", "a " + body.getClass().getName() + " body must be "
                                                                  + "sent as JSON, and no JSON data format is available: add camel-jackson to the "
                                                                  + "classpath, or marshal the body to JSON (a String or byte[]) before this endpoint");
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        jackson.marshal(exchange, body, out);
        return out.toByteArray();
    }

    /** Camel's "jackson" data format, resolved and started once per producer; null when camel-jackson is absent. */
    private synchronized DataFormat jsonDataFormat() throws Exception {
        if (!jsonResolved) {
            jsonResolved = true;
            DataFormat df = endpoint.getCamelContext().resolveDataFormat("jackson");
            if (df != null) {
                org.apache.camel.CamelContextAware.trySetCamelContext(df, endpoint.getCamelContext());
                org.apache.camel.support.service.ServiceHelper.startService(df);
                json = df;
            }
        }
        return json;
    }

    /** Text when the payload is valid UTF-8 (JSON always is), else the bytes as they came: never a corrupted body. */
    private static Object body(SdkBytes payload) {
        if (payload == null) {
            return null;
        }
        byte[] bytes = payload.asByteArrayUnsafe();
        if (bytes.length == 0) {
            return null;
        }
        String text = Bodies.utf8OrNull(bytes);
        return text != null ? text : bytes.clone();
    }

    private void onResponse(Exchange exchange, InvokeRequest request, InvokeResponse response) {
        if (endpoint.sidecar() != null) {
            endpoint.sidecar().onResponse(exchange, response); // the answer changes the message, never becomes the body
            return;
        }
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
        Object payload = body(response.payload());
        out.setBody(payload);
        String body = payload instanceof String text ? text : null;
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
        RetrySafety.Verdict verdict = RetrySafety.of(error);
        AwsServiceException aws = AwsErrors.cause(error, AwsServiceException.class);
        if (aws != null) {
            String code = AwsErrors.code(aws);
            String message = AwsErrors.message(aws);
            String hint = switch (code == null ? "" : code) {
                case "AccessDeniedException" ->
                    " (the customer's role needs lambda:InvokeFunction on the exact function ARN invoked, qualifier included)";
                case "ResourceNotFoundException" -> " (check the function name, qualifier and region)";
                case "ExpiredTokenException" -> " (AWS still rejected the credentials after they were renewed once; "
                                                + "a redelivery assumes the role again)";
                default -> "";
            };
            return new LambdaServiceException(request.functionName(), code, aws.statusCode(), aws.requestId(),
                    verdict.retryable(), verdict.mayHaveRun(),
                    "Lambda refused to invoke " + function + ": " + code + " (HTTP " + aws.statusCode() + ")" + hint
                            + ": " + message + (verdict.mayHaveRun() ? " [the function may have run]" : ""),
                    aws);
        }
        SdkException sdk = AwsErrors.cause(error, SdkException.class);
        Throwable cause = sdk != null ? sdk : error;
        boolean timedOut = AwsErrors.cause(error,
                software.amazon.awssdk.core.exception.ApiCallTimeoutException.class) != null;
        String what = timedOut ? "Lambda did not answer within apiCallTimeout for "
                : verdict.mayHaveRun() ? "The connection to Lambda failed after the request was sent for "
                : "Could not send the request to Lambda for ";
        return new LambdaServiceException(request.functionName(), null, 0, null, verdict.retryable(),
                verdict.mayHaveRun(), what + function + ": " + cause.getMessage()
                        + (verdict.mayHaveRun() ? " [the function may have run]" : ""),
                cause);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        metrics = endpoint.getComponent().clients().metrics();
        resendOnStaleConnection = endpoint.getConfiguration().isResendOnStaleConnection();
        healthRepository = HealthCheckHelper.getHealthCheckRepository(endpoint.getCamelContext(), "producers",
                WritableHealthCheckRepository.class);
        if (healthRepository != null) {
            healthCheck = new SidecarLambdaProducerHealthCheck(endpoint, endpoint.getId());
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
        synchronized (this) {
            org.apache.camel.support.service.ServiceHelper.stopService(json);
            json = null;
            jsonResolved = false;
        }
        if (healthRepository != null && healthCheck != null) {
            healthRepository.removeHealthCheck(healthCheck);
            healthCheck = null;
        }
        super.doStop();
    }
}
