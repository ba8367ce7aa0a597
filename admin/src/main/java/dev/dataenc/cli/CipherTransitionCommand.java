package dev.dataenc.cli;

import dev.dataenc.config.CipherType;
import dev.dataenc.config.DataEncConfig;
import dev.dataenc.control.transition.CipherPhase;
import dev.dataenc.control.transition.CipherTransition;
import dev.dataenc.control.transition.CipherTransitions;
import dev.dataenc.control.ControlPlane;
import dev.dataenc.keystore.KeystoreSettings;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dataenc cipher-transition start <keystore> | advance | status}: moves data away from the
 * active keystore's cipher in four guarded phases (see docs/ADMIN.md, "Retiring a cipher").
 */
@Command(name = "cipher-transition", mixinStandardHelpOptions = true,
        description = "Retire the active cipher in guarded phases: start <new keystore>, advance, status.")
final class CipherTransitionCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOption config;

    @Parameters(index = "0", paramLabel = "<start|advance|status>", description = "What to do.")
    private String action;

    @Parameters(index = "1", arity = "0..1", paramLabel = "<new keystore>", description = "For start: the keystore taking over.")
    private String keystore;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (!List.of("start", "advance", "status").contains(action)) {
            throw new ParameterException(spec.commandLine(), "unknown action '" + action + "'; use start, advance or status");
        }
        if (action.equals("start") && keystore == null) {
            throw new ParameterException(spec.commandLine(), "start needs the new keystore's name");
        }
        try (ControlPlane plane = AdminPlane.open(config.load(), action.equals("status"))) {
            CipherTransitions transitions = plane.cipherTransitions();
            switch (action) {
                case "start" -> print(out, transitions.start(keystore));
                case "advance" -> print(out, advance(plane, transitions));
                default -> {
                    List<CipherTransition> all = transitions.all();
                    if (all.isEmpty()) {
                        out.println("no cipher transition has been started");
                    }
                    all.forEach(t -> out.println(t.summary()));
                }
            }
        }
        return 0;
    }

    /** Phase 2 is a keystore switch: like 'dataenc switch', the file names the new keystore before it runs. */
    private CipherTransition advance(ControlPlane plane, CipherTransitions transitions) throws IOException {
        Optional<CipherTransition> open = transitions.open();
        if (open.isEmpty() || open.get().phase() != CipherPhase.NEW_DECRYPTS) {
            return transitions.advance();
        }
        String target = open.get().newKeystore();
        DataEncConfig cfg = plane.config();
        KeystoreSettings settings = cfg.keystores().get(target);
        CipherType type = settings == null ? cfg.cipherType() : CipherType.ofKeystoreType(settings.type());
        boolean write = !target.equals(config.load().activeKeystore());
        return ConfigFirstSwitch.run(plane, config.path(), write, target, type, transitions::advance);
    }

    private static void print(PrintWriter out, CipherTransition t) {
        out.println(t.summary());
        if (t.phase() != CipherPhase.OLD_REFUSED) {
            out.println("  next: " + t.phase().next().meaning() + " - run 'dataenc cipher-transition advance'");
        }
    }
}
