package io.github.sidecarlambda.invoke;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

import io.github.sidecarlambda.InvocationType;

/**
 * How an endpoint maps an exchange to an Invoke and Lambda's answer back to the exchange: {@link PlainMapping} (the
 * body is the payload, the answer becomes the body) or the gateway sidecar contract
 * ({@link io.github.sidecarlambda.sidecar.SidecarMapping}). The producer only gets the credentials, invokes, and hands
 * the outcome to its mapping, in this order: {@link #before}, {@link #wrap}, {@link #invocationType}, {@link #payload},
 * then {@link #onResponse} or a failure through the callback {@link #wrap} returned. A sidecar mapping belongs to its
 * endpoint and is shared by the endpoint's producers; a plain mapping belongs to one producer, which calls
 * {@link #stop} when it stops.
 */
public interface ExchangeMapping {

    /** Before anything is sent: true when the exchange is already finished (refused or answered), nothing is sent. */
    default boolean before(Exchange exchange) {
        return false;
    }

    /** The invocation type when no header sets one; {@code configured} is the endpoint's invocationType option. */
    InvocationType invocationType(InvocationType configured);

    /**
     * The payload to send. A stream is read at most to {@code limit + 1} bytes, so a payload over the limit is
     * refused without being read whole; the producer refuses it.
     */
    byte[] payload(Exchange exchange, long limit) throws Exception;

    /** The callback that finishes the exchange; a mapping may turn a failure into an answer here. */
    default AsyncCallback wrap(Exchange exchange, AsyncCallback done) {
        return done;
    }

    /** Lambda answered (a function error included): the exchange gets the outcome. */
    void onResponse(Exchange exchange, InvokeRequest request, InvokeResponse response);

    /** The producer stopped: release what {@link #payload} started. */
    default void stop() {}
}
