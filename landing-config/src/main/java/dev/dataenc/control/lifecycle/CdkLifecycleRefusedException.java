package dev.dataenc.control.lifecycle;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.error.DataEncException;

/**
 * A CDK lifecycle step (retire, destroy) was refused; nothing changed. The message says why and
 * what to do first.
 */
public class CdkLifecycleRefusedException extends DataEncException {

    private final transient CdkId cdkId;

    public CdkLifecycleRefusedException(CdkId cdkId, String message) {
        super(message);
        this.cdkId = cdkId;
    }

    /** The CDK concerned. */
    public CdkId cdkId() {
        return cdkId;
    }
}
