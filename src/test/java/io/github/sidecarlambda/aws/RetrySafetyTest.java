package io.github.sidecarlambda.aws;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The verdicts for failures that the suite meets only by chance (a race with a client being closed), in the exact
 * shape the SDK produces them; the suite's traffic tests (NothingOutlivesItsOwnerTest) meet them under load.
 */
class RetrySafetyTest {

    /**
     * A route stopped while an exchange's first connection was being set up: netty-nio-client's HttpOrHttp2ChannelPool
     * fails the acquire with IllegalStateException("Pool closed") once the connection's protocol is known, before the
     * channel is handed out, so the request was never written. It was judged "may have run" (seen once in
     * NothingOutlivesItsOwnerTest: "The connection to Lambda failed after the request was sent for Echo: Unable to
     * execute HTTP request: Pool closed ... [the function may have run]").
     */
    @Test
    void aPoolClosedWhileItsFirstConnectionWasSetUpSentNothing() {
        IllegalStateException closed = new IllegalStateException("Pool closed");
        closed.setStackTrace(new StackTraceElement[] {
            new StackTraceElement(
                    "software.amazon.awssdk.http.nio.netty.internal.http2.HttpOrHttp2ChannelPool",
                    "lambda$completeProtocolConfiguration$5",
                    "HttpOrHttp2ChannelPool.java",
                    140)
        });
        SdkClientException sdk = SdkClientException.builder()
                .message("Unable to execute HTTP request: Pool closed")
                .cause(closed)
                .build();

        assertThat(RetrySafety.notSent(sdk)).isTrue();
        assertThat(RetrySafety.of(sdk).mayHaveRun()).isFalse();
        assertThat(RetrySafety.of(sdk).retryable()).isTrue();
    }

    @Test
    void aPoolClosedElsewhereIsNotTakenForNotSent() {
        IllegalStateException closed = new IllegalStateException("Pool closed");
        closed.setStackTrace(
                new StackTraceElement[] {new StackTraceElement("com.example.Other", "run", "Other.java", 1)});
        SdkClientException sdk = SdkClientException.builder()
                .message("Pool closed")
                .cause(closed)
                .build();

        assertThat(RetrySafety.of(sdk).mayHaveRun()).isTrue();
    }
}
