package io.github.sidecarlambda;

import java.time.Clock;
import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.HealthCheckComponent;

/**
 * The {@code sidecar-lambda:} component: invokes a customer's AWS Lambda function in the customer's account by
 * assuming a role the customer created for the platform, with an External ID read from SSM Parameter Store. Holds the
 * default options (each endpoint gets a copy) and the credentials shared by endpoints of the same tenant.
 */
@Component("sidecar-lambda")
public class SidecarLambdaComponent extends HealthCheckComponent {

    @Metadata(description = "Default options for every endpoint of this component.")
    private SidecarLambdaConfiguration configuration = new SidecarLambdaConfiguration();

    private final AssumedRoleCredentialsRegistry credentials = new AssumedRoleCredentialsRegistry(Clock.systemUTC());

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        SidecarLambdaEndpoint endpoint = new SidecarLambdaEndpoint(uri, this, configuration.copy());
        endpoint.setFunction(remaining);
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }

    public SidecarLambdaConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(SidecarLambdaConfiguration configuration) {
        this.configuration = configuration;
    }

    AssumedRoleCredentialsRegistry credentialsRegistry() {
        return credentials;
    }
}
