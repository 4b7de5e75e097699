package io.github.sidecarlambda.examples.quarkus;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

import io.github.sidecarlambda.emulator.AwsEmulator;
import io.github.sidecarlambda.emulator.SeedScenario;

/**
 * Starts the embedded AWS emulator (STS, SSM, Lambda over real HTTP on 127.0.0.1) with the seed's scenario before
 * Quarkus starts, and gives the application what production gives it: the AWS endpoints (here the emulator's, as
 * {@code camel.component.sidecar-lambda.*-endpoint-override} properties) and the platform identity through the AWS
 * SDK's default credential chain (here the {@code aws.accessKeyId} / {@code aws.secretAccessKey} /
 * {@code aws.sessionToken} system properties of a session of the platform role {@code java_proxy}, where production
 * has the instance profile).
 */
public class AwsEmulatorResource implements QuarkusTestResourceLifecycleManager {

    private static final String[] SDK_PROPERTIES = {"aws.accessKeyId", "aws.secretAccessKey", "aws.sessionToken"};

    private AwsEmulator emulator;

    @Override
    public Map<String, String> start() {
        emulator = SeedScenario.builder().start();
        AwsSessionCredentials platform = (AwsSessionCredentials)
                emulator.credentialsFor(SeedScenario.PLATFORM_ROLE_ARN).resolveCredentials();
        System.setProperty("aws.accessKeyId", platform.accessKeyId());
        System.setProperty("aws.secretAccessKey", platform.secretAccessKey());
        System.setProperty("aws.sessionToken", platform.sessionToken());
        String endpoint = emulator.endpoint().toString();
        return Map.of(
                "camel.component.sidecar-lambda.sts-endpoint-override", endpoint,
                "camel.component.sidecar-lambda.ssm-endpoint-override", endpoint,
                "camel.component.sidecar-lambda.lambda-endpoint-override", endpoint);
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(
                emulator, new TestInjector.AnnotatedAndMatchesType(EmulatedAws.class, AwsEmulator.class));
    }

    @Override
    public void stop() {
        for (String property : SDK_PROPERTIES) {
            System.clearProperty(property);
        }
        if (emulator != null) {
            emulator.close();
        }
    }
}
