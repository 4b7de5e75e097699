package io.github.sidecarlambda.examples.springboot;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

import io.github.sidecarlambda.emulator.AwsEmulator;
import io.github.sidecarlambda.emulator.SeedScenario;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application as it runs, against the embedded AWS emulator: the component gets region, Parameter Store region,
 * endpoints and platform identity from application.yaml alone (the emulator profile adds the endpoints and identity),
 * and an order posted over HTTP comes back as the customer's function answered it. Without the starter these
 * properties were silently ignored and the route failed to start ("region: not set").
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("emulator")
class OrdersApplicationTest {

    static final AwsEmulator emulator = SeedScenario.builder().start();

    @DynamicPropertySource
    static void emulatorEndpoint(DynamicPropertyRegistry registry) {
        registry.add("emulator.endpoint", () -> emulator.endpoint().toString());
    }

    @TestConfiguration
    static class PlatformIdentity {
        /** The platform role java_proxy, as an instance profile would provide it on AWS. */
        @Bean
        AwsCredentialsProvider emulatedPlatformIdentity() {
            return emulator.credentialsFor(SeedScenario.PLATFORM_ROLE_ARN);
        }
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    @Autowired
    TestRestTemplate http;

    @Test
    void anOrderPostedOverHttpIsAnsweredByTheCustomersFunction() {
        emulator.resetCounters();

        for (int order = 1; order <= 2; order++) {
            ResponseEntity<String> answer = post("{\"order\":" + order + "}");

            assertThat(answer.getStatusCode().value()).isEqualTo(200);
            assertThat(answer.getBody())
                    .isEqualTo("{\"statusCode\":200,\"body\":{\"order\":" + order
                            + "},\"function\":\"SideCarJsonResponse\"}");
        }
        // the role was assumed in the customer's account with the External ID from the operator's Parameter Store,
        // once for both orders
        assertThat(emulator.count("ssm", "GetParameter", true)).isEqualTo(1);
        assertThat(emulator.count("sts", "AssumeRole", true)).isEqualTo(1);
        assertThat(emulator.count("lambda", "Invoke", true)).isEqualTo(2);

        // the component's meters are in Actuator's registry (found as the application's only MeterRegistry bean)
        ResponseEntity<String> invokes = http.getForEntity(
                "/actuator/metrics/sidecar.lambda.invoke?tag=function:SideCarJsonResponse&tag=outcome:ok",
                String.class);
        assertThat(invokes.getStatusCode().value()).isEqualTo(200);
        assertThat(invokes.getBody()).contains("\"statistic\":\"COUNT\",\"value\":2.0");
        ResponseEntity<String> assumes = http.getForEntity(
                "/actuator/metrics/sidecar.lambda.aws.calls?tag=operation:AssumeRole&tag=outcome:ok", String.class);
        assertThat(assumes.getBody()).contains("\"statistic\":\"COUNT\",\"value\":1.0");
    }

    private ResponseEntity<String> post(String json) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        return http.postForEntity("/orders", new HttpEntity<>(json, headers), String.class);
    }
}
