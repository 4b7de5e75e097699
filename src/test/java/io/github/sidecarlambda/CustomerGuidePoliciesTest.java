package io.github.sidecarlambda;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.StsException;

import io.github.sidecarlambda.emulator.AwsEmulator;
import io.github.sidecarlambda.emulator.SeedScenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The policies the customer guide tells customers to paste are valid JSON, and IAM (the emulator's evaluation) lets
 * the platform in with the right External ID, keeps it out without, and allows nothing but invoking the function.
 */
class CustomerGuidePoliciesTest {

    private static final Path GUIDE = Path.of("docs/customer-guide.md");
    private static final String ROLE = "arn:aws:iam::641769673540:role/Boomi_sidecar_connector_guide";

    static AwsEmulator emulator;
    static String trustPolicy;
    static String permissionPolicy;

    @BeforeAll
    static void loadTheGuidesPoliciesIntoIam() throws Exception {
        String guide = Files.readString(GUIDE, StandardCharsets.UTF_8);
        trustPolicy = block(guide, "json trust-policy");
        permissionPolicy = block(guide, "json permission-policy");
        emulator = SeedScenario.builder()
                .account(
                        SeedScenario.CUSTOMER_ACCOUNT,
                        a -> a.role("/", "Boomi_sidecar_connector_guide", trustPolicy, permissionPolicy))
                .start();
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    private static String block(String markdown, String info) {
        Matcher m = Pattern.compile("```" + Pattern.quote(info) + "\\n(.*?)\\n```", Pattern.DOTALL)
                .matcher(markdown);
        assertThat(m.find()).as("a ```%s block in %s", info, GUIDE).isTrue();
        String json = m.group(1);
        assertThat(m.find()).as("exactly one ```%s block", info).isFalse();
        return json;
    }

    @Test
    void everyJsonBlockInTheCustomerAndOperatorGuidesIsValidJson() throws Exception {
        List<String> blocks = new ArrayList<>();
        for (String doc : List.of("docs/customer-guide.md", "docs/operator-guide.md")) {
            Matcher m = Pattern.compile("```json[^\\n]*\\n(.*?)\\n\\s*```", Pattern.DOTALL)
                    .matcher(Files.readString(Path.of(doc), StandardCharsets.UTF_8));
            while (m.find()) {
                blocks.add(m.group(1));
            }
        }
        assertThat(blocks).hasSizeGreaterThanOrEqualTo(3);
        for (String json : blocks) {
            assertThat(JsonNode.parser().parse(json).isObject()).as(json).isTrue();
        }
    }

    private StsClient platformSts() {
        return StsClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(emulator.endpoint())
                .credentialsProvider(emulator.credentialsFor(SeedScenario.PLATFORM_ROLE_ARN))
                .build();
    }

    @Test
    void thePlatformGetsInWithTheExternalIdAndOnlyInvokesTheFunction() {
        Credentials credentials;
        try (StsClient sts = platformSts()) {
            credentials = sts.assumeRole(
                            r -> r.roleArn(ROLE).roleSessionName("guide").externalId("111122223333pqrst"))
                    .credentials();
        }
        try (LambdaClient lambda = LambdaClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(emulator.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(
                        credentials.accessKeyId(), credentials.secretAccessKey(), credentials.sessionToken())))
                .build()) {
            assertThat(lambda.invoke(r -> r.functionName(SeedScenario.FUNCTION_NAME)
                                    .payload(SdkBytes.fromUtf8String("{\"a\":1}")))
                            .statusCode())
                    .isEqualTo(200);
            LambdaException denied = catchThrowableOfType(
                    LambdaException.class,
                    () -> lambda.invoke(r -> r.functionName(SeedScenario.FUNCTION_NAME)
                            .qualifier("$LATEST")
                            .payload(SdkBytes.fromUtf8String("{}"))));
            assertThat(denied.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
        }
    }

    @Test
    void thePlatformIsKeptOutWithoutOrWithAnotherExternalId() {
        try (StsClient sts = platformSts()) {
            StsException without = catchThrowableOfType(
                    StsException.class,
                    () -> sts.assumeRole(r -> r.roleArn(ROLE).roleSessionName("guide")));
            assertThat(without.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
            StsException wrong = catchThrowableOfType(
                    StsException.class,
                    () -> sts.assumeRole(
                            r -> r.roleArn(ROLE).roleSessionName("guide").externalId("another-id-00")));
            assertThat(wrong.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
        }
    }
}
