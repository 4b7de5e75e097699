package io.github.sidecarlambda.quickstart;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** README's first command runs {@link Quickstart}; this is what it must show. */
class QuickstartTest {

    @Test
    void showsTheInvokeTheCachedCallCountsAndTheClearFailures() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int status = Quickstart.run(new PrintStream(buffer, true, StandardCharsets.UTF_8), Map.of());
        String out = buffer.toString(StandardCharsets.UTF_8);

        assertThat(status).as(out).isZero();
        assertThat(out)
                .contains(
                        "response body : {\"statusCode\":200,\"body\":{\"order\":42},\"function\":\"SideCarJsonResponse\"}")
                .contains("CamelSidecarLambdaStatusCode = 200")
                .contains("CamelSidecarLambdaExecutedVersion = $LATEST")
                .contains("AWS calls for 10 messages: ssm:GetParameter=1 sts:AssumeRole=1 lambda:Invoke=10")
                .contains("AssumeRoleDeniedException:")
                .contains("/acme/staging/trustKey")
                .contains(
                        "SidecarLambdaConfigurationException: roleArn: the role name must start with the prefix 'Boomi_sidecar_connector'")
                .contains("AWS calls made for it: 0")
                .contains("Quickstart finished: OK")
                .doesNotContain("111122223333pqrst")
                .doesNotContain("not-the-trusted-external-id");
    }
}
