package io.github.sidecarlambda;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.apache.camel.AsyncProducer;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.sidecarlambda.bench.ClosingLambdaPeer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server that closes pooled keep-alive connections right after answering on them, without {@code Connection: close}
 * (the JDK's HttpServer does so past 200 idle connections; load balancers and front ends close idle connections; see
 * {@link ClosingLambdaPeer}) must not fail exchanges: a request written onto a reused connection that the peer closed
 * before any byte of the answer arrived is re-sent (option {@code resendOnStaleConnection}, default true), and the
 * function runs once per exchange.
 */
class StaleConnectionTest extends SidecarLambdaTestSupport {

    static final int IN_FLIGHT = 256;
    static final int EXCHANGES = 3_000;
    /** The peer closes each connection after this many answers, without saying so. */
    static final int CLOSE_EVERY = 3;

    private ClosingLambdaPeer peer;

    @org.apache.camel.BindToRegistry("metricsRegistry")
    private final io.micrometer.core.instrument.MeterRegistry registry =
            new io.micrometer.core.instrument.simple.SimpleMeterRegistry();

    private double resends() {
        return registry.find("sidecar.lambda.staleconnection.resends").counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    @BeforeEach
    void startPeer() throws Exception {
        peer = new ClosingLambdaPeer(Map.of("Fifty", 50L), CLOSE_EVERY);
    }

    @AfterEach
    void stopPeer() {
        peer.close();
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                String base = "sidecar-lambda:Fifty?roleArn=" + TestScenario.ACME_ROLE + "&externalIdKey="
                        + TestScenario.ACME_KEY + "&maxConcurrency=" + IN_FLIGHT + "&lambdaEndpointOverride=";
                from("direct:default").toD(base + "${header.peer}");
                from("direct:strict").toD(base + "${header.peer}&resendOnStaleConnection=false");
            }
        };
    }

    /** reset=false: the peer closes (FIN) after the answer; true: it resets (RST) the next request, unread. */
    @org.junit.jupiter.params.ParameterizedTest(name = "reset={0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void aServerClosingPooledConnectionsFailsNoExchangeAndRunsNothingTwice(boolean reset) throws Exception {
        if (reset) {
            peer.close();
            peer = ClosingLambdaPeer.resetting(Map.of("Fifty", 50L), CLOSE_EVERY);
        }
        List<Exchange> failed = drive("direct:default");

        // "Connection reset" says nothing of the connection's past: the component's own channel tells it was reused
        assertThat(failed)
                .as(
                        "failed exchanges: %s",
                        failed.stream().limit(3).map(Exchange::getException).toList())
                .isEmpty();
        assertThat(peer.invocations()).isEqualTo(EXCHANGES);
        assertThat(peer.bodiesRunTwice()).isZero();
        // the peer did close pooled connections under the client
        assertThat(peer.connectionsClosedAfterAnswer()).isGreaterThan(EXCHANGES / CLOSE_EVERY / 2);
        // the re-sends happened and are counted (each one a request the closing server never read)
        assertThat(resends()).isPositive();
        // one External ID read and one AssumeRole for all of it
        assertThat(emulator.count("ssm", "GetParameter") + emulator.count("ssm", "GetParameters"))
                .isEqualTo(1);
        assertThat(emulator.count("sts", "AssumeRole")).isEqualTo(1);
    }

    @Test
    void withResendOffAClosedPooledConnectionFailsTheExchangeAsMayHaveRun() throws Exception {
        List<Exchange> failed = drive("direct:strict");

        assertThat(failed)
                .as("with resendOnStaleConnection=false the closed connections fail exchanges")
                .isNotEmpty();
        for (Exchange e : failed) {
            assertThat(e.getException()).isInstanceOf(LambdaServiceException.class);
            LambdaServiceException error = (LambdaServiceException) e.getException();
            assertThat(error.mayHaveRun()).isTrue();
            assertThat(error.isRetryable()).isFalse();
            assertThat(error.getMessage()).contains("The connection to Lambda failed after the request was sent");
        }
        assertThat(peer.invocations()).isEqualTo(EXCHANGES - failed.size());
        assertThat(resends()).isZero();
    }

    /** EXCHANGES exchanges with IN_FLIGHT in flight, each with its own body; the failed ones. */
    private List<Exchange> drive(String route) throws Exception {
        AsyncProducer producer = context.getEndpoint(route).createAsyncProducer();
        producer.start();
        ConcurrentLinkedQueue<Exchange> failed = new ConcurrentLinkedQueue<>();
        Semaphore slots = new Semaphore(IN_FLIGHT);
        CountDownLatch done = new CountDownLatch(EXCHANGES);
        try {
            for (int i = 0; i < EXCHANGES; i++) {
                slots.acquire();
                Exchange exchange = producer.getEndpoint().createExchange();
                exchange.getMessage().setHeader("peer", peer.endpoint().toString());
                exchange.getMessage().setBody("{\"exchange\":" + i + "}");
                producer.process(exchange, sync -> {
                    if (exchange.getException() != null) {
                        failed.add(exchange);
                    }
                    slots.release();
                    done.countDown();
                });
            }
            assertThat(done.await(120, TimeUnit.SECONDS)).isTrue();
        } finally {
            producer.stop();
        }
        return List.copyOf(failed);
    }
}
