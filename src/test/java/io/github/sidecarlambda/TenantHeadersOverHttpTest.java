package io.github.sidecarlambda;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real inbound HTTP route (platform-http on Vert.x) in front of an endpoint with tenantFromHeaders=true: a caller who
 * sends the tenant header names over HTTP cannot choose another customer's role, key or function, because Camel's
 * HTTP consumer drops inbound headers starting with "Camel".
 */
class TenantHeadersOverHttpTest extends SidecarLambdaTestSupport {

    private static int port;

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        VertxPlatformHttpServerConfiguration conf = new VertxPlatformHttpServerConfiguration();
        conf.setBindHost("127.0.0.1");
        conf.setBindPort(port);
        context.addService(new org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer(conf));
        return context;
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("platform-http:/invoke").to(TestScenario.many(7) + "&tenantFromHeaders=true");
            }
        };
    }

    @Test
    void aCallerCannotSelectATenantBySendingTheHeaderNames() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/invoke"))
                .header("Content-Type", "application/json")
                .header(SidecarLambdaConstants.ROLE_ARN, TestScenario.GLOBEX_ROLE)
                .header(SidecarLambdaConstants.EXTERNAL_ID_KEY, TestScenario.GLOBEX_KEY)
                .header(SidecarLambdaConstants.FUNCTION, "arn:aws:lambda:us-east-1:222233334444:function:Caller")
                .POST(HttpRequest.BodyPublishers.ofString("{\"from\":\"http\"}"))
                .build();

        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"from\":\"http\"}");
        assertThat(emulator.calls())
                .filteredOn(c -> c.operation().equals("AssumeRole"))
                .singleElement()
                .satisfies(c -> assertThat(c.resource()).isEqualTo(TestScenario.manyRole(7)));
        assertThat(emulator.calls())
                .filteredOn(c -> c.operation().equals("Invoke"))
                .singleElement()
                .satisfies(c -> assertThat(c.resource())
                        .isEqualTo("arn:aws:lambda:us-east-1:" + TestScenario.MANY_ACCOUNT + ":function:Echo"));
    }
}
