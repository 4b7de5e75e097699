package io.github.sidecarlambda;

import java.time.Duration;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;
import software.amazon.awssdk.services.lambda.LambdaAsyncClientBuilder;
import software.amazon.awssdk.utils.IoUtils;

/**
 * Invoke a customer's AWS Lambda function across accounts: assume the customer's role with an External ID kept in
 * SSM Parameter Store, cache the temporary credentials, and invoke without blocking a thread.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "sidecar-lambda", title = "Sidecar Lambda",
             syntax = "sidecar-lambda:function", producerOnly = true,
             category = { Category.CLOUD, Category.SERVERLESS }, headersClass = SidecarLambdaConstants.class)
public class SidecarLambdaEndpoint extends DefaultEndpoint {

    @UriPath(description = "The function to invoke: a name, name:alias, a partial ARN (account:function:name) or a full ARN. Passed to Lambda unchanged.")
    @Metadata(required = true)
    private String function;
    @UriParam
    private SidecarLambdaConfiguration configuration;

    private SidecarLambdaConfiguration.Validated validated;
    private AssumedRoleCredentials credentials;
    private LambdaAsyncClient lambda;
    private SdkAsyncHttpClient httpClient;

    public SidecarLambdaEndpoint(String uri, SidecarLambdaComponent component, SidecarLambdaConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    /** Checks every option; called when the endpoint is created, before any AWS call. */
    void validate() {
        validated = configuration.validate(function);
    }

    @Override
    public Producer createProducer() {
        return new SidecarLambdaProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("sidecar-lambda is a producer only: use it in to(), not from()");
    }

    @Override
    public SidecarLambdaComponent getComponent() {
        return (SidecarLambdaComponent) super.getComponent();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (validated == null) {
            validate();
        }
        String region = validated.region() != null ? validated.region() : regionFromChain("region");
        String ssmRegion = configuration.getParameterStoreRegion() != null
                ? configuration.getParameterStoreRegion() : regionFromChain("parameterStoreRegion");
        TenantKey key = new TenantKey(
                configuration.getBaseCredentialsProvider(), validated.roleArn(), validated.parameterName(), region,
                ssmRegion, validated.stsEndpoint(), validated.ssmEndpoint(), configuration.getRoleSessionName(),
                Duration.ofMillis(configuration.getSessionDuration()),
                Duration.ofMillis(configuration.getExternalIdCacheTtl()), Duration.ofMillis(configuration.getStaleTime()),
                Duration.ofMillis(configuration.getPrefetchTime()), configuration.isAsyncCredentialRefresh());
        credentials = getComponent().credentialsRegistry().acquire(key);

        Duration timeout = Duration.ofMillis(configuration.getApiCallTimeout());
        httpClient = NettyNioAsyncHttpClient.builder()
                .eventLoopGroup(getComponent().eventLoops())
                .maxConcurrency(configuration.getMaxConcurrency())
                .readTimeout(timeout)
                .writeTimeout(Duration.ofSeconds(60))
                .build();
        LambdaAsyncClientBuilder builder = LambdaAsyncClient.builder()
                .region(Region.of(region))
                // the SDK closes a closeable provider with the client; these credentials are shared with other
                // endpoints of the tenant and released through the registry, so hand the client a view it cannot close
                .credentialsProvider(() -> credentials.resolveCredentials())
                .httpClient(httpClient)
                .overrideConfiguration(o -> o.apiCallTimeout(timeout));
        if (validated.lambdaEndpoint() != null) {
            builder.endpointOverride(validated.lambdaEndpoint());
        }
        lambda = builder.build();
    }

    private static String regionFromChain(String option) {
        try {
            return new DefaultAwsRegionProviderChain().getRegion().id();
        } catch (SdkClientException e) {
            throw new SidecarLambdaConfigurationException(option,
                    "not set, and the AWS SDK region chain (AWS_REGION, aws.region, profile, instance metadata) found "
                                                                  + "no region; set " + option + "=<region>, e.g. us-east-1",
                    e);
        }
    }

    @Override
    protected void doStop() throws Exception {
        // close only what this endpoint created; shared credentials are released, and closed by their last user
        IoUtils.closeQuietly(lambda, null);
        IoUtils.closeQuietly(httpClient, null);
        lambda = null;
        httpClient = null;
        if (credentials != null) {
            getComponent().credentialsRegistry().release(credentials);
            credentials = null;
        }
        super.doStop();
    }

    LambdaAsyncClient lambda() {
        return lambda;
    }

    AssumedRoleCredentials credentials() {
        return credentials;
    }

    SidecarLambdaConfiguration.Validated validated() {
        return validated;
    }

    public String getFunction() {
        return function;
    }

    public void setFunction(String function) {
        this.function = function;
    }

    public SidecarLambdaConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(SidecarLambdaConfiguration configuration) {
        this.configuration = configuration;
    }
}
