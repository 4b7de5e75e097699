package io.github.sidecarlambda.examples.eip;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

import io.github.sidecarlambda.AssumeRoleDeniedException;
import io.github.sidecarlambda.ExternalIdUnavailableException;
import io.github.sidecarlambda.FunctionErrorException;
import io.github.sidecarlambda.SidecarLambdaException;

/**
 * The component inside Camel's EIPs:
 * <ul>
 * <li>onException on the typed errors: redeliver what AWS says is transient ({@code isRetryable()}), answer a clear
 * error for a tenant whose trust is broken, and never retry a function error;</li>
 * <li>a content-based router on the function's response;</li>
 * <li>split + parallel invokes, responses aggregated in order.</li>
 * </ul>
 */
public class OrderProcessingRoutes extends RouteBuilder {

    static final String ACME = "sidecar-lambda:SideCarJsonResponse"
            + "?roleArn=arn:aws:iam::641769673540:role/Boomi_sidecar_connector_acme"
            + "&externalIdKey=acme/prod/trustKey";

    @Override
    public void configure() {
        // transient AWS trouble (throttling, 5xx, no answer): the AWS SDK already retried; redeliver a few more times
        onException(SidecarLambdaException.class)
                .onWhen(exchange -> exchange.getProperty(Exchange.EXCEPTION_CAUGHT, SidecarLambdaException.class)
                        .isRetryable())
                .maximumRedeliveries(3)
                .redeliveryDelay(50)
                .backOffMultiplier(2)
                .useExponentialBackOff();

        // the customer's trust is broken: no point retrying; answer the caller clearly
        onException(AssumeRoleDeniedException.class, ExternalIdUnavailableException.class)
                .handled(true)
                .setHeader("tenantError", simple("${exception.class.simpleName}"))
                .setBody(constant("{\"error\":\"this customer's Lambda connection is not configured correctly\"}"));

        // the function ran and failed: hand its own error to the caller
        onException(FunctionErrorException.class)
                .handled(true)
                .setBody(simple("{\"error\":\"${exception.errorType}: ${exception.errorMessage}\"}"));

        from("direct:order")
                .routeId("order")
                .to(ACME)
                .choice()
                .when(simple("${body} contains '\"priority\":\"high\"'"))
                .setHeader("lane", constant("express"))
                .otherwise()
                .setHeader("lane", constant("standard"))
                .end();

        from("direct:batch")
                .routeId("batch")
                .split(body(), new InOrderResponses())
                .parallelProcessing()
                .to(ACME)
                .end();

        from("direct:untrustedTenant")
                .routeId("untrusted-tenant")
                .to("sidecar-lambda:SideCarJsonResponse"
                        + "?roleArn=arn:aws:iam::641769673540:role/Boomi_sidecar_connector_acme"
                        + "&externalIdKey=acme/staging/trustKey");
    }

    /** Collects the split responses, in the order of the batch. */
    static final class InOrderResponses implements AggregationStrategy {
        @Override
        @SuppressWarnings("unchecked")
        public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
            Exchange result = oldExchange != null ? oldExchange : newExchange;
            List<String> responses = oldExchange != null ? result.getMessage().getBody(List.class) : new ArrayList<>();
            int index = newExchange.getProperty(Exchange.SPLIT_INDEX, Integer.class);
            while (responses.size() <= index) {
                responses.add(null);
            }
            responses.set(index, newExchange.getMessage().getBody(String.class));
            result.getMessage().setBody(responses);
            if (newExchange.getException() != null) {
                result.setException(newExchange.getException());
            }
            return result;
        }
    }
}
