package io.github.sidecarlambda.testing;

import org.apache.camel.CamelContext;

import io.github.sidecarlambda.SidecarLambdaComponent;
import io.github.sidecarlambda.SidecarLambdaConfiguration;
import io.github.sidecarlambda.emulator.AwsEmulator;
import io.github.sidecarlambda.emulator.SeedScenario;

/**
 * Gives the {@code sidecar-lambda} component of a CamelContext the operator's environment, played by an
 * {@link AwsEmulator}: the seed's region, the emulator as STS, SSM, Secrets Manager and Lambda endpoint, and the platform role
 * {@code java_proxy} as identity (as an instance profile would provide it). Routes then use the component exactly as
 * in production. Published in the component's {@code testing} jar (and the tests jar), for examples and for users testing their own routes offline.
 */
public final class EmulatorEnvironment {

    private EmulatorEnvironment() {}

    /** Sets the component-level defaults of {@code context}'s sidecar-lambda component. */
    public static void apply(CamelContext context, AwsEmulator emulator) {
        apply(
                context.getComponent("sidecar-lambda", SidecarLambdaComponent.class)
                        .getConfiguration(),
                emulator);
    }

    public static void apply(SidecarLambdaConfiguration config, AwsEmulator emulator) {
        String endpoint = emulator.endpoint().toString();
        config.setRegion(SeedScenario.REGION);
        config.setParameterStoreRegion(SeedScenario.REGION);
        config.setStsEndpointOverride(endpoint);
        config.setSsmEndpointOverride(endpoint);
        config.setSecretsManagerEndpointOverride(endpoint);
        config.setLambdaEndpointOverride(endpoint);
        config.setBaseCredentialsProvider(emulator.credentialsFor(SeedScenario.PLATFORM_ROLE_ARN));
    }
}
