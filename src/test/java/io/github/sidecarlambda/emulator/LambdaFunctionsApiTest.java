package io.github.sidecarlambda.emulator;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;
import software.amazon.awssdk.services.lambda.model.ListFunctionsResponse;

import static io.github.sidecarlambda.emulator.SeedScenario.CUSTOMER_ACCOUNT;
import static io.github.sidecarlambda.emulator.SeedScenario.REGION;
import static io.github.sidecarlambda.emulator.TestClients.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/** Lambda GetFunction and ListFunctions (a preflight or health check), through LambdaClient. */
class LambdaFunctionsApiTest {
    static final String READER_ARN = "arn:aws:iam::" + CUSTOMER_ACCOUNT + ":user/reader";
    static final String INVOKER_ARN = "arn:aws:iam::" + CUSTOMER_ACCOUNT + ":user/invoker";
    static final String PREFIX = "arn:aws:lambda:us-east-1:" + CUSTOMER_ACCOUNT + ":function:";
    static AwsEmulator emu;

    @BeforeAll
    static void start() {
        AwsEmulator.Builder b = SeedScenario.builder()
                .account(
                        CUSTOMER_ACCOUNT,
                        a -> a.user(
                                        "reader",
                                        "AKIAREADER0000000001",
                                        "r".repeat(40),
                                        "{\"Statement\":[{\"Effect\":\"Allow\","
                                                + "\"Action\":[\"lambda:GetFunction\",\"lambda:ListFunctions\"],\"Resource\":\"*\"}]}")
                                .user(
                                        "invoker",
                                        "AKIAINVOKER000000001",
                                        "i".repeat(40),
                                        SeedScenario.invokePolicy(SeedScenario.FUNCTION_ARN)))
                .function(FunctionSpec.of(CUSTOMER_ACCOUNT, REGION, "Versioned", (p, c) -> p)
                        .version("1", (p, c) -> p)
                        .alias("live", "1")
                        .reservedConcurrency(5))
                .function(FunctionSpec.of(CUSTOMER_ACCOUNT, "eu-west-1", "Elsewhere", (p, c) -> p));
        for (int i = 0; i < 55; i++) {
            b.function(FunctionSpec.of(CUSTOMER_ACCOUNT, REGION, String.format("F%02d", i), (p, c) -> p));
        }
        emu = b.start();
    }

    @AfterAll
    static void stop() {
        emu.close();
    }

    @Test
    void getFunctionByNameArnAndQualifier() {
        try (LambdaClient lambda = TestClients.lambda(emu.endpoint(), emu.credentialsFor(READER_ARN))) {
            GetFunctionResponse r = lambda.getFunction(b -> b.functionName(SeedScenario.FUNCTION_NAME));
            assertThat(r.configuration().functionName()).isEqualTo(SeedScenario.FUNCTION_NAME);
            assertThat(r.configuration().functionArn()).isEqualTo(SeedScenario.FUNCTION_ARN);
            assertThat(r.configuration().version()).isEqualTo("$LATEST");
            assertThat(r.configuration().stateAsString()).isEqualTo("Active");
            assertThat(r.concurrency()).isNull();

            GetFunctionResponse live =
                    lambda.getFunction(b -> b.functionName(PREFIX + "Versioned").qualifier("live"));
            assertThat(live.configuration().version()).isEqualTo("1");
            assertThat(live.configuration().functionArn()).isEqualTo(PREFIX + "Versioned:live");
            assertThat(live.concurrency().reservedConcurrentExecutions()).isEqualTo(5);

            assertError(
                    () -> lambda.getFunction(b -> b.functionName("Missing")),
                    "ResourceNotFoundException",
                    404,
                    "Function not found: " + PREFIX + "Missing");
            assertError(
                    () -> lambda.getFunction(b -> b.functionName("Versioned:9")),
                    "ResourceNotFoundException",
                    404,
                    null);
        }
    }

    @Test
    void getFunctionNeedsItsOwnPermission() {
        // lambda:InvokeFunction on the function does not include lambda:GetFunction
        try (LambdaClient lambda = TestClients.lambda(emu.endpoint(), emu.credentialsFor(INVOKER_ARN))) {
            assertThat(lambda.invoke(b -> b.functionName(SeedScenario.FUNCTION_NAME))
                            .statusCode())
                    .isEqualTo(200);
            assertError(
                    () -> lambda.getFunction(b -> b.functionName(SeedScenario.FUNCTION_NAME)),
                    "AccessDeniedException",
                    403,
                    "User: " + INVOKER_ARN + " is not authorized to perform: lambda:GetFunction on resource: "
                            + SeedScenario.FUNCTION_ARN
                            + " because no identity-based policy allows the lambda:GetFunction action");
            assertError(
                    () -> lambda.listFunctions(),
                    "AccessDeniedException",
                    403,
                    "is not authorized to perform: lambda:ListFunctions on resource: *");
        }
    }

    @Test
    void listFunctionsPagesWithMarker() {
        try (LambdaClient lambda = TestClients.lambda(emu.endpoint(), emu.credentialsFor(READER_ARN))) {
            ListFunctionsResponse first = lambda.listFunctions();
            assertThat(first.functions()).hasSize(50); // AWS returns at most 50 a page
            assertThat(first.nextMarker()).isNotBlank();
            List<String> names = new ArrayList<>();
            String marker = null;
            int pages = 0;
            do {
                String m = marker;
                ListFunctionsResponse page =
                        lambda.listFunctions(b -> b.maxItems(20).marker(m));
                assertThat(page.functions().size()).isLessThanOrEqualTo(20);
                page.functions().stream()
                        .map(FunctionConfiguration::functionName)
                        .forEach(names::add);
                marker = page.nextMarker();
                pages++;
            } while (marker != null);
            assertThat(pages).isEqualTo(3);
            assertThat(names)
                    .hasSize(57)
                    .doesNotHaveDuplicates()
                    .isSorted()
                    .contains(SeedScenario.FUNCTION_NAME, "Versioned", "F00", "F54")
                    .doesNotContain("Elsewhere");
            // the SDK's paginator follows NextMarker the same way
            assertThat(lambda.listFunctionsPaginator().functions()).hasSize(57);
            assertError(() -> lambda.listFunctions(b -> b.maxItems(0)), "ValidationException", 400, "maxItems");
        }
    }
}
