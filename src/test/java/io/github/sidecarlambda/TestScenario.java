package io.github.sidecarlambda;

import java.nio.charset.StandardCharsets;

import io.github.sidecarlambda.emulator.AwsEmulator;
import io.github.sidecarlambda.emulator.FunctionSpec;
import io.github.sidecarlambda.emulator.SeedScenario;

import static io.github.sidecarlambda.emulator.SeedScenario.CUSTOMER_ACCOUNT;
import static io.github.sidecarlambda.emulator.SeedScenario.EXTERNAL_ID;
import static io.github.sidecarlambda.emulator.SeedScenario.PLATFORM_ACCOUNT;
import static io.github.sidecarlambda.emulator.SeedScenario.PLATFORM_ROLE_ARN;
import static io.github.sidecarlambda.emulator.SeedScenario.REGION;

/**
 * The seed's scenario plus what the component's tests need: a second customer (globex) with functions for every
 * Lambda behaviour, a role that does not trust the platform, a parameter with a wrong External ID, and a function the
 * acme role may not invoke.
 */
final class TestScenario {

    static final String ACME_ROLE = SeedScenario.CUSTOMER_ROLE_ARN;
    static final String ACME_KEY = "acme/prod/trustKey";
    static final String ACME_WRONG_KEY = "acme/staging/trustKey";
    static final String ACME_WRONG_EXTERNAL_ID = "staging-id-that-the-role-does-not-trust";
    static final String ACME_MISSING_KEY = "acme/dev/trustKey";
    static final String ACME_UNTRUSTING_ROLE = "arn:aws:iam::641769673540:role/Boomi_sidecar_connector_untrusting";
    static final String ACME_RESTRICTED_FUNCTION = "Restricted";

    static final String GLOBEX_ACCOUNT = "222233334444";
    static final String GLOBEX_ROLE = "arn:aws:iam::222233334444:role/tenants/Boomi_sidecar_connector_globex";
    static final String GLOBEX_KEY = "globex/prod/trustKey";
    static final String GLOBEX_EXTERNAL_ID = "globex-external-id-7f3a9c";

    /** Many small tenants in one account: each its own role, External ID and parameter, sharing function "Echo". */
    static final String MANY_ACCOUNT = "333344445555";

    static final int MANY = 25;

    static String manyRole(int i) {
        return "arn:aws:iam::" + MANY_ACCOUNT + ":role/Boomi_sidecar_connector_t" + i;
    }

    static String manyKey(int i) {
        return "t" + i + "/prod/trustKey";
    }

    static String manyExternalId(int i) {
        return "tenant-" + i + "-external-id-q7";
    }

    static String many(int i) {
        return "sidecar-lambda:arn:aws:lambda:us-east-1:" + MANY_ACCOUNT + ":function:Echo?roleArn=" + manyRole(i)
                + "&externalIdKey=" + manyKey(i);
    }

    private TestScenario() {}

    static AwsEmulator.Builder builder() {
        AwsEmulator.Builder b = SeedScenario.builder();
        b.account(MANY_ACCOUNT, a -> {
            for (int i = 0; i < MANY; i++) {
                a.role(
                        "/",
                        "Boomi_sidecar_connector_t" + i,
                        SeedScenario.trustPolicy(PLATFORM_ROLE_ARN, manyExternalId(i)),
                        SeedScenario.invokePolicy("arn:aws:lambda:us-east-1:" + MANY_ACCOUNT + ":function:*"));
            }
        });
        for (int i = 0; i < MANY; i++) {
            b.parameter(PLATFORM_ACCOUNT, REGION, "/" + manyKey(i), manyExternalId(i), true);
        }
        b.function(FunctionSpec.of(MANY_ACCOUNT, REGION, "Echo", (payload, ctx) -> payload));
        return b.account(
                        CUSTOMER_ACCOUNT,
                        a -> a.role(
                                "/",
                                "Boomi_sidecar_connector_untrusting",
                                SeedScenario.trustPolicy("arn:aws:iam::111111111111:role/java_proxy", EXTERNAL_ID),
                                SeedScenario.invokePolicy(SeedScenario.FUNCTION_ARN)))
                .account(
                        GLOBEX_ACCOUNT,
                        a -> a.role(
                                "/tenants/",
                                "Boomi_sidecar_connector_globex",
                                SeedScenario.trustPolicy(PLATFORM_ROLE_ARN, GLOBEX_EXTERNAL_ID),
                                SeedScenario.invokePolicy("arn:aws:lambda:us-east-1:222233334444:function:*")))
                .parameter(PLATFORM_ACCOUNT, REGION, "/" + ACME_WRONG_KEY, ACME_WRONG_EXTERNAL_ID, true)
                .parameter(PLATFORM_ACCOUNT, REGION, "/" + GLOBEX_KEY, GLOBEX_EXTERNAL_ID, true)
                .function(
                        FunctionSpec.of(CUSTOMER_ACCOUNT, REGION, ACME_RESTRICTED_FUNCTION, (payload, ctx) -> payload))
                .function(FunctionSpec.of(GLOBEX_ACCOUNT, REGION, "Echo", (payload, ctx) -> payload)
                        .version("1", (payload, ctx) -> "{\"version\":1}".getBytes(StandardCharsets.UTF_8))
                        .alias("live", "1"))
                // answers {"received":<the payload bytes as they arrived>}: what a test gets back shows what reached
                // Lambda, byte for byte, and that the body it sees is Lambda's answer, not its own input
                .function(FunctionSpec.of(GLOBEX_ACCOUNT, REGION, "Wrap", (payload, ctx) -> {
                    byte[] head = "{\"received\":".getBytes(StandardCharsets.UTF_8);
                    byte[] out = new byte[head.length + payload.length + 1];
                    System.arraycopy(head, 0, out, 0, head.length);
                    System.arraycopy(payload, 0, out, head.length, payload.length);
                    out[out.length - 1] = '}';
                    return out;
                }))
                .function(FunctionSpec.of(GLOBEX_ACCOUNT, REGION, "Binary", (payload, ctx) ->
                        new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, (byte) 0xc3}))
                .function(FunctionSpec.of(
                        GLOBEX_ACCOUNT,
                        REGION,
                        "Caller",
                        (payload, ctx) ->
                                ("{\"caller\":\"" + ctx.callerArn() + "\"}").getBytes(StandardCharsets.UTF_8)))
                .function(FunctionSpec.of(
                        GLOBEX_ACCOUNT,
                        REGION,
                        "Context",
                        (payload, ctx) -> (ctx.clientContextJson() == null ? "null" : ctx.clientContextJson())
                                .getBytes(StandardCharsets.UTF_8)))
                .function(FunctionSpec.of(GLOBEX_ACCOUNT, REGION, "Slow", (payload, ctx) -> payload)
                        .latency(java.time.Duration.ofSeconds(3)))
                .function(FunctionSpec.of(GLOBEX_ACCOUNT, REGION, "TwoHundredMillis", (payload, ctx) -> payload)
                        .latency(java.time.Duration.ofMillis(200)))
                .function(FunctionSpec.of(GLOBEX_ACCOUNT, REGION, "Fail", (payload, ctx) -> {
                    throw new IllegalStateException("order 42 rejected");
                }))
                .function(FunctionSpec.of(GLOBEX_ACCOUNT, REGION, "Logger", (payload, ctx) -> {
                    ctx.log("processing order 42");
                    ctx.log("done");
                    return "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
                }));
    }
}
