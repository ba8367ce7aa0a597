package dev.dataenc.control.guard;

import dev.dataenc.control.KeystoreSet;
import dev.dataenc.control.keyswitch.SwitchRequest;
import dev.dataenc.control.lifecycle.CdkLines;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.config.CipherType;
import dev.dataenc.error.DataEncException;
import dev.dataenc.keystore.KeystoreSettings;
import dev.dataenc.keystore.MasterKeyState;
import dev.dataenc.keystore.Wrapping;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A switch to another cipher type (for example from a {@code custom} cipher class to an external
 * keystore) must be able to use the old cipher once more: every CDK in use that only the old
 * cipher type wraps is unwrapped by it to be re-wrapped under the target. If such a keystore
 * cannot be opened (its class is no longer on the class path, its file is gone) the switch is
 * refused, unless no CDK in use depends on it (a migration re-encrypted the data and retired them).
 */
public final class CipherTypeGuard implements SwitchGuard {

    public static final String NAME= "cipher type";

    @Override
    public GuardResult check(SwitchRequest request) {
        CipherType from = request.sourceCipher();
        CipherType to = request.targetCipher();
        if (from == to) {
            return GuardResult.pass(NAME, "stays " + to);
        }
        KeystoreSet keystores = request.keystores();
        Map<String, List<Cdk>> dependentByKeystore = new LinkedHashMap<>();
        int dependsOnOld = 0;
        for (Cdk cdk : request.cdks()) {
            if (!cdk.status().protectsData() || !onlyOldCipher(cdk, from, keystores)) {
                continue;
            }
            dependsOnOld++;
            if (StrandedCdkGuard.hasUsableWrapping(cdk, keystores)) {
                continue;
            }
            for (Wrapping w : cdk.wrappings()) {
                dependentByKeystore.computeIfAbsent(w.keystoreName(), k -> new ArrayList<>()).add(cdk);
            }
        }
        if (dependentByKeystore.isEmpty()) {
            return GuardResult.pass(NAME, from + " -> " + to + ": the old " + from + " cipher is available to unwrap the "
                    + dependsOnOld + " CDK" + (dependsOnOld == 1 ? "" : "s") + " only it wraps; they are re-wrapped under '"
                    + request.target() + "' and stay readable");
        }
        List<String> reasons = new ArrayList<>();
        dependentByKeystore.forEach((name, cdks) -> reasons.add("keystore '" + name + "' " + unavailableBecause(name, keystores)
                + " and holds the only wrapping of " + CdkLines.list(cdks, request)));
        return GuardResult.refuse(NAME, "switching the cipher type " + from + " -> " + to + " needs the old " + from
                + " cipher to unwrap its CDKs once more, but " + String.join("; ", reasons) + ". Make the old cipher"
                + " available again (put its class or file back) until the switch completes, or first re-encrypt that data"
                + " under another CDK with a migration and retire these CDKs.");
    }

    private static boolean onlyOldCipher(Cdk cdk, CipherType from, KeystoreSet keystores) {
        for (Wrapping w : cdk.wrappings()) {
            KeystoreSettings s = keystores.settings().get(w.keystoreName());
            if (s == null || CipherType.ofKeystoreType(s.type()) != from) {
                return false;
            }
        }
        return true;
    }

    private static String unavailableBecause(String name, KeystoreSet keystores) {
        if (!keystores.isConfigured(name)) {
            return "is no longer configured";
        }
        return keystores.failure(name).map(DataEncException::getMessage).map(m -> "cannot be opened (" + m + ")")
                .orElseGet(() -> {
                    MasterKeyState state = keystores.describe(name).state();
                    return "has master key state " + state;
                });
    }
}
