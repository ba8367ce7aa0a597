package dev.dataenc.cli;

import dev.dataenc.config.DataEncConfig;
import dev.dataenc.audit.AuditAction;
import dev.dataenc.cdk.Cdk;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.control.KeystoreSet;
import dev.dataenc.error.DataEncException;
import dev.dataenc.keystore.Keystore;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.MasterKeyState;
import dev.dataenc.keystore.Wrapping;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Command;

/**
 * {@code dataenc keystore disable <name>}: disables a {@code local} master key (reversible with {@code enable}).
 * Refused, changing nothing, while the keystore is the registry's active keystore or is the only enabled
 * keystore able to unwrap a CDK that protects data: disabling it would make that data unreadable.
 */
@Command(name = "disable", mixinStandardHelpOptions = true,
        description = "Disable a local master key; refused while it is active or the only way to unwrap data's CDKs.")
final class KeystoreDisableCommand extends LocalKeystoreCommand {

    @Override
    int run(PrintWriter out, DataEncConfig c, KeystoreSettings s) {
        try (ControlPlane plane = AdminPlane.open(c)) {
            KeystoreSet keystores = plane.keystores();
            Keystore ks = keystores.get(name).orElseThrow(() -> keystores.failure(name).orElseGet(
                    () -> new DataEncException("keystore '" + name + "' cannot be opened")));
            if (ks.describe().state() == MasterKeyState.DISABLED) {
                out.println("keystore '" + name + "': master key '" + ks.describe().masterKeyId() + "' is already disabled;"
                        + " nothing changed");
                return 0;
            }
            String active = plane.jobs().state().map(st -> st.activeKeystore()).orElse(c.activeKeystore());
            if (active.equals(name)) {
                throw new DataEncException("keystore '" + name + "' is the active keystore: disabling it would stop every"
                        + " encryption. Switch to another keystore first (dataenc switch <keystore>); nothing changed.");
            }
            List<String> stranded = stranded(plane, keystores);
            if (!stranded.isEmpty()) {
                throw new DataEncException("keystore '" + name + "' is the only enabled keystore that unwraps " + stranded.size()
                        + " CDK(s) protecting data (" + String.join(", ", stranded.subList(0, Math.min(5, stranded.size())))
                        + (stranded.size() > 5 ? ", ..." : "") + "): disabling it would make that data unreadable. Switch"
                        + " to another keystore first (it re-wraps every CDK); nothing changed.");
            }
            KeystoreAdminSupport.admin(ks).disableMasterKey();
            plane.audit().record(AuditAction.MASTER_KEY_DISABLED, null, name, "master key '" + ks.describe().masterKeyId()
                    + "' disabled");
            out.println("keystore '" + name + "': master key '" + ks.describe().masterKeyId() + "' disabled (enable it with"
                    + " dataenc keystore enable " + name + ")");
        }
        return 0;
    }

    /** CDKs protecting data that no enabled keystore other than this one can unwrap. */
    private List<String> stranded(ControlPlane plane, KeystoreSet keystores) {
        List<String> out = new ArrayList<>();
        for (Cdk cdk : plane.registry().list()) {
            if (!cdk.status().protectsData()) {
                continue;
            }
            boolean other = false;
            for (Wrapping w : cdk.wrappings()) {
                other |= keystores.usableFor(w).stream().anyMatch(k -> !k.name().equals(name));
            }
            if (!other) {
                out.add(cdk.id().toString());
            }
        }
        return out;
    }
}
