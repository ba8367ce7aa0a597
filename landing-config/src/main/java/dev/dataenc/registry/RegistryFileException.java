package dev.dataenc.registry;

import java.nio.file.Path;

/**
 * The embedded H2 registry file exists but is empty, cut off or unreadable, so it is refused rather
 * than re-initialised (a new registry would generate a new CDK and leave every existing ciphertext
 * unreadable). The message names the file, the cause and what to do. Nothing was changed.
 */
public class RegistryFileException extends RegistryException {

    private final transient Path file;

    /**
     * @param file    the registry file ({@code <name>.mv.db})
     * @param message what is wrong and what to do
     * @param cause   the I/O failure, or {@code null}
     */
    public RegistryFileException(Path file, String message, Throwable cause) {
        super(message, cause);
        this.file = file;
    }

    /** The registry file at fault. */
    public Path file() {
        return file;
    }
}
