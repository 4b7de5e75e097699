package io.github.sidecarlambda.examples.xmldsl;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

import io.github.sidecarlambda.testing.EmulatedAwsTestSupport;

import static org.assertj.core.api.Assertions.assertThat;

class XmlRoutesTest extends EmulatedAwsTestSupport {

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        PluginHelper.getRoutesLoader(context)
                .loadRoutes(ResourceHelper.resolveMandatoryResource(context, "classpath:routes/orders.xml"));
        return context;
    }

    @Test
    void theXmlRouteInvokesTheFunction() {
        Exchange result = template.request("direct:orders", e -> e.getMessage().setBody("{\"order\":7}"));

        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getBody(String.class))
                .isEqualTo("{\"statusCode\":200,\"body\":{\"order\":7},\"function\":\"SideCarJsonResponse\"}");
        assertThat(result.getMessage().getHeader("orderAccepted", Boolean.class))
                .isTrue();
    }
}
