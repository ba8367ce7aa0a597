package dev.dataenc.pkcs11;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The SunPKCS11 configuration dataenc generates for a token (never written to a file; passed to
 * {@code Provider.configure("--" + text)}). Keys generated through it are sensitive and non-extractable, so a
 * master key created by {@code dataenc keystore create} never leaves the token. Holds no PIN.
 */
final class SunPkcs11Config {

    private static final AtomicInteger NEXT = new AtomicInteger(1);

    private SunPkcs11Config() {
    }

    /**
     * The configuration text for the token in {@code slotSetting} ({@code slot = <id>} or {@code slotListIndex = <n>}).
     */
    static String text(Path library, String slotSetting) {
        return "name = dataenc-" + NEXT.getAndIncrement() + "\n"
                + "library = \"" + library.toAbsolutePath().normalize() + "\"\n"
                + slotSetting + "\n"
                + "attributes(generate, CKO_SECRET_KEY, CKK_AES) = {\n"
                + "  CKA_SENSITIVE = true\n"
                + "  CKA_EXTRACTABLE = false\n"
                + "}\n";
    }
}
