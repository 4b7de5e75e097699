package io.github.sidecarlambda.cli;

import java.net.URI;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Where and as whom the tool calls AWS. Without options the AWS SDK's normal configuration applies (default credential
 * and region chains, {@code AWS_PROFILE}, {@code AWS_ENDPOINT_URL*}), as in the component.
 */
final class AwsOptions {

    @Option(
            names = "--endpoint-url",
            paramLabel = "<url>",
            description = "Send every AWS call to this endpoint (e.g. the embedded emulator) instead of AWS's.")
    URI endpointUrl;

    @Option(
            names = "--region",
            paramLabel = "<region>",
            description = "Region of STS and Parameter Store (default: the SDK's region chain).")
    String region;

    @Option(names = "--profile", paramLabel = "<name>", description = "Named profile of the shared AWS config files.")
    String profile;

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    AwsCredentialsProvider credentials() {
        AwsCredentialsProvider override = ((SidecarLambdaCli) mixee.root().userObject()).credentialsOverride();
        if (override != null) {
            return override;
        }
        return profile != null
                ? ProfileCredentialsProvider.create(profile)
                : DefaultCredentialsProvider.builder().build();
    }

    StsClient sts() {
        return configure(StsClient.builder(), region, credentials()).build();
    }

    StsClient sts(AwsCredentialsProvider as) {
        return configure(StsClient.builder(), region, as).build();
    }

    SsmClient ssm() {
        return configure(SsmClient.builder(), region, credentials()).build();
    }

    SecretsManagerClient secretsManager() {
        return configure(SecretsManagerClient.builder(), region, credentials()).build();
    }

    /** Lambda in the function's own region (from its ARN) when known, else {@code --region}. */
    LambdaClient lambda(String functionRegion, AwsCredentialsProvider as) {
        return configure(LambdaClient.builder(), functionRegion != null ? functionRegion : region, as)
                .build();
    }

    private <B extends AwsClientBuilder<B, ?>> B configure(B builder, String regionName, AwsCredentialsProvider as) {
        builder.credentialsProvider(as);
        if (regionName != null) {
            builder.region(Region.of(regionName));
        }
        if (endpointUrl != null) {
            builder.endpointOverride(endpointUrl);
        }
        if (profile != null) {
            builder.overrideConfiguration(c -> c.defaultProfileName(profile));
        }
        if (builder instanceof software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<?, ?> sync) {
            sync.httpClientBuilder(UrlConnectionHttpClient.builder());
        }
        return builder;
    }
}
