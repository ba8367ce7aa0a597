package dev.dataenc.migrate;

import dev.dataenc.cdk.CdkId;
import dev.dataenc.error.CdkDestroyedException;
import dev.dataenc.error.DecryptionFailedException;
import dev.dataenc.error.MalformedCiphertextException;
import dev.dataenc.error.UnknownCdkException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The check a migration makes before it writes anything: a few ciphertexts of each column and CDK are
 * decrypted with the column's context (for a BLOB, its first segment only) (and, when re-binding, with the {@code --from-context}). A wrong
 * context does not fail loudly: every value would be counted unreadable, or, with
 * {@code --encrypt-plaintext}, new values would be bound to a context the application never uses. So the
 * migration is refused when
 * <ul>
 *   <li>every sampled value of a column fails (the context is wrong for the whole column), or</li>
 *   <li>every sampled value under one CDK fails, with at least {@value #SYSTEMATIC} sampled (values written
 *       under another context, e.g. by an earlier migration run with a wrong one).</li>
 * </ul>
 * Isolated failures (a value copied from another column) are not refused: the run counts them unreadable
 * and reports them. Values that are malformed, or under a CDK unknown to or destroyed in the registry,
 * say nothing about the context and are not counted here. Plaintext values cannot be checked.
 *
 * @param sampled  ciphertexts tried
 * @param problems one diagnosis per refused column or CDK; empty when the check passed
 */
public record ContextCheck(int sampled, List<String> problems) {

    /** Sampled values under one CDK that must all fail before the CDK's values count as systematically wrong. */
    static final int SYSTEMATIC = 3;

    public ContextCheck {
        problems = List.copyOf(problems);
    }

    /** Whether no wrong context was detected. */
    public boolean passed() {
        return problems.isEmpty();
    }

    /** The diagnoses on one line. */
    public String diagnosis() {
        return String.join("; ", problems);
    }

    static ContextCheck of(TextCiphers cipher, List<SourceColumn> columns, List<Map<CdkId, List<String>>> samples,
                           String fromContext) {
        return of(cipher, null, columns, samples, fromContext);
    }

    /**
     * @param binary   opens and tries the values of binary columns (whose samples are record keys); may be null when
     *                 no column is binary
     */
    static ContextCheck of(TextCiphers cipher, BinaryReencryption binary, List<SourceColumn> columns,
                           List<Map<CdkId, List<String>>> samples, String fromContext) {
        int sampled = 0;
        List<String> problems = new ArrayList<>();
        for (int col = 0; col < columns.size(); col++) {
            SourceColumn column = columns.get(col);
            int tried = 0;
            int failed = 0;
            List<CdkId> failedCdks = new ArrayList<>();
            List<String> perCdk = new ArrayList<>();
            for (Map.Entry<CdkId, List<String>> group : samples.get(col).entrySet()) {
                int groupTried = 0;
                int groupFailed = 0;
                for (String sample : group.getValue()) {
                    Boolean ok = column.binary() ? binary.decrypts(sample, col, column.context(), fromContext)
                            : decrypts(cipher, sample, column.context(), fromContext);
                    if (ok == null) {
                        continue;
                    }
                    groupTried++;
                    groupFailed += ok ? 0 : 1;
                }
                tried += groupTried;
                failed += groupFailed;
                if (groupTried > 0 && groupFailed == groupTried) {
                    failedCdks.add(group.getKey());
                    if (groupTried >= SYSTEMATIC) {
                        perCdk.add(group.getKey() + " (" + groupFailed + " of " + groupTried + " sampled)");
                    }
                }
            }
            sampled += tried;
            if (tried > 0 && failed == tried) {
                problems.add("values under CDK " + join(failedCdks) + " in column '" + column.name() + "' do not decrypt"
                        + " with context '" + column.context() + "'" + (fromContext == null ? "" : " nor with --from-context"
                        + " '" + fromContext + "'") + " (" + failed + " of " + tried + " sampled); the application may use"
                        + " another context: re-run with the right one (--column " + column.name() + ":<context>), or,"
                        + " if they were encrypted under a wrong context (e.g. by an earlier migration), add"
                        + " --from-context <that context> to re-bind them to '" + column.context() + "'");
            } else if (!perCdk.isEmpty()) {
                problems.add("values under CDK " + String.join(", ", perCdk) + " in column '" + column.name() + "' do not"
                        + " decrypt with context '" + column.context() + "'" + (fromContext == null ? ""
                        : " nor with --from-context '" + fromContext + "'") + ", while values under other CDKs do: they"
                        + " were written under another context; find it (the application, or an earlier migration) and"
                        + " re-bind them with --from-context <that context>");
            }
        }
        return new ContextCheck(sampled, problems);
    }

    /** True if it decrypts with the context (or the old one), false if neither, null if it says nothing. */
    private static Boolean decrypts(TextCiphers cipher, String ciphertext, String context, String fromContext) {
        try {
            cipher.decrypt(ciphertext, context);
            return true;
        } catch (DecryptionFailedException e) {
            if (fromContext == null) {
                return false;
            }
        } catch (MalformedCiphertextException | UnknownCdkException | CdkDestroyedException e) {
            return null;
        }
        try {
            cipher.decrypt(ciphertext, fromContext);
            return true;
        } catch (DecryptionFailedException e) {
            return false;
        }
    }

    private static String join(List<CdkId> ids) {
        return String.join(", ", ids.stream().map(CdkId::toString).toList());
    }
}
