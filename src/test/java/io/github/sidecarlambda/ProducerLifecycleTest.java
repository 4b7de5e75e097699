package io.github.sidecarlambda;

import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** A producer used outside its started life: Camel stops a producer whose start failed, and nothing may leak or hang. */
class ProducerLifecycleTest {

    private static final String URI =
            "sidecar-lambda:SideCarJsonResponse?region=us-east-1&parameterStoreRegion=us-east-1"
                    + "&roleArn=arn:aws:iam::641769673540:role/Boomi_sidecar_connector_acme&externalIdKey=acme/prod/trustKey";

    @Test
    void aProducerNeverStartedStopsQuietlyAndFailsAnExchangeTyped() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            context.start();
            AsyncProducer producer = (AsyncProducer) context.getEndpoint(URI).createProducer();
            Exchange exchange = new DefaultExchange(context);
            exchange.getMessage().setBody("{}");
            AtomicBoolean done = new AtomicBoolean();

            boolean sync = producer.process(exchange, doneSync -> done.set(true));

            assertThat(sync).isTrue();
            assertThat(done).isTrue();
            assertThat(exchange.getException())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is not started");
            assertThatCode(producer::stop).doesNotThrowAnyException();
        }
    }
}
