package dev.dataenc.audit;

import dev.dataenc.error.DataEncException;

/**
 * The audit trail's hash chain is broken: an entry was changed, deleted, reordered or inserted
 * outside dataenc. The message names the first broken entry and what is wrong with it.
 */
public class AuditChainBrokenException extends DataEncException {

    private final long seq;

    /**
     * @param seq    the first broken entry's position
     * @param reason what is wrong with it
     */
    public AuditChainBrokenException(long seq, String reason) {
        super("audit trail broken at seq " + seq + ": " + reason + ". Entries from there on cannot be trusted;"
                + " compare with a backup of the registry or with the audit log lines of dev.dataenc.audit.");
        this.seq = seq;
    }

    /** The first broken entry's position. */
    public long seq() {
        return seq;
    }
}
