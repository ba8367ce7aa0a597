package dev.dataenc.config;

import org.apache.commons.configuration2.PropertiesConfiguration;
import org.apache.commons.configuration2.convert.DisabledListDelimiterHandler;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.io.FileHandler;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.Optional;

/**
 * Edits the configuration file in place, keeping its comments, blank lines, key order and
 * separators (commons-configuration's {@code PropertiesConfigurationLayout}). Writes are atomic:
 * the new content goes to a temporary file in the same directory, is flushed to disk and then
 * renamed over the file, so readers (such as a {@link ConfigWatcher}) see the old or the new
 * file, never a half-written one. A symbolic link is followed; its target is replaced.
 */
public final class ConfigFile {

    private ConfigFile() {
    }

    /**
     * Sets {@code dataenc.keystore.active} and {@code dataenc.cipher-type}, adding them at the end
     * when missing. Everything else in the file stays as it is.
     *
     * @param file         the configuration file
     * @param keystoreName the keystore to make active; must be configured in the file
     * @param type         its cipher type; must match the keystore's type
     * @throws DataEncConfigException if the file cannot be read or written, the keystore is not
     *         configured in it, or {@code type} does not match the keystore's type
     */
    public static void writeActiveKeystore(Path file, String keystoreName, CipherType type) {
        Optional<DataEncConfigException> unreadable = ConfigLoader.checkReadable(file);
        if (unreadable.isPresent()) {
            throw unreadable.get();
        }
        Path target;
        try {
            target = file.toRealPath();
        } catch (IOException e) {
            throw ConfigLoader.unparsable(file, e);
        }
        if (keystoreName == null || !ConfigLoader.KEYSTORE_NAME.matcher(keystoreName).matches()) {
            throw new DataEncConfigException(ConfigLoader.KEYSTORE_ACTIVE, "Cannot make '" + keystoreName
                    + "' the active keystore in " + target + ": not a valid keystore name");
        }
        PropertiesConfiguration config = new PropertiesConfiguration();
        config.setListDelimiterHandler(DisabledListDelimiterHandler.INSTANCE);
        config.setIncludesAllowed(false);
        FileHandler handler = new FileHandler(config);
        handler.setEncoding("UTF-8");
        try {
            handler.load(target.toFile());
        } catch (ConfigurationException e) {
            throw ConfigLoader.unparsable(target, e);
        }

        String typeKey = ConfigLoader.KEYSTORES_PREFIX + keystoreName + "." + ConfigLoader.TYPE_SETTING;
        Object keystoreType = config.getProperty(typeKey);
        if (!(keystoreType instanceof String ksType) || ksType.isBlank()) {
            throw new DataEncConfigException(ConfigLoader.KEYSTORE_ACTIVE, "Cannot make '" + keystoreName
                    + "' the active keystore in " + target + ": it has no single " + typeKey + "; configure the keystore first");
        }
        CipherType needed = CipherType.ofKeystoreType(ksType.trim());
        if (needed != type) {
            throw new DataEncConfigException(ConfigLoader.CIPHER_TYPE, "Cannot make '" + keystoreName
                    + "' the active keystore in " + target + " with cipher type '" + type + "': its type '" + ksType.trim()
                    + "' needs cipher type '" + needed + "'");
        }

        config.setProperty(ConfigLoader.KEYSTORE_ACTIVE, keystoreName);
        config.setProperty(ConfigLoader.CIPHER_TYPE, type.configValue());
        StringWriter out = new StringWriter();
        try {
            handler.save(out);
        } catch (ConfigurationException e) {
            throw new DataEncConfigException(null, "Cannot write " + target + ": " + e.getMessage(), e);
        }
        writeAtomically(target, out.toString());
    }

    /** Replaces {@code target} with {@code content} (UTF-8) by writing a sibling temporary file and renaming it. */
    static void writeAtomically(Path target, String content) {
        Path dir = target.getParent();
        Path temp = null;
        try {
            temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
            copyPermissions(target, temp);
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            temp = null;
            syncDirectory(dir);
        } catch (IOException e) {
            throw new DataEncConfigException(null, "Cannot write " + target + ": " + e
                    + ". Check that its directory is writable; the file was not changed.", e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }

    private static void copyPermissions(Path from, Path to) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(to, PosixFileAttributeView.class);
        if (view != null) {
            PosixFileAttributes attrs = Files.readAttributes(from, PosixFileAttributes.class);
            view.setPermissions(attrs.permissions());
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not supported on every platform; the rename itself is atomic
        }
    }
}
