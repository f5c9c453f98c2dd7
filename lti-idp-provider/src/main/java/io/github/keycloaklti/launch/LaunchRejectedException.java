package io.github.keycloaklti.launch;

import java.util.Arrays;

/**
 * A login initiation or launch refused for a named reason. {@code params} fill the error's message
 * (values the admin needs, such as the deployment id); they must never contain a token.
 */
public class LaunchRejectedException extends RuntimeException {

    private final LaunchError error;
    private final transient Object[] params;

    public LaunchRejectedException(LaunchError error, Object... params) {
        super(error.code() + " " + Arrays.toString(params), null, false, false);
        this.error = error;
        this.params = params;
    }

    public LaunchRejectedException(LaunchError error, Throwable cause, Object... params) {
        super(error.code() + " " + Arrays.toString(params), cause, false, false);
        this.error = error;
        this.params = params;
    }

    public LaunchError error() {
        return error;
    }

    public Object[] params() {
        return params.clone();
    }
}
