package io.github.sidecarlambda;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Payloads over Lambda's limits are refused before anything is sent; payloads at the limit go through. */
class PayloadGuardTest extends SidecarLambdaTestSupport {

    private static final int SYNC_LIMIT = 6 * 1024 * 1024;
    private static final int EVENT_LIMIT = 1024 * 1024;

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:sync").to(globex("Logger"));
                // without stream caching, so the producer itself is what reads the stream
                from("direct:syncStream").noStreamCaching().to(globex("Logger"));
                from("direct:event").to(globex("Logger") + "&invocationType=Event");
            }
        };
    }

    /** A JSON string literal of exactly {@code size} bytes. */
    private static byte[] json(int size) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) 'a');
        bytes[0] = '"';
        bytes[size - 1] = '"';
        return bytes;
    }

    @Test
    void overTheSynchronousLimitIsRefusedWithoutAnAwsCall() {
        Exchange result = template.request("direct:sync", e -> e.getMessage().setBody(json(SYNC_LIMIT + 1)));

        assertThat(result.getException())
                .isInstanceOf(PayloadTooLargeException.class)
                .hasMessageContaining(String.valueOf(SYNC_LIMIT + 1))
                .hasMessageContaining(String.valueOf(SYNC_LIMIT))
                .hasMessageContaining("RequestResponse");
        assertThat(emulator.calls()).isEmpty();
    }

    @Test
    void aStreamOverTheLimitIsRefusedAfterReadingOnlyOneBytePastIt() {
        java.util.concurrent.atomic.AtomicLong read = new java.util.concurrent.atomic.AtomicLong();
        long size = 64L * 1024 * 1024;
        java.io.InputStream huge = new java.io.InputStream() {
            @Override
            public int read() {
                return read.getAndIncrement() < size ? 'a' : -1;
            }
        };
        Exchange result =
                template.request("direct:syncStream", e -> e.getMessage().setBody(huge));

        assertThat(result.getException()).isInstanceOf(PayloadTooLargeException.class);
        assertThat(((PayloadTooLargeException) result.getException()).getSize()).isEqualTo(SYNC_LIMIT + 1);
        assertThat(read.get()).isEqualTo(SYNC_LIMIT + 1);
        assertThat(emulator.calls()).isEmpty();
    }

    @Test
    void overTheEventLimitIsRefusedWithoutAnAwsCall() {
        Exchange result = template.request("direct:event", e -> e.getMessage().setBody(json(EVENT_LIMIT + 1)));

        assertThat(result.getException())
                .isInstanceOf(PayloadTooLargeException.class)
                .hasMessageContaining("Event");
        assertThat(emulator.calls()).isEmpty();
    }

    @Test
    void exactlyAtTheLimitsIsSent() {
        Exchange sync = template.request("direct:sync", e -> e.getMessage().setBody(json(SYNC_LIMIT)));
        assertThat(sync.getException()).isNull();
        assertThat(sync.getMessage().getBody(String.class)).isEqualTo("{\"ok\":true}");

        Exchange event = template.request(
                "direct:event", e -> e.getMessage().setBody(new String(json(EVENT_LIMIT), StandardCharsets.UTF_8)));
        assertThat(event.getException()).isNull();
        assertThat(event.getMessage().getHeader(SidecarLambdaConstants.STATUS_CODE))
                .isEqualTo(202);
    }
}
