package io.github.sidecarlambda.examples.quarkus;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

import io.github.sidecarlambda.SidecarLambdaConstants;
import io.github.sidecarlambda.SidecarLambdaException;

/**
 * {@code POST /orders/{java|yaml|kamelet}}: the body goes to the customer's function through the route written in
 * that DSL; the function's response comes back with Lambda's status code in {@code X-Lambda-Status}. A typed error
 * of the component becomes a 502 with its message (which never holds a secret).
 */
@Path("/orders")
public class OrdersResource {

    private static final Map<String, String> ROUTES =
            Map.of("java", "direct:orders-java", "yaml", "direct:orders", "kamelet", "direct:orders-kamelet");

    @Inject
    ProducerTemplate producer;

    @POST
    @Path("/{dsl}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response order(@PathParam("dsl") String dsl, String body) {
        String uri = ROUTES.get(dsl);
        if (uri == null) {
            return Response.status(404).build();
        }
        Exchange result = producer.request(uri, e -> e.getMessage().setBody(body));
        Exception failure = result.getException();
        if (failure instanceof SidecarLambdaException) {
            return Response.status(502)
                    .type(MediaType.TEXT_PLAIN)
                    .entity(failure.getMessage())
                    .build();
        }
        if (failure != null) {
            return Response.serverError()
                    .type(MediaType.TEXT_PLAIN)
                    .entity(failure.getClass().getName())
                    .build();
        }
        return Response.ok(result.getMessage().getBody(String.class))
                .header("X-Lambda-Status", result.getMessage().getHeader(SidecarLambdaConstants.STATUS_CODE))
                .build();
    }
}
