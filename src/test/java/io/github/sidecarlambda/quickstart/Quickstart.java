package io.github.sidecarlambda.quickstart;

import java.io.PrintStream;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

import io.github.sidecarlambda.SidecarLambdaConstants;
import io.github.sidecarlambda.SidecarLambdaException;
import io.github.sidecarlambda.emulator.AwsEmulator;
import io.github.sidecarlambda.emulator.SeedScenario;
import io.github.sidecarlambda.testing.EmulatorEnvironment;

/**
 * The five-minute tour: a Camel application that invokes the seed's function through {@code sidecar-lambda:}.
 * <p>
 * By default it starts the embedded AWS emulator with the seed's scenario (platform role {@code java_proxy} in
 * 809167139867; customer role {@code Boomi_sidecar_connector_acme} in 641769673540; External ID in SecureString
 * {@code /acme/prod/trustKey}; function {@code SideCarJsonResponse}). With {@code SIDECAR_ROLE_ARN} and
 * {@code SIDECAR_EXTERNAL_ID_KEY} set it runs against real AWS instead, with the SDK's default credentials and region
 * (optionally {@code SIDECAR_FUNCTION}, default SideCarJsonResponse). Exits 0 when everything behaved as expected.
 */
public final class Quickstart {

    private Quickstart() {}

    public static void main(String[] args) throws Exception {
        System.setProperty("log4j2.configurationFile", "log4j2-bench.xml");
        int status = run(System.out, System.getenv());
        System.exit(status);
    }

    static int run(PrintStream out, Map<String, String> env) throws Exception {
        String roleArn = env.get("SIDECAR_ROLE_ARN");
        boolean realAws = roleArn != null && !roleArn.isBlank();
        AwsEmulator emulator = realAws ? null : SeedScenario.builder().start();
        try (CamelContext context = new DefaultCamelContext()) {
            String function = env.getOrDefault("SIDECAR_FUNCTION", SeedScenario.FUNCTION_NAME);
            String key = env.getOrDefault("SIDECAR_EXTERNAL_ID_KEY", "acme/prod/trustKey");
            if (realAws) {
                out.println("Running against real AWS: role " + roleArn + ", External ID key " + key);
            } else {
                roleArn = SeedScenario.CUSTOMER_ROLE_ARN;
                out.println(
                        "Started the embedded AWS emulator at " + emulator.endpoint() + " with the seed's scenario");
                // the operator's environment: region, endpoints, and the platform identity an instance profile gives
                EmulatorEnvironment.apply(context, emulator);
            }
            String uri = "sidecar-lambda:" + function + "?roleArn=" + roleArn + "&externalIdKey=" + key;
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:orders").routeId("orders").to(uri);
                    // no error handler logging: step 3 prints the error itself
                    from("direct:wrongKey")
                            .routeId("wrong-external-id")
                            .errorHandler(noErrorHandler())
                            .to("sidecar-lambda:" + function + "?roleArn=" + SeedScenario.CUSTOMER_ROLE_ARN
                                    + "&externalIdKey=acme/staging/trustKey");
                }
            });
            if (!realAws) {
                // a second External ID that the customer's trust policy does not accept
                emulator.putParameter(
                        SeedScenario.PLATFORM_ACCOUNT,
                        SeedScenario.REGION,
                        "/acme/staging/trustKey",
                        "not-the-trusted-external-id",
                        true);
            }
            context.start();
            ProducerTemplate template = context.createProducerTemplate();
            out.println();
            out.println("Route: from(\"direct:orders\").to(\"" + uri + "\")");

            out.println();
            out.println("1. Invoke " + function + " with {\"order\":42}");
            Exchange first =
                    template.request("direct:orders", e -> e.getMessage().setBody("{\"order\":42}"));
            if (first.getException() != null) {
                out.println("   FAILED: " + first.getException());
                return 1;
            }
            out.println("   response body : " + first.getMessage().getBody(String.class));
            for (String header : new String[] {
                SidecarLambdaConstants.STATUS_CODE,
                SidecarLambdaConstants.EXECUTED_VERSION,
                SidecarLambdaConstants.REQUEST_ID
            }) {
                out.println("   " + header + " = " + first.getMessage().getHeader(header));
            }

            out.println();
            out.println("2. Nine more messages: the credentials are cached");
            for (int i = 0; i < 9; i++) {
                Exchange more =
                        template.request("direct:orders", e -> e.getMessage().setBody("{\"order\":43}"));
                if (more.getException() != null) {
                    out.println("   FAILED: " + more.getException());
                    return 1;
                }
            }
            if (!realAws) {
                long getParameter = emulator.count("ssm", "GetParameter");
                long assumeRole = emulator.count("sts", "AssumeRole");
                long invoke = emulator.count("lambda", "Invoke");
                out.printf(
                        "   AWS calls for 10 messages: ssm:GetParameter=%d sts:AssumeRole=%d lambda:Invoke=%d%n",
                        getParameter, assumeRole, invoke);
                if (getParameter != 1 || assumeRole != 1 || invoke != 10) {
                    out.println("   UNEXPECTED: the credentials were not cached");
                    return 1;
                }
            }

            if (!realAws) {
                out.println();
                out.println("3. A route whose External ID key holds a value the customer's role does not trust");
                Exchange denied =
                        template.request("direct:wrongKey", e -> e.getMessage().setBody("{}"));
                if (!(denied.getException() instanceof SidecarLambdaException error)) {
                    out.println("   UNEXPECTED: no typed error: " + denied.getException());
                    return 1;
                }
                out.println("   " + error.getClass().getSimpleName() + ":");
                out.println("   " + error.getMessage());
                out.println();
                out.println("4. A role without the required name prefix is refused when the endpoint is created:");
                try {
                    context.getEndpoint("sidecar-lambda:" + function
                            + "?roleArn=arn:aws:iam::641769673540:role/tibco_sidecar_connector_acme&externalIdKey="
                            + key);
                    out.println("   UNEXPECTED: accepted");
                    return 1;
                } catch (Exception e) {
                    Throwable cause = e.getCause() != null ? e.getCause() : e;
                    out.println("   " + cause.getClass().getSimpleName() + ": " + cause.getMessage());
                }
                out.printf(
                        "   AWS calls made for it: %d%n",
                        emulator.calls().stream()
                                .filter(c ->
                                        c.resource() != null && c.resource().contains("tibco"))
                                .count());
            }
            out.println();
            out.println("Quickstart finished: OK");
            return 0;
        } finally {
            if (emulator != null) {
                emulator.close();
            }
        }
    }
}
