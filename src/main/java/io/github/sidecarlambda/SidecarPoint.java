package io.github.sidecarlambda;

/** Where a sidecar function runs around the API call: before the backend (pre) or after it (post). */
public enum SidecarPoint {
    PreProcessor,
    PostProcessor
}
