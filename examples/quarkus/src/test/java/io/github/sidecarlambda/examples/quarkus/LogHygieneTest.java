package io.github.sidecarlambda.examples.quarkus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import io.github.sidecarlambda.ExternalIdUnavailableException;
import io.github.sidecarlambda.LambdaServiceException;
import io.github.sidecarlambda.emulator.SeedScenario;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the component and the AWS SDK at DEBUG (application.properties, test profile: into target/quarkus-test.log),
 * the log holds no External ID, no secret key and no session token: not the platform's, not a tenant's (every
 * session token the emulator issues starts with the same prefix; a tenant's secret key is not known to the test).
 */
@QuarkusTest
// its own application and emulator (other test resource arguments than the other tests': Quarkus starts anew), so the
// failing tenants below change no other test's counts or health
@WithTestResource(value = AwsEmulatorResource.class, initArgs = @ResourceArg(name = "for", value = "LogHygieneTest"))
class LogHygieneTest {

    static final String SIGNER = "software.amazon.awssdk.http.auth.aws.internal.signer.DefaultV4RequestSigner";

    static final String ROLE = "arn:aws:iam::641769673540:role/Boomi_sidecar_connector_acme";

    @Inject
    ProducerTemplate producer;

    /** Every session token the emulator issues starts so (as AWS's do), the platform's and each tenant's. */
    static final String EMULATOR_SESSION_TOKEN_PREFIX = "IQoJb3JpZ2luX2VjE";

    @Test
    void noSecretInTheDebugLog() throws IOException {
        for (String dsl : new String[] {"java", "yaml", "kamelet"}) {
            given().contentType(ContentType.JSON)
                    .body("{\"order\":1}")
                    .when()
                    .post("/orders/" + dsl)
                    .then()
                    .statusCode(200);
        }
        // and the paths that log most: a tenant whose External ID parameter does not exist, and a function the
        // customer's role may not invoke
        Exchange missingParameter = producer.request(
                "sidecar-lambda:SideCarJsonResponse?roleArn=" + ROLE + "&externalIdKey=acme/staging/trustKey",
                e -> e.getMessage().setBody("{}"));
        assertThat(missingParameter.getException()).isInstanceOf(ExternalIdUnavailableException.class);
        Exchange deniedFunction = producer.request(
                "sidecar-lambda:NotAllowed?roleArn=" + ROLE + "&externalIdKey=acme/prod/trustKey",
                e -> e.getMessage().setBody("{}"));
        assertThat(deniedFunction.getException()).isInstanceOf(LambdaServiceException.class);
        // the denied tenant's producer check is DOWN, with the reason and without a secret
        String health = given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(503)
                .extract()
                .asString();
        assertThat(health).contains("/acme/staging/trustKey");

        Path file = Path.of("target/quarkus-test.log");
        assertThat(file).exists();
        String log = Files.readString(file, StandardCharsets.UTF_8);
        // the capture works: the SDK's DEBUG lines are there (its request, retry and signing stages), and the
        // component's loggers are at DEBUG (it logs little: its failures go to the exchange, not the log)
        assertThat(log).containsPattern("DEBUG \\[software\\.amazon\\.awssdk\\.request\\]");
        assertThat(log)
                .containsPattern(
                        "DEBUG \\[software\\.amazon\\.awssdk\\.core\\.internal\\.http\\.pipeline\\.stages\\.AsyncSigningStage\\]");
        assertThat(LoggerFactory.getLogger("io.github.sidecarlambda.SidecarLambdaProducer")
                        .isDebugEnabled())
                .isTrue();

        List<String> secrets = List.of(
                SeedScenario.EXTERNAL_ID,
                System.getProperty("aws.secretAccessKey"),
                System.getProperty("aws.sessionToken"),
                EMULATOR_SESSION_TOKEN_PREFIX);
        for (String secret : secrets) {
            assertThat(secret).isNotBlank();
            assertThat(health.contains(secret))
                    .as("a secret (%d chars) appears in /q/health", secret.length())
                    .isFalse();
            assertThat(log.contains(secret))
                    .as("a secret (%d chars) appears in %s", secret.length(), file)
                    .isFalse();
        }
        assertThat(LoggerFactory.getLogger(SIGNER).isDebugEnabled())
                .as("README: this one stays at INFO")
                .isFalse();
    }
}
