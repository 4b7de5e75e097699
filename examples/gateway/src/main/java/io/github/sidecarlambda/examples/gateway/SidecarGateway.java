package io.github.sidecarlambda.examples.gateway;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.builder.RouteBuilder;

import io.github.sidecarlambda.SidecarLambdaConstants;

/**
 * An API gateway in Camel with the gateway sidecar contract: each API is
 * {@code platform-http → pre-processor function → backend over HTTP → post-processor function → client}.
 * The pre-processor may terminate (the backend is not called), complete the call, change the request or its route;
 * the post-processor may terminate or change the response. The customer's functions are the same ones that run
 * behind the Boomi / Mashery gateway.
 */
public class SidecarGateway extends RouteBuilder {

    /** One API: its public path, its backend, its two functions and any extra sidecar options (e.g. "&failSafe=true"). */
    public record Api(
            String path,
            String backend,
            String preFunction,
            String preOptions,
            String postFunction,
            String postOptions) {}

    private final String roleArn;
    private final String externalIdKey;
    private final List<Api> apis = new ArrayList<>();

    public SidecarGateway(String roleArn, String externalIdKey) {
        this.roleArn = roleArn;
        this.externalIdKey = externalIdKey;
    }

    public SidecarGateway api(Api api) {
        apis.add(api);
        return this;
    }

    @Override
    public void configure() {
        for (Api api : apis) {
            String tenant = "?roleArn=" + roleArn + "&externalIdKey=" + externalIdKey;
            from("platform-http:" + api.path())
                    .routeId("api" + api.path().replace('/', '-'))
                    // contract fields without an HTTP source: the route says what they are
                    .setHeader(SidecarLambdaConstants.SIDECAR_PACKAGE_KEY, header("x-api-key"))
                    .setHeader(SidecarLambdaConstants.SIDECAR_ENDPOINT_ID, constant(api.path()))
                    .setHeader(SidecarLambdaConstants.SIDECAR_BACKEND_URI, constant(api.backend()))
                    .to("sidecar-lambda:" + api.preFunction() + tenant + "&sidecar=PreProcessor" + api.preOptions())
                    // the backend call: to the URI the pre-processor may have changed; the inbound path is not appended
                    .removeHeaders("CamelHttp(Path|Uri|Query|Url)")
                    .removeHeader("x-api-key")
                    .toD("${header." + SidecarLambdaConstants.SIDECAR_BACKEND_URI + "}"
                            + "?bridgeEndpoint=true&throwExceptionOnFailure=false")
                    .to("sidecar-lambda:" + api.postFunction() + tenant + "&sidecar=PostProcessor" + api.postOptions());
        }
    }
}
