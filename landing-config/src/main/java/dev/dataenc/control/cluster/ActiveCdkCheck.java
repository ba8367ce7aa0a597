package dev.dataenc.control.cluster;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.control.KeystoreSet;
import dev.dataenc.envelope.CdkUnwrapper;
import dev.dataenc.error.DataEncException;
import dev.dataenc.keystore.DataKey;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.MasterKeyDescription;
import dev.dataenc.keystore.Wrapping;

import java.util.ArrayList;
import java.util.List;

/**
 * Fails a starting node fast when none of its keystores can unwrap the registry's ACTIVE CDK, with the cause per
 * wrapping and the remedy (for a {@code local} keystore: copy its file from the node that created it). Without
 * this check such a node would start "fine" and fail at its first encryption.
 */
public final class ActiveCdkCheck {

    private ActiveCdkCheck() {
    }

    /**
     * Unwraps {@code active} once with this node's keystores (the key is destroyed at once).
     *
     * @throws MasterKeyMismatchException naming each wrapping's master key, what this node holds, and what to do
     */
    public static void require(Cdk active, KeystoreSet keystores) {
        require(active, keystores, cdk -> {
            DataKey key = new CdkUnwrapper(keystores.opened()).unwrap(cdk);
            key.destroy(); // only the proof was needed
        });
    }

    /**
     * As {@link #require(Cdk, KeystoreSet)}, unwrapping with {@code unwrap} (e.g. through the node's CDK cache, so
     * the proof also warms the cache and costs no extra keystore call later).
     */
    public static void require(Cdk active, KeystoreSet keystores, java.util.function.Consumer<Cdk> unwrap) {
        DataEncException cause;
        try {
            unwrap.accept(active);
            return;
        } catch (DataEncException e) {
            cause = e;
        }
        List<String> why = new ArrayList<>();
        for (Wrapping w : active.wrappings()) {
            why.add(explain(w, keystores));
        }
        throw new MasterKeyMismatchException("this node cannot unwrap the ACTIVE CDK " + active.id() + ", so it could"
                + " encrypt nothing; it does not start. " + String.join(" | ", why) + " (cause: " + cause.getMessage()
                + "). See 'Sharing a keystore across nodes' in docs/ADMIN.md.");
    }

    private static String explain(Wrapping w, KeystoreSet keystores) {
        String name = w.keystoreName();
        String under = "the ACTIVE CDK is wrapped under master key '" + w.masterKeyId() + "'"
                + (w.masterKeyVersion().isEmpty() ? "" : " version " + w.masterKeyVersion());
        KeystoreSettings settings = keystores.settings().get(name);
        if (settings == null) {
            return "keystore '" + name + "' is not configured on this node; " + under + ": configure '" + name
                    + "' as on the node that created it";
        }
        if (keystores.failure(name).isPresent()) {
            return "keystore '" + name + "' cannot be opened (" + keystores.failure(name).get().getMessage() + "); "
                    + under;
        }
        MasterKeyDescription d = keystores.describe(name);
        String holds = "keystore '" + name + "' holds master key '" + d.masterKeyId() + "' (" + d.state() + "); " + under;
        if ("local".equals(settings.type())) {
            String path = settings.values().getOrDefault("path", name + ".p12");
            return holds + ": copy " + path + " from the node that created it (every node needs the same file)";
        }
        return holds + ": give this node access to that master key (same key id, region and credentials as the other"
                + " nodes)";
    }
}
