package io.github.sidecarlambda.sidecar;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.github.sidecarlambda.InvocationType;
import io.github.sidecarlambda.SidecarLambdaConfigurationException;
import io.github.sidecarlambda.SidecarPoint;

/**
 * The sidecar-mode options of one endpoint, checked once when the endpoint is created: everything {@link SidecarMapping}
 * and {@link SidecarInput} need, and nothing else of the endpoint's configuration. {@link #of} rejects a bad value with
 * a {@link SidecarLambdaConfigurationException} that names the option, the rule and the value.
 *
 * @param point          where the function runs: before or after the backend
 * @param synchronicity  RequestResponse (the answer is applied) or Event (sent, the call continues unchanged)
 * @param failSafe       a failed sidecar lets the call continue unchanged instead of answering the error
 * @param timeoutMillis  how long the Invoke may take (sidecarTimeout, else apiCallTimeout)
 * @param maxPayloadBytes the largest payload sent to the function
 * @param filtering      a payload over the limit is left out (true) or answered 413 (false)
 * @param includeRequest request headers sent (lower case), or null for all
 * @param required       request headers that must be present (lower case), or null
 * @param includeResponse response headers sent (lower case), or null for all
 * @param skipResponse   response headers never sent (lower case), or null
 * @param expansions     the optional input elements to send
 * @param params         the sidecarParam.* values, in URI order
 * @param answerCacheSize how many answers with unchangedUntil to keep (0: none)
 */
public record SidecarSettings(
        SidecarPoint point,
        InvocationType synchronicity,
        boolean failSafe,
        long timeoutMillis,
        int maxPayloadBytes,
        boolean filtering,
        Set<String> includeRequest,
        Set<String> required,
        Set<String> includeResponse,
        Set<String> skipResponse,
        Set<Expansion> expansions,
        Map<String, Object> params,
        int answerCacheSize) {

    public static final int MAX_PAYLOAD_KB = 1024;

    /** The input elements sent only when expandInput names them. */
    public enum Expansion {
        requestPayload,
        responsePayload,
        operation,
        remoteAddress,
        eavs,
        packageKeyEAVs,
        token,
        routing
    }

    /**
     * Checks the sidecar options of an endpoint with {@code sidecar=point}; the arguments are the URI options as set.
     *
     * @throws SidecarLambdaConfigurationException naming the option, the rule and the rejected value
     */
    public static SidecarSettings of(
            SidecarPoint point,
            InvocationType synchronicity,
            boolean failSafe,
            long sidecarTimeout,
            long apiCallTimeout,
            int maxPayloadSize,
            String maxPayloadCondition,
            String includeRequestHeaders,
            String requireRequestHeaders,
            String includeResponseHeaders,
            String skipResponseHeaders,
            String expandInput,
            Map<String, Object> params,
            int answerCacheSize) {
        if (synchronicity != InvocationType.RequestResponse && synchronicity != InvocationType.Event) {
            throw new SidecarLambdaConfigurationException(
                    "synchronicity", "must be RequestResponse or Event; was '" + synchronicity + "'");
        }
        if (sidecarTimeout < 0) {
            throw new SidecarLambdaConfigurationException(
                    "sidecarTimeout", "must not be negative; was " + sidecarTimeout + " ms");
        }
        if (maxPayloadSize < 1 || maxPayloadSize > MAX_PAYLOAD_KB) {
            throw new SidecarLambdaConfigurationException(
                    "maxPayloadSize", "must be 1-" + MAX_PAYLOAD_KB + " (KB); was " + maxPayloadSize);
        }
        if (!"blocking".equals(maxPayloadCondition) && !"filtering".equals(maxPayloadCondition)) {
            throw new SidecarLambdaConfigurationException(
                    "maxPayloadCondition", "must be blocking or filtering; was '" + maxPayloadCondition + "'");
        }
        if (answerCacheSize < 0) {
            throw new SidecarLambdaConfigurationException(
                    "answerCacheSize", "must not be negative; was " + answerCacheSize);
        }
        Set<Expansion> expansions = expansions(expandInput);
        if (point == SidecarPoint.PostProcessor && requireRequestHeaders != null) {
            throw new SidecarLambdaConfigurationException(
                    "requireRequestHeaders", "applies to sidecar=PreProcessor only");
        }
        if (point == SidecarPoint.PreProcessor && (includeResponseHeaders != null || skipResponseHeaders != null)) {
            throw new SidecarLambdaConfigurationException(
                    includeResponseHeaders != null ? "includeResponseHeaders" : "skipResponseHeaders",
                    "applies to sidecar=PostProcessor only");
        }
        return new SidecarSettings(
                point,
                synchronicity,
                failSafe,
                sidecarTimeout > 0 ? sidecarTimeout : apiCallTimeout,
                maxPayloadSize * 1024,
                "filtering".equals(maxPayloadCondition),
                names(includeRequestHeaders),
                names(requireRequestHeaders),
                names(includeResponseHeaders),
                names(skipResponseHeaders),
                expansions,
                params == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(params)),
                answerCacheSize);
    }

    private static Set<Expansion> expansions(String list) {
        Set<Expansion> set = EnumSet.noneOf(Expansion.class);
        if (list == null || list.isBlank()) {
            return set;
        }
        for (String item : list.split(",")) {
            String name = item.trim();
            if (name.isEmpty()) {
                continue;
            }
            try {
                set.add(Expansion.valueOf(name));
            } catch (IllegalArgumentException e) {
                throw new SidecarLambdaConfigurationException(
                        "expandInput",
                        "elements are requestPayload, responsePayload, operation, remoteAddress, eavs, packageKeyEAVs, "
                                + "token, routing; was '" + name + "'");
            }
        }
        return set;
    }

    private static Set<String> names(String list) {
        if (list == null || list.isBlank()) {
            return null;
        }
        Set<String> set = new TreeSet<>();
        for (String item : list.split(",")) {
            if (!item.isBlank()) {
                set.add(item.trim().toLowerCase(Locale.ROOT));
            }
        }
        return Collections.unmodifiableSet(set);
    }
}
