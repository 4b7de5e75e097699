package io.github.sidecarlambda;

import java.time.Duration;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With every logger at TRACE (root, Camel, Netty, the AWS SDK) but the two the docs name and the component warns about
 * (the SDK's signer and Netty's wire LoggingHandler, kept at INFO), a run with successes,
 * a function error, a denied tenant, a Tail log and a credential renewal after ExpiredToken writes no External ID,
 * secret key or session token: the log is scanned after the test by {@link SidecarLambdaTestSupport}.
 */
class RootTraceHygieneTest extends SidecarLambdaTestSupport {

    @Override
    protected RouteBuilder createRouteBuilder() {
        return okFailAndDeniedRoutes();
    }

    @BeforeEach
    void everythingAtTrace() {
        Configurator.setRootLevel(Level.TRACE);
        Configurator.setLevel(Map.of(
                "org.apache.camel",
                Level.TRACE,
                "io.netty",
                Level.TRACE,
                "software.amazon.awssdk",
                Level.TRACE,
                SidecarLambdaComponent.SDK_SIGNER_LOGGER,
                Level.INFO,
                SidecarLambdaComponent.NETTY_WIRE_LOGGER,
                Level.INFO));
    }

    @AfterEach
    void back() {
        Configurator.setRootLevel(Level.INFO);
        Configurator.setLevel(Map.of("org.apache.camel", Level.INFO, "io.netty", Level.INFO));
    }

    @Test
    void noSecretReachesTheLogWithTheRootLoggerAtTrace() {
        assertThat(template.requestBody("direct:ok", "{\"a\":1}", String.class)).contains("\"a\":1");
        // the first credentials are renewed below: remember their keys so the log is checked for them too
        addSecrets(context.getEndpoint(acme() + "&logType=Tail", SidecarLambdaEndpoint.class)
                .tenant()
                .current()
                .credentials());
        Exchange fail = template.request("direct:fail", e -> e.getMessage().setBody("{}"));
        assertThat(fail.getException()).isInstanceOf(FunctionErrorException.class);
        Exchange denied = template.request("direct:denied", e -> e.getMessage().setBody("{}"));
        assertThat(denied.getException()).isInstanceOf(AssumeRoleDeniedException.class);
        // AWS's clock passes the expiry: Lambda answers ExpiredToken, the component assumes the role again
        emulator.clock().advance(Duration.ofMinutes(61));
        assertThat(template.requestBody("direct:ok", "{\"b\":2}", String.class)).contains("\"b\":2");
        assertThat(emulator.count("sts", "AssumeRole", true)).isEqualTo(3); // acme, globex, acme renewed
    }
}
