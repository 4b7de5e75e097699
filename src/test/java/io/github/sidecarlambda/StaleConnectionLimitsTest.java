package io.github.sidecarlambda;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.AsyncProducer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the stale-connection re-send stops: a request the server read, ran and then lost (its connection closed or
 * reset later than a round trip after the request was written) is never sent again, it fails as "may have run"; and an
 * exchange whose endpoint stopped before the re-send still completes, typed.
 */
class StaleConnectionLimitsTest extends SidecarLambdaTestSupport {

    /** Answers every request, except the first one on a reused connection: it reads it, "runs" it, then drops it. */
    static final class DropAfterRunServer implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final AtomicInteger runs = new AtomicInteger();
        final CountDownLatch secondRead = new CountDownLatch(1);
        final CountDownLatch drop = new CountDownLatch(1);
        final boolean reset;

        DropAfterRunServer(boolean reset) throws IOException {
            this.reset = reset;
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        Thread t = new Thread(() -> serve(s));
                        t.setDaemon(true);
                        t.start();
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
        }

        URI endpoint() {
            return URI.create("http://127.0.0.1:" + server.getLocalPort());
        }

        private void serve(Socket s) {
            try (s) {
                InputStream in = new BufferedInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                for (int request = 1; ; request++) {
                    String head = readHead(in);
                    if (head == null) {
                        return;
                    }
                    int length = 0;
                    for (String line : head.split("\r\n")) {
                        if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                            length = Integer.parseInt(line.substring(15).trim());
                        }
                    }
                    in.readNBytes(length);
                    runs.incrementAndGet(); // the function ran
                    if (request == 2 && secondRead.getCount() > 0) { // the first request on a reused connection
                        secondRead.countDown();
                        drop.await(20, TimeUnit.SECONDS);
                        if (reset) {
                            s.setSoLinger(true, 0);
                        }
                        return; // no answer
                    }
                    byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
                    out.write(
                            ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Amz-Executed-Version: $LATEST\r\n"
                                            + "Content-Length: " + body.length + "\r\n\r\n")
                                    .getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the client went away
            }
        }

        private static String readHead(InputStream in) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int state = 0;
            for (int c; (c = in.read()) >= 0; ) {
                b.write(c);
                state = c == '\r' || c == '\n' ? state + 1 : 0;
                if (state == 4) {
                    return b.toString(StandardCharsets.US_ASCII);
                }
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            drop.countDown();
            server.close();
        }
    }

    /** The tenant's credentials first, through the emulator's own function: these tests are about the connection. */
    @org.junit.jupiter.api.BeforeEach
    void credentialsCached() {
        assertThat(template.requestBody(acme(), "{}", String.class)).isNotNull();
    }

    private String uri(DropAfterRunServer server, String extra) {
        return "sidecar-lambda:Fifty?roleArn=" + TestScenario.ACME_ROLE + "&externalIdKey=" + TestScenario.ACME_KEY
                + "&lambdaEndpointOverride=" + server.endpoint() + extra;
    }

    private static Exchange send(AsyncProducer producer, String body, CountDownLatch done) {
        Exchange exchange = producer.getEndpoint().createExchange();
        exchange.getMessage().setBody(body);
        producer.process(exchange, sync -> done.countDown());
        return exchange;
    }

    @ParameterizedTest(name = "reset={0}")
    @ValueSource(booleans = {false, true})
    void aRequestTheServerReadAndRanIsNotSentAgainWhenItsConnectionIsLostLater(boolean reset) throws Exception {
        try (DropAfterRunServer server = new DropAfterRunServer(reset)) {
            AsyncProducer producer = context.getEndpoint(uri(server, "")).createAsyncProducer();
            producer.start();
            CountDownLatch first = new CountDownLatch(1);
            assertThat(send(producer, "{\"n\":1}", first).getException()).isNull();
            assertThat(first.await(30, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(200); // the answered connection goes back to the pool after the exchange completes

            CountDownLatch second = new CountDownLatch(1);
            Exchange lost = send(producer, "{\"n\":2}", second); // on the reused connection
            assertThat(server.secondRead.await(30, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(1_000); // the function runs for a second, then the server loses the connection
            server.drop.countDown();
            assertThat(second.await(30, TimeUnit.SECONDS)).isTrue();

            assertThat(lost.getException()).isInstanceOf(LambdaServiceException.class);
            assertThat(((LambdaServiceException) lost.getException()).mayHaveRun())
                    .isTrue();
            assertThat(server.runs.get())
                    .as("the function ran once per exchange")
                    .isEqualTo(2);
            producer.stop();
        }
    }

    @Test
    void anExchangeWhoseEndpointStoppedBeforeTheResendStillCompletesTyped() throws Exception {
        try (DropAfterRunServer server = new DropAfterRunServer(false)) {
            Endpoint endpoint = context.getEndpoint(uri(server, "&maxConcurrency=7")); // a Lambda client of its own
            AsyncProducer producer = endpoint.createAsyncProducer();
            producer.start();
            CountDownLatch first = new CountDownLatch(1);
            send(producer, "{\"n\":1}", first);
            assertThat(first.await(30, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(200); // the answered connection goes back to the pool after the exchange completes

            CountDownLatch second = new CountDownLatch(1);
            Exchange stranded = send(producer, "{\"n\":2}", second);
            assertThat(server.secondRead.await(30, TimeUnit.SECONDS)).isTrue();
            endpoint.stop(); // releases the Lambda client the re-send would come from
            server.drop.countDown();

            assertThat(second.await(15, TimeUnit.SECONDS))
                    .as("the exchange completed")
                    .isTrue();
            assertThat(stranded.getException()).isInstanceOf(SidecarLambdaException.class);
        }
    }
}
