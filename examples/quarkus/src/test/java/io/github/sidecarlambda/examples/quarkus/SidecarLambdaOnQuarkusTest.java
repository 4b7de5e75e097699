package io.github.sidecarlambda.examples.quarkus;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.sidecarlambda.emulator.AwsEmulator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application as a user sees it over HTTP: the function's response through the Java, YAML and Kamelet routes,
 * the AWS calls behind them, the component's health check on {@code /q/health/ready} and its meters on
 * {@code /q/metrics}.
 */
@QuarkusTest
@WithTestResource(AwsEmulatorResource.class)
class SidecarLambdaOnQuarkusTest {

    static final String TENANT = "arn:aws:iam::641769673540:role/Boomi_sidecar_connector_acme";

    @EmulatedAws
    AwsEmulator emulator;

    @ParameterizedTest
    @ValueSource(strings = {"java", "yaml", "kamelet"})
    void eachRouteInvokesTheCustomersFunction(String dsl) {
        String body = given().contentType(ContentType.JSON)
                .body("{\"order\":\"" + dsl + "\"}")
                .when()
                .post("/orders/" + dsl)
                .then()
                .statusCode(200)
                .header("X-Lambda-Status", "200")
                .extract()
                .asString();

        assertThat(body)
                .isEqualTo("{\"statusCode\":200,\"body\":{\"order\":\"" + dsl
                        + "\"},\"function\":\"SideCarJsonResponse\"}");
    }

    @Test
    void manyMessagesOnThreeRoutesCostOneExternalIdReadAndOneAssumeRole() {
        long invokesBefore = emulator.count("lambda", "Invoke", true);
        for (int i = 0; i < 15; i++) {
            for (String dsl : new String[] {"java", "yaml", "kamelet"}) {
                given().contentType(ContentType.JSON)
                        .body("{\"n\":" + i + "}")
                        .when()
                        .post("/orders/" + dsl)
                        .then()
                        .statusCode(200);
            }
        }

        assertThat(emulator.count("lambda", "Invoke", true) - invokesBefore).isEqualTo(45);
        // since the application started, whatever ran before: the three routes share one tenant
        assertThat(emulator.count("ssm", "GetParameter")).isEqualTo(1);
        assertThat(emulator.count("sts", "AssumeRole")).isEqualTo(1);
    }

    @Test
    void theProducerHealthChecksAreUpOnQuarkusHealthEndpoint() {
        String health = given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .extract()
                .asString();

        // one producer check per sidecar-lambda endpoint (Java route, YAML route, Kamelet template), all UP
        assertThat(health).contains("\"status\": \"UP\"");
        assertThat(health.split("\"producer:sidecar-lambda", -1).length - 1).isGreaterThanOrEqualTo(3);
        assertThat(health).doesNotContain("DOWN");
        assertThat(emulator.count("lambda", "Invoke", false))
                .as("a health check never invokes the function")
                .isEqualTo(emulator.count("lambda", "Invoke", true));
    }

    @Test
    void theComponentsMetersAreOnQuarkusMetricsEndpoint() {
        given().contentType(ContentType.JSON)
                .body("{}")
                .when()
                .post("/orders/java")
                .then()
                .statusCode(200);

        String metrics = given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();

        assertThat(metrics)
                .containsPattern(
                        "sidecar_lambda_invoke_seconds_count\\{[^}]*function=\"SideCarJsonResponse\"[^}]*outcome=\"ok\"[^}]*} [1-9]");
        // the control plane: one Parameter Store read and one AssumeRole, the same counts as the emulator's
        assertThat(metrics)
                .contains(
                        "sidecar_lambda_aws_calls_seconds_count{operation=\"GetParameter\",outcome=\"ok\",service=\"ssm\"} 1.0",
                        "sidecar_lambda_aws_calls_seconds_count{operation=\"AssumeRole\",outcome=\"ok\",service=\"sts\"} 1.0");
        assertThat(metrics)
                .containsPattern("sidecar_lambda_credentials_expiry_seconds\\{role_account=\"641769673540\","
                        + "role_name=\"Boomi_sidecar_connector_acme\"} [1-9]");
        assertThat(metrics).contains("sidecar_lambda_tenants_cached");
    }
}
