package io.github.sidecarlambda;

/**
 * An endpoint option breaks a rule of AWS or of the seed. Raised when the endpoint is created (or started, for values
 * only known then, like the region), always before any AWS call. The message names the option, the rule and the
 * rejected value.
 */
public class SidecarLambdaConfigurationException extends SidecarLambdaException {

    private static final long serialVersionUID = 1L;

    private final String option;

    public SidecarLambdaConfigurationException(String option, String message) {
        super(option + ": " + message);
        this.option = option;
    }

    public SidecarLambdaConfigurationException(String option, String message, Throwable cause) {
        super(option + ": " + message, cause);
        this.option = option;
    }

    /** The name of the endpoint option (or header) that was rejected. */
    public String getOption() {
        return option;
    }

    @Override
    public SidecarLambdaException replay(String note) {
        return new SidecarLambdaConfigurationException(
                option, getMessage().substring(option.length() + 2) + note, getCause());
    }
}
