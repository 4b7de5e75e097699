package io.github.sidecarlambda;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.spi.annotations.DevConsole;
import org.apache.camel.support.console.AbstractDevConsole;
import org.apache.camel.util.json.JsonObject;

/**
 * Camel dev console {@code sidecar-lambda}: the cached tenants of every sidecar-lambda component, their credentials'
 * expiry, last refresh and last failure. Names and times only, never a secret.
 */
@DevConsole(
        name = "sidecar-lambda",
        displayName = "Sidecar Lambda",
        description = "Cached tenants and their credentials")
public class SidecarLambdaDevConsole extends AbstractDevConsole {

    public SidecarLambdaDevConsole() {
        super("camel", "sidecar-lambda", "Sidecar Lambda", "Cached tenants and their credentials");
    }

    private List<SidecarLambdaComponent> components() {
        List<SidecarLambdaComponent> out = new ArrayList<>();
        for (String name : getCamelContext().getComponentNames()) {
            if (getCamelContext().hasComponent(name) instanceof SidecarLambdaComponent c) {
                out.add(c);
            }
        }
        return out;
    }

    @Override
    protected String doCallText(Map<String, Object> options) {
        StringBuilder sb = new StringBuilder();
        for (SidecarLambdaComponent c : components()) {
            sb.append("Component: sidecar-lambda")
                    .append(" (")
                    .append(c.getCachedTenants())
                    .append(" tenants cached)\n");
            for (String tenant : c.getTenants()) {
                sb.append("    ").append(tenant).append('\n');
            }
        }
        return sb.toString();
    }

    @Override
    protected Map<String, Object> doCallJson(Map<String, Object> options) {
        JsonObject root = new JsonObject();
        List<JsonObject> list = new ArrayList<>();
        for (SidecarLambdaComponent c : components()) {
            JsonObject jo = new JsonObject();
            jo.put("cachedTenants", c.getCachedTenants());
            jo.put("tenants", List.of(c.getTenants()));
            list.add(jo);
        }
        root.put("components", list);
        return root;
    }
}
