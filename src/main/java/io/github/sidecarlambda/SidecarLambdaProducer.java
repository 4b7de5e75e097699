package io.github.sidecarlambda;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.WritableHealthCheckRepository;
import org.apache.camel.support.DefaultAsyncProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

import io.github.sidecarlambda.aws.AwsErrors;
import io.github.sidecarlambda.aws.RetrySafety;
import io.github.sidecarlambda.credentials.TenantCredentials;
import io.github.sidecarlambda.invoke.ExchangeMapping;
import io.github.sidecarlambda.invoke.LambdaFailures;
import io.github.sidecarlambda.invoke.PlainMapping;
import io.github.sidecarlambda.metrics.SidecarLambdaMetrics;

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
    private volatile ExchangeMapping mapping;
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
        ExchangeMapping mapping = this.mapping;
        if (mapping == null) {
            exchange.setException(
                    new IllegalStateException("sidecar-lambda producer for " + endpoint + " is not started"));
            done.done(true);
            return true;
        }
        // sidecar mode: refused or cached requests finish here; a failed invocation becomes the contract's answer
        if (mapping.before(exchange)) {
            done.done(true);
            return true;
        }
        AsyncCallback callback = mapping.wrap(exchange, done);
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
            request = request(exchange, target.function(), mapping);
            tenant = endpoint.getComponent().tenants().get(target.tenant());
            credentials = tenant.credentials();
        } catch (Exception e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        if (credentials.isDone() && !credentials.isCompletedExceptionally()) {
            invoke(exchange, target, target.lambda(), tenant, credentials.join(), request, mapping, callback, true, 0);
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
                invoke(exchange, target, target.lambda(), tenant, generation, request, mapping, callback, true, 0);
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
        } catch (CompletionException e) {
            return AwsErrors.unwrap(e);
        } catch (CancellationException e) {
            return e;
        }
    }

    private void invoke(
            Exchange exchange,
            SidecarLambdaEndpoint.Target target,
            LambdaAsyncClient lambda,
            TenantCredentials tenant,
            TenantCredentials.Generation generation,
            InvokeRequest.Builder builder,
            ExchangeMapping mapping,
            AsyncCallback callback,
            boolean mayRetryExpired,
            int resends) {
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
            LambdaAsyncClient resendTo =
                    error != null && resends == 0 && resendOnStaleConnection && RetrySafety.staleConnection(error)
                            ? newConnectionClient(target)
                            : null;
            try {
                metrics.invoke(
                        request.functionName(),
                        resendTo != null
                                ? "staleConnectionResent"
                                : error != null
                                        ? AwsErrors.codeOrType(error)
                                        : response.functionError() != null ? "functionError" : "ok",
                        System.nanoTime() - started,
                        request.payload() == null ? 0 : request.payload().asByteArrayUnsafe().length,
                        response == null || response.payload() == null
                                ? -1
                                : response.payload().asByteArrayUnsafe().length);
                if (error != null && mayRetryExpired && LambdaFailures.isExpiredToken(error)) {
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
                            invoke(exchange, target, lambda, tenant, fresh, builder, mapping, callback, false, resends);
                        }
                    });
                } else if (resendTo != null) {
                    metrics.staleConnectionResend();
                    retrying = true;
                    invoke(
                            exchange,
                            target,
                            resendTo,
                            tenant,
                            generation,
                            builder,
                            mapping,
                            callback,
                            mayRetryExpired,
                            1);
                } else if (error != null) {
                    exchange.setException(LambdaFailures.translate(error, request));
                } else {
                    mapping.onResponse(exchange, request, response);
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

    InvokeRequest.Builder request(Exchange exchange, FunctionName function, ExchangeMapping mapping) throws Exception {
        SidecarLambdaConfiguration config = endpoint.getConfiguration();
        SidecarLambdaConfiguration.Validated validated = endpoint.validated();
        Message in = exchange.getMessage();

        InvocationType type = mapping.invocationType(validated.invocationType());
        Object typeHeader = in.getHeader(SidecarLambdaConstants.INVOCATION_TYPE);
        if (typeHeader != null) {
            type = InvocationType.parse(SidecarLambdaConstants.INVOCATION_TYPE, typeHeader);
        }
        String qualifier = config.getQualifier();
        String qualifierHeader = in.getHeader(SidecarLambdaConstants.QUALIFIER, String.class);
        if (qualifierHeader != null) {
            SidecarLambdaConfiguration.checkQualifier(SidecarLambdaConstants.QUALIFIER, qualifierHeader);
            if (function.qualifier() != null) {
                throw new SidecarLambdaConfigurationException(
                        SidecarLambdaConstants.QUALIFIER,
                        "the function '" + function + "' already names a qualifier; was '" + qualifierHeader + "'");
            }
            qualifier = qualifierHeader;
        }
        String clientContext = validated.clientContextBase64();
        String contextHeader = in.getHeader(SidecarLambdaConstants.CLIENT_CONTEXT, String.class);
        if (contextHeader != null) {
            clientContext = SidecarLambdaConfiguration.encodeClientContext(
                    SidecarLambdaConstants.CLIENT_CONTEXT, contextHeader);
        }

        byte[] payload = mapping.payload(exchange, type.maxPayloadBytes());
        if (payload.length > type.maxPayloadBytes()) {
            throw new PayloadTooLargeException(function.value(), type, payload.length, type.maxPayloadBytes());
        }
        // Lambda's defaults (RequestResponse, no log) are left out of the request: two headers fewer to marshal, sign
        // and validate on every call, the same meaning
        return InvokeRequest.builder()
                .functionName(function.value())
                .qualifier(qualifier)
                .invocationType(type == InvocationType.RequestResponse ? null : type.name())
                .logType(
                        validated.logType() == LogType.None
                                ? null
                                : validated.logType().name())
                .clientContext(clientContext)
                .payload(SdkBytes.fromByteArrayUnsafe(payload));
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        metrics = endpoint.getComponent().clients().metrics();
        resendOnStaleConnection = endpoint.getConfiguration().isResendOnStaleConnection();
        // the endpoint's sidecar mapping (it keeps the answer cache), else this producer's own plain mapping
        mapping = endpoint.sidecar() != null
                ? endpoint.sidecar()
                : new PlainMapping(
                        endpoint.getCamelContext(), endpoint.getConfiguration().isThrowOnFunctionError());
        healthRepository = HealthCheckHelper.getHealthCheckRepository(
                endpoint.getCamelContext(), "producers", WritableHealthCheckRepository.class);
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
        if (mapping != null) {
            mapping.stop();
            mapping = null;
        }
        if (healthRepository != null && healthCheck != null) {
            healthRepository.removeHealthCheck(healthCheck);
            healthCheck = null;
        }
        super.doStop();
    }
}
