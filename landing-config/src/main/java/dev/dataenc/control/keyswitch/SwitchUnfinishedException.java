package dev.dataenc.control.keyswitch;

import dev.dataenc.error.DataEncException;

/**
 * A keystore switch job exists but this call could not finish it (the registry or the target keystore
 * failed part way). The job is kept: the switch resumes where it stopped with {@code dataenc switch
 * <target>} or on the next application start, and can be rolled back with {@code dataenc switch --cancel}
 * while its new CDK has encrypted nothing. Whoever started it must not undo the request (e.g. restore a
 * configuration file naming the old keystore): that would switch back after the resume.
 */
public final class SwitchUnfinishedException extends DataEncException {

    private static final long serialVersionUID = 1L;

    private final transient SwitchJob job;

    public SwitchUnfinishedException(SwitchJob job, RuntimeException cause) {
        super("keystore " + job.summary() + " is unfinished: " + cause.getMessage() + ". The job is kept; once the"
                + " cause is fixed resume it with 'dataenc switch " + job.target() + "' (any application start also"
                + " resumes it), or roll it back with 'dataenc switch --cancel' while its new CDK has encrypted nothing.",
                cause);
        this.job = job;
    }

    /** The unfinished job as last read. */
    public SwitchJob job() {
        return job;
    }
}
