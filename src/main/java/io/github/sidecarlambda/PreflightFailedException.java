package io.github.sidecarlambda;

/**
 * The endpoint option {@code preflight=true} checked the chain at producer start (External ID, AssumeRole, Lambda
 * {@code DryRun}) and a step failed: the route does not start. The message is the whole step-by-step report, with the
 * likely cause and fix of the failed step; {@link #getReport()} gives it as data. Never contains a secret.
 */
public class PreflightFailedException extends SidecarLambdaException {

    private static final long serialVersionUID = 1L;

    private final transient PreflightReport report;

    public PreflightFailedException(PreflightReport report, Throwable cause) {
        super(report.render(), cause);
        this.report = report;
    }

    public PreflightReport getReport() {
        return report;
    }
}
