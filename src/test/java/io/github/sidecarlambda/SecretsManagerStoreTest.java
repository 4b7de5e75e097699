package io.github.sidecarlambda;

import java.time.Duration;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.sidecarlambda.emulator.SeedScenario;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code externalIdStore=secretsManager}: the External ID comes from Secrets Manager (GetSecretValue, AWSCURRENT)
 * instead of Parameter Store, with the same caching; when STS denies the current value, AWSPREVIOUS is tried once, so
 * a rotation the customer does not trust yet costs no failed exchange.
 */
class SecretsManagerStoreTest extends SidecarLambdaTestSupport {

    static final String ROTATED = "globex-rotated-in-secrets-manager-01";

    @BeforeAll
    static void secrets() {
        emulator.putSecret(
                SeedScenario.PLATFORM_ACCOUNT, SeedScenario.REGION, TestScenario.ACME_KEY, SeedScenario.EXTERNAL_ID);
        emulator.putSecret(
                SeedScenario.PLATFORM_ACCOUNT,
                SeedScenario.REGION,
                TestScenario.GLOBEX_KEY,
                TestScenario.GLOBEX_EXTERNAL_ID);
        SECRETS.add(ROTATED);
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:acme").to(acme() + "&externalIdStore=secretsManager");
                from("direct:missing")
                        .to("sidecar-lambda:SideCarJsonResponse?roleArn=" + TestScenario.ACME_ROLE + "&externalIdKey="
                                + TestScenario.ACME_MISSING_KEY + "&externalIdStore=secretsManager");
                // re-reads the External ID at every refresh, so a rotation is seen at the next one
                from("direct:globex").to(globex("Echo") + "&externalIdStore=secretsManager&externalIdCacheTtl=0");
            }
        };
    }

    @Test
    void invokesWithTheExternalIdFromSecretsManagerReadOnce() {
        for (int i = 0; i < 3; i++) {
            assertThat(template.requestBody("direct:acme", "{\"n\":" + i + "}", String.class))
                    .contains("\"n\":" + i);
        }
        assertThat(emulator.count("secretsmanager", "GetSecretValue", true)).isEqualTo(1);
        assertThat(emulator.count("ssm", "GetParameter")).isZero();
        assertThat(emulator.count("sts", "AssumeRole", true)).isEqualTo(1);
        assertThat(emulator.calls())
                .filteredOn(c -> c.service().equals("secretsmanager"))
                .extracting(c -> c.resource())
                .singleElement()
                .asString()
                .matches("arn:aws:secretsmanager:us-east-1:809167139867:secret:acme/prod/trustKey-[A-Za-z0-9]{6}");
    }

    @Test
    void aMissingSecretIsNamedWithItsStore() {
        Exchange result = template.request("direct:missing", e -> e.getMessage().setBody("{}"));
        assertThat(result.getException()).isInstanceOfSatisfying(ExternalIdUnavailableException.class, e -> {
            assertThat(e.getReason()).isEqualTo(ExternalIdUnavailableException.Reason.NOT_FOUND);
            assertThat(e.getMessage())
                    .contains("External ID secret acme/dev/trustKey was not found in Secrets Manager");
        });
        assertThat(emulator.count("sts", "AssumeRole")).isZero();
    }

    @Test
    void aRotationTheCustomerDoesNotTrustYetFallsBackToAwsPreviousWithoutAFailedExchange() {
        try {
            assertThat(template.requestBody("direct:globex", "{\"n\":1}", String.class))
                    .contains("\"n\":1");
            // the operator rotates first: AWSCURRENT is the new value, AWSPREVIOUS the one the customer trusts
            emulator.putSecret(SeedScenario.PLATFORM_ACCOUNT, SeedScenario.REGION, TestScenario.GLOBEX_KEY, ROTATED);
            emulator.clock().advance(Duration.ofMinutes(61));
            assertThat(template.requestBody("direct:globex", "{\"n\":2}", String.class))
                    .contains("\"n\":2");
            // denied with AWSCURRENT, then allowed with AWSPREVIOUS
            assertThat(emulator.count("sts", "AssumeRole", true)).isEqualTo(2);
            assertThat(emulator.count("sts", "AssumeRole", false)).isEqualTo(3);
            assertThat(emulator.calls())
                    .filteredOn(c -> c.operation().equals("GetSecretValue"))
                    .hasSize(3);

            // the customer trusts the new value; at the next refresh it is used directly
            emulator.updateTrustPolicy(
                    TestScenario.GLOBEX_ROLE, SeedScenario.trustPolicy(SeedScenario.PLATFORM_ROLE_ARN, ROTATED));
            emulator.resetCounters();
            emulator.clock().advance(Duration.ofMinutes(61));
            assertThat(template.requestBody("direct:globex", "{\"n\":3}", String.class))
                    .contains("\"n\":3");
            assertThat(emulator.count("sts", "AssumeRole", false)).isEqualTo(1);
            assertThat(emulator.count("sts", "AssumeRole", true)).isEqualTo(1);
        } finally {
            emulator.updateTrustPolicy(
                    TestScenario.GLOBEX_ROLE,
                    SeedScenario.trustPolicy(SeedScenario.PLATFORM_ROLE_ARN, TestScenario.GLOBEX_EXTERNAL_ID));
            emulator.putSecret(
                    SeedScenario.PLATFORM_ACCOUNT,
                    SeedScenario.REGION,
                    TestScenario.GLOBEX_KEY,
                    TestScenario.GLOBEX_EXTERNAL_ID);
        }
    }
}
