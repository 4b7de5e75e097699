package io.github.sidecarlambda;

import java.time.Clock;
import java.util.Map;
import java.util.Set;

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

    /**
     * URI parameter names that would put a secret into a URI: anything naming an External ID (but the key), a
     * secret, a token, a password or an access key. Refused before Camel parses or logs the parameters.
     */
    private static final Set<String> OWN_OPTIONS = Set.of("externalidkey", "externalidcachettl");

    static boolean isSecretParameter(String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT).replace("_", "").replace("-", "");
        if (OWN_OPTIONS.contains(n)) {
            return false;
        }
        return n.contains("externalid") || n.contains("secret") || n.contains("token") || n.contains("password")
               || n.contains("accesskey");
    }

    static {
        // Camel masks URI parameters whose names contain its sensitive keywords; "externalId" is not one of them
        org.apache.camel.util.URISupport.addSanitizeKeywords("externalid");
    }

    /**
     * Runs work that may block on Parameter Store or STS (the one retry after an ExpiredTokenException, which assumes
     * the role again) off the SDK's response threads, so one tenant's refresh never stalls other responses.
     */
    private java.util.concurrent.ExecutorService controlPlane;

    /** Netty event loops shared by every endpoint's HTTP client (the SDK never closes a group it was given). */
    private software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup eventLoops;

    private final AssumedRoleCredentialsRegistry credentials = new AssumedRoleCredentialsRegistry(Clock.systemUTC());

    /** At DEBUG this AWS SDK logger prints every canonical request, session token header included. */
    static final String SDK_SIGNER_LOGGER = "software.amazon.awssdk.http.auth.aws.internal.signer.DefaultV4RequestSigner";

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SidecarLambdaComponent.class);

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (org.slf4j.LoggerFactory.getLogger(SDK_SIGNER_LOGGER).isDebugEnabled()) {
            LOG.warn("Logger {} is at DEBUG: the AWS SDK then logs the canonical form of every request, including the "
                     + "session token of the customer's assumed-role credentials. Set it to INFO.", SDK_SIGNER_LOGGER);
        }
    }

    @Override
    public Endpoint createEndpoint(String uri) throws Exception {
        refuseSecrets(uri, Map.of());
        return super.createEndpoint(uri);
    }

    @Override
    public Endpoint createEndpoint(String uri, Map<String, Object> properties) throws Exception {
        refuseSecrets(uri, properties);
        return super.createEndpoint(uri, properties);
    }

    /** Before Camel parses (and TRACE-logs, and echoes as unknown) the parameters: refuse any that names a secret. */
    private static void refuseSecrets(String uri, Map<String, Object> properties) {
        java.util.List<String> names = new java.util.ArrayList<>(properties == null ? Set.of() : properties.keySet());
        int query = uri.indexOf('?');
        if (query >= 0) {
            for (String parameter : uri.substring(query + 1).split("&")) {
                names.add(parameter.split("=", 2)[0]);
            }
        }
        for (String name : names) {
            if (isSecretParameter(name)) {
                throw new SidecarLambdaConfigurationException(name,
                        "secrets are never accepted in an endpoint URI: the External ID is read from Parameter Store "
                                                                    + "(set externalIdKey), and the platform identity comes from the AWS SDK "
                                                                    + "credential chain or baseCredentialsProvider (value not shown)");
            }
        }
    }

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

    synchronized java.util.concurrent.ExecutorService controlPlane() {
        if (controlPlane == null) {
            controlPlane = getCamelContext().getExecutorServiceManager().newCachedThreadPool(this,
                    "SidecarLambdaControlPlane");
        }
        return controlPlane;
    }

    /** The event loops for the endpoints' Netty clients: one set per component, not one per endpoint. */
    synchronized software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup eventLoops() {
        if (eventLoops == null) {
            eventLoops = software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup.builder().build();
        }
        return eventLoops;
    }

    @Override
    protected void doStop() throws Exception {
        synchronized (this) {
            if (eventLoops != null) {
                eventLoops.eventLoopGroup().shutdownGracefully();
                eventLoops = null;
            }
            if (controlPlane != null) {
                getCamelContext().getExecutorServiceManager().shutdown(controlPlane);
                controlPlane = null;
            }
        }
        super.doStop();
    }

    AssumedRoleCredentialsRegistry credentialsRegistry() {
        return credentials;
    }
}
