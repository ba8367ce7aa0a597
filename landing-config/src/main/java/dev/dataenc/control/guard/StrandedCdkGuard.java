package dev.dataenc.control.guard;

import dev.dataenc.control.KeystoreSet;
import dev.dataenc.control.keyswitch.SwitchRequest;
import dev.dataenc.control.lifecycle.CdkLines;

import dev.dataenc.cdk.Cdk;
import dev.dataenc.keystore.Wrapping;

import java.util.ArrayList;
import java.util.List;

/**
 * Every CDK that may still protect data (ACTIVE or DECRYPT_ONLY) must be unwrappable by a
 * configured, open keystore whose master key is ENABLED; the switch must unwrap each one to
 * re-wrap it, and a CDK nobody can unwrap strands the data it protects.
 */
public final class StrandedCdkGuard implements SwitchGuard {

    static final String NAME = "no stranded CDKs";

    @Override
    public GuardResult check(SwitchRequest request) {
        List<Cdk> stranded = new ArrayList<>();
        int live = 0;
        for (Cdk cdk : request.cdks()) {
            if (!cdk.status().protectsData()) {
                continue;
            }
            live++;
            if (!hasUsableWrapping(cdk, request.keystores())) {
                stranded.add(cdk);
            }
        }
        if (stranded.isEmpty()) {
            return GuardResult.pass(NAME, "all " + live + " CDKs in use can be unwrapped by an available keystore");
        }
        return GuardResult.refuse(NAME, stranded.size() + " CDK" + (stranded.size() == 1 ? "" : "s")
                + " in use cannot be unwrapped by any available keystore, so the data they protect would be stranded: "
                + CdkLines.list(stranded, request) + ". Configure (or repair, or re-enable) a keystore that holds one of"
                + " their wrappings, then retry.");
    }

    static boolean hasUsableWrapping(Cdk cdk, KeystoreSet keystores) {
        for (Wrapping w : cdk.wrappings()) {
            if (!keystores.usableFor(w).isEmpty()) {
                return true;
            }
        }
        return false;
    }
}
