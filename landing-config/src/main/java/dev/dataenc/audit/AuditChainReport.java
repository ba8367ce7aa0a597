package dev.dataenc.audit;

/**
 * The result of checking the audit trail's hash chain ({@link JdbcAuditTrail#verify()}), when intact.
 *
 * @param chained     entries covered by the chain
 * @param beforeChain entries written before the chain existed (not covered)
 * @param lastSeq     the last chained entry's position, or the anchor when none
 * @param headHash    the chain hash of the last entry (the genesis hash when none): keep it elsewhere
 *                    to detect a rewrite of the whole chain later
 */
public record AuditChainReport(long chained, long beforeChain, long lastSeq, String headHash) {

    /** One line for the CLI. */
    public String line() {
        return "audit trail intact: " + chained + " chained entries up to seq " + lastSeq
                + (beforeChain == 0 ? "" : ", " + beforeChain + " earlier entries from before the chain (not covered)")
                + "; head sha256:" + headHash;
    }
}
