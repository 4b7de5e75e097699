package io.github.sidecarlambda.emulator;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.lambda.LambdaClient;

import static org.assertj.core.api.Assertions.assertThat;

/** The sidecar behaviours, reached through a seed file and invoked with the unmodified SDK client. */
class SidecarHandlersTest {

    @Test
    void seedFileSidecarBehavioursAnswerLikeTheContractsSampleFunctions(@TempDir Path dir) throws Exception {
        Path seed = dir.resolve("seed.json");
        Files.writeString(
                seed,
                "{\"accounts\":[{\"id\":\"222222222222\",\"users\":[{\"name\":\"u\",\"accessKeyId\":\"AKIAU000000000000001\","
                        + "\"secretAccessKey\":\"s0000000000000000000000000000000000000000\",\"permissionPolicies\":[{\"Statement\":"
                        + "{\"Effect\":\"Allow\",\"Action\":\"lambda:*\",\"Resource\":\"*\"}}]}]}],\"functions\":["
                        + "{\"account\":\"222222222222\",\"name\":\"A\",\"behaviour\":\"sidecar-allow\"},"
                        + "{\"account\":\"222222222222\",\"name\":\"T\",\"behaviour\":\"sidecar-terminate\",\"code\":\"451\",\"message\":\"no\"},"
                        + "{\"account\":\"222222222222\",\"name\":\"M\",\"behaviour\":\"sidecar-modify\"},"
                        + "{\"account\":\"222222222222\",\"name\":\"C\",\"behaviour\":\"sidecar-complete\",\"code\":\"202\"},"
                        + "{\"account\":\"222222222222\",\"name\":\"P\",\"behaviour\":\"sidecar-post-modify\",\"code\":\"299\"}]}");
        String pre = "{\"masheryMessageId\":\"m-1\",\"point\":\"PreProcessor\",\"synchronicity\":\"RequestResponse\","
                + "\"request\":{\"headers\":{},\"payload\":\"hi\"}}";
        String post = "{\"masheryMessageId\":\"m-2\",\"point\":\"PostProcessor\",\"synchronicity\":\"RequestResponse\","
                + "\"response\":{\"code\":201,\"headers\":{}}}";
        try (AwsEmulator e = AwsEmulator.builder().seedFile(seed).start();
                LambdaClient lambda =
                        TestClients.lambda(e.endpoint(), e.credentialsFor("arn:aws:iam::222222222222:user/u"))) {
            assertThat(answer(lambda, "A", pre)).isEqualTo("{}");
            assertThat(answer(lambda, "T", pre))
                    .isEqualTo(
                            "{\"terminate\":{\"code\":451,\"message\":\"no\",\"headers\":{\"x-sidecar-decision\":\"terminated\"}}}");
            assertThat(answer(lambda, "M", pre))
                    .isEqualTo(
                            "{\"modify\":{\"addHeaders\":{\"x-sidecar-point\":\"PreProcessor\","
                                    + "\"x-sidecar-message-id\":\"m-1\"},\"dropHeaders\":[\"x-drop-me\"],\"json\":{\"wrapped\":\"hi\"}}}");
            assertThat(answer(lambda, "C", pre)).contains("\"completeWithCode\":202");
            assertThat(answer(lambda, "P", post))
                    .isEqualTo(
                            "{\"modify\":{\"code\":299,\"addHeaders\":{\"x-backend-code\":\"201\"},\"dropHeaders\":[\"x-drop-me\"]}}");
            // anything but a sidecar input is a function error, so a miswired test cannot pass by accident
            assertThat(lambda.invoke(b -> b.functionName("A").payload(TestClients.json("{\"x\":1}")))
                            .functionError())
                    .isEqualTo("Unhandled");
        }
    }

    private static String answer(LambdaClient lambda, String function, String input) {
        var r = lambda.invoke(b -> b.functionName(function).payload(TestClients.json(input)));
        assertThat(r.functionError()).isNull();
        return r.payload().asUtf8String();
    }
}
